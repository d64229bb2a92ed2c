// One served-ingest run: a fresh `cairn serve` (with the given flags) in a temporary directory, a
// separate load-generator process posting the bench's batches to it, then the server stopped and
// its directory removed. Shared by the ingest bench and served-ab.

import { startCairn } from '../../e2e/support/cairn-process.js';
import { hostCpuShares, hostCpuTimes, peakRssBytes, processCpuSeconds, removeDir, runJsonProcess, tempDir } from './bench-support.js';
import type { LoadResult } from './load-generator.js';

export interface ServedLoad {
  load: LoadResult;
  /** Server CPU (all its threads) per acknowledged span. */
  cpuMicrosPerSpan: number;
  peakRssBytes: number;
  /**
   * The whole machine during the load: the share of both cores' time left idle (the stages
   * waiting for each other) and stolen by the hypervisor (a slower host than it looks).
   */
  host: { idlePercent: number; stolenPercent: number };
  /** The server's /api/v1/stats at the end of the load. */
  stats: Record<string, number>;
}

export async function serveLoad(serveFlags: readonly string[], seconds: string, connections: string, spansPerBatch: string): Promise<ServedLoad> {
  const dataDir = tempDir('serve');
  const server = await startCairn({ dataDir, extraArgs: [...serveFlags] });
  try {
    const cpuBefore = processCpuSeconds(server.pid);
    const hostBefore = hostCpuTimes();
    const load = await runJsonProcess<LoadResult>('bench/src/load-generator.ts', [server.otlpHttpUrl, seconds, connections, spansPerBatch]);
    const cpuMicrosPerSpan = ((processCpuSeconds(server.pid) - cpuBefore) * 1e6) / load.acknowledgedSpans;
    const host = hostCpuShares(hostBefore, hostCpuTimes());
    const peakRss = peakRssBytes(server.pid);
    const stats = (await (await fetch(`${server.apiUrl}/api/v1/stats`)).json()) as Record<string, number>;
    return { load, cpuMicrosPerSpan, peakRssBytes: peakRss, host, stats };
  } finally {
    await server.stop();
    removeDir(dataDir);
  }
}

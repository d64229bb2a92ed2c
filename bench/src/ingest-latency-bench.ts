// The query API while ingest runs at full speed: how long GET /healthz (the event loop's own
// latency) and a trace list page (GET /api/v1/traces?limit=20, what the UI loads) take while the
// load generator of the ingest benchmark saturates `cairn serve` — with the default ingest thread
// and with `--ingest-threads 0` (the event loop decodes every export), interleaved, so both see
// the same machine. A fresh server per run; probes start 3 s in, one at a time, 20 ms apart.
//
//   node --import tsx bench/src/ingest-latency-bench.ts [seconds=15] [rounds=2]

import { startCairn } from '../../e2e/support/cairn-process.js';
import { percentile, removeDir, runJsonProcess, tempDir, writeResult } from './bench-support.js';
import type { LoadResult } from './load-generator.js';

const [seconds = '15', rounds = '2'] = process.argv.slice(2);
const PROBES = { healthz: '/healthz', traceList: '/api/v1/traces?limit=20' } as const;
const MODES = { ingestThread: [], eventLoop: ['--ingest-threads', '0'] } as const;

interface Latency {
  p50: number;
  p95: number;
  p99: number;
  count: number;
}

async function run(mode: keyof typeof MODES, probe: keyof typeof PROBES): Promise<{ spansPerSecond: number; latency: Latency }> {
  const dataDir = tempDir('latency');
  const server = await startCairn({ dataDir, extraArgs: [...MODES[mode]] });
  const millis: number[] = [];
  let loading = true;
  const probing = (async () => {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    while (loading) {
      const started = performance.now();
      const response = await fetch(`${server.apiUrl}${PROBES[probe]}`);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${PROBES[probe]} answered ${response.status}`);
      millis.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  try {
    const load = await runJsonProcess<LoadResult>('bench/src/load-generator.ts', [server.otlpHttpUrl, seconds, '8', '500']);
    loading = false;
    await probing;
    millis.sort((a, b) => a - b);
    const at = (fraction: number) => Number(percentile(millis, fraction).toFixed(1));
    const latency = { p50: at(0.5), p95: at(0.95), p99: at(0.99), count: millis.length };
    process.stderr.write(`${mode} ${probe}: ${Math.round(load.spansPerSecond)} spans/s, p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms (${latency.count} probes)\n`);
    return { spansPerSecond: Math.round(load.spansPerSecond), latency };
  } finally {
    loading = false;
    await server.stop();
    removeDir(dataDir);
  }
}

const runs: { round: number; mode: string; probe: string; spansPerSecond: number; latency: Latency }[] = [];
for (let round = 0; round < Number(rounds); round++) {
  for (const probe of Object.keys(PROBES) as (keyof typeof PROBES)[]) {
    const modes = Object.keys(MODES) as (keyof typeof MODES)[];
    for (const mode of round % 2 === 0 ? modes : modes.reverse()) runs.push({ round, mode, probe, ...(await run(mode, probe)) });
  }
}
const result = { parameters: { seconds: Number(seconds), rounds: Number(rounds), connections: 8, spansPerBatch: 500 }, runs };
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.stderr.write(`written ${writeResult('ingest-latency', result)}\n`);

// Background analysis throughput: how many quiet traces per second the analyzer works through
// (detectors, cross-trace checks against up to 20 session peers, findings written), on the ingest
// benchmark's agent traces (50 spans, 97 sessions), in a DuckDB store filled in-process. In one
// run, on the same data: the analyzer as the server runs it (the store's bulk reads) and reading
// trace by trace (getTrace / getSession, each trace read once per poll: what a store without bulk
// reads gets), each on a fresh copy.
// Usage: analysis-bench.ts [traces=2000] [traceByTraceTraces=400]

import { decodeTracesProtobuf } from '@cairn/otlp';
import { normalizeSpan } from '@cairn/semantic';
import { openDuckDbStore } from '@cairn/storage-duckdb';
import { nowUnixNano } from '@cairn/model';
import type { TraceStore } from '@cairn/storage';
import { silentLogger } from '@cairn/server';
import { BackgroundAnalyzer } from '../../packages/server/src/analytics/background-analyzer.js';
import { withoutBulkReads } from '../../packages/server/test/support/session-traces.js';
import { encodeAgentBatches, withFreshTraceIds } from './agent-batches.js';
import { removeDir, tempDir, writeResult } from './bench-support.js';

const [traces = '2000', traceByTraceTraces = '400'] = process.argv.slice(2);
const batches = encodeAgentBatches(40, 500);
const TRACES_PER_BATCH = 10;

interface AnalysisRun {
  traces: number;
  analyzed: number;
  tracesPerSecond: number;
  cpuMillisPerTrace: number;
}

async function run(traceCount: number, read: (store: TraceStore) => TraceStore, label: string): Promise<AnalysisRun> {
  const dir = tempDir('analysis');
  const store = await openDuckDbStore({ dataDir: dir });
  try {
    const received = nowUnixNano() - 60_000_000_000n;
    for (let sequence = 0; sequence * TRACES_PER_BATCH < traceCount; sequence++) {
      const body = withFreshTraceIds(batches[sequence % batches.length]!, sequence, 11);
      await store.write({ spans: decodeTracesProtobuf(body).spans.map((span) => normalizeSpan(span, { projectId: 'default', receivedUnixNano: received })), events: [] });
    }
    const analyzer = new BackgroundAnalyzer({ store: read(store), logger: silentLogger, quietMillis: 10_000, pollMillis: 3_600_000 });
    analyzer.start(); // polls driven below
    const cpuStarted = process.cpuUsage();
    const started = performance.now();
    let analyzed = 0;
    for (let poll = 0; poll < 10_000; poll++) {
      const due = await analyzer.runOnce();
      analyzed += due;
      if (due === 0) break;
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    await analyzer.stop();
    const result = {
      traces: traceCount,
      analyzed,
      tracesPerSecond: Math.round(analyzed / seconds),
      cpuMillisPerTrace: Number(((cpu.user + cpu.system) / 1000 / analyzed).toFixed(2)),
    };
    process.stderr.write(`${label}: ${JSON.stringify(result)}\n`);
    return result;
  } finally {
    await store.close();
    removeDir(dir);
  }
}

const bulk = await run(Number(traces), (store) => store, 'bulk reads');
const traceByTrace = await run(Number(traceByTraceTraces), withoutBulkReads, 'trace by trace');
const bulkSmall = await run(Number(traceByTraceTraces), (store) => store, `bulk reads, ${traceByTraceTraces} traces`);
const result = { recordedAt: new Date().toISOString(), bulk, traceByTrace, bulkSameSize: bulkSmall };
process.stderr.write(`written ${writeResult('analysis', result)}\n`);

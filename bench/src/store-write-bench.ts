// store.write throughput of the DuckDB adapter, in-process, without HTTP or OTLP decoding:
// agent traces of 20–200 spans (~1 KB per span) written in batches, in rough time order as a
// server receives them. Reports spans/s, the event loop's worst stall while writing, peak RSS,
// and getTrace / getSpan / listTraces latencies over the filled store.
//
//   node --import tsx bench/src/store-write-bench.ts [spans=1000000] [batch=10000]
//
// Prints one JSON line (last line of stdout); progress goes to stderr.

import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { SpanRecord } from '@cairn/model';
import { buildAgentTrace } from '@cairn/storage/conformance';
import { openDuckDbStore } from '@cairn/storage-duckdb';
import { percentile, removeDir, tempDir } from './bench-support.js';

const totalSpans = Number(process.argv[2] ?? 1_000_000);
const batchSize = Number(process.argv[3] ?? 10_000);
const MS = 1_000_000n;

/** Deterministic pseudo-random numbers, so runs are comparable. */
let seed = 42;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
}

const baseNs = (BigInt(Date.now()) - 3_600_000n) * MS;
let traceIndex = 0;
/** Traces of exactly 200 spans (for the getTrace target), with one of their span ids. */
const bigTraces: { traceId: string; spanId: string }[] = [];
let pending: SpanRecord[] = [];

/** The next batch: whole traces in start order, the last one possibly split across batches. */
function nextBatch(size: number): SpanRecord[] {
  while (pending.length < size) {
    const big = traceIndex % 10 === 0;
    const llmCalls = big ? 100 : 10 + Math.floor(random() * 60);
    const spans = buildAgentTrace({
      startUnixNano: baseNs + BigInt(traceIndex) * 40n * MS,
      llmCalls,
      sessionId: `session-${traceIndex % 500}`,
      userId: `user-${traceIndex % 37}`,
      model: traceIndex % 3 === 0 ? 'gpt-4o' : 'gpt-4o-mini',
    });
    if (big) bigTraces.push({ traceId: spans[0]!.traceId, spanId: spans[spans.length >> 1]!.spanId });
    traceIndex += 1;
    for (const span of spans) pending.push(span);
  }
  const batch = pending.slice(0, size);
  pending = pending.slice(size);
  return batch;
}

async function timed(runs: number, body: (run: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await body(run);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: round(percentile(samples, 0.5)), p95: round(percentile(samples, 0.95)) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

const dataDir = tempDir('store-write');
const store = await openDuckDbStore({ dataDir });
let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage.rss()));
const rssTimer = setInterval(sampleRss, 100);
// Only stalls while store.write runs count: building the next batch here blocks the loop too.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });

try {
  let written = 0;
  let writeMillis = 0;
  const batchMillis: number[] = [];
  const started = performance.now();
  let lastReport = started;
  while (written < totalSpans) {
    const batch = nextBatch(Math.min(batchSize, totalSpans - written));
    // Let a late timer from building the batch fire before measuring.
    await new Promise((resolve) => setTimeout(resolve, 1));
    loopDelay.enable();
    const batchStart = performance.now();
    const result = await store.write({ spans: batch, events: [] });
    const elapsed = performance.now() - batchStart;
    loopDelay.disable();
    writeMillis += elapsed;
    batchMillis.push(elapsed);
    if (result.accepted !== batch.length) throw new Error(`accepted ${result.accepted} of ${batch.length}`);
    written += batch.length;
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      process.stderr.write(`${written} spans, ${Math.round(written / (writeMillis / 1000))} spans/s in write, rss ${Math.round(process.memoryUsage.rss() / 2 ** 20)} MiB\n`);
    }
  }
  const wallSeconds = (performance.now() - started) / 1000;
  sampleRss();
  batchMillis.sort((a, b) => a - b);

  const recent = bigTraces.slice(-200);
  const getTrace = await timed(40, async (run) => {
    const { traceId } = recent[Math.floor((run * recent.length) / 40)]!;
    const trace = await store.getTrace('default', traceId);
    if (trace?.spans.length !== 200) throw new Error(`trace ${traceId} has ${trace?.spans.length} spans`);
  });
  const getSpan = await timed(40, async (run) => {
    const { traceId, spanId } = recent[Math.floor((run * recent.length) / 40)]!;
    if (!(await store.getSpan('default', traceId, spanId))) throw new Error(`span ${spanId} missing`);
  });
  const toNs = baseNs + BigInt(traceIndex) * 40n * MS + 3_600_000n * MS;
  const listTraces = await timed(20, () =>
    store.listTraces({ projectId: 'default', fromUnixNano: baseNs, toUnixNano: toNs, sort: { field: 'startTime', descending: true }, limit: 50 }),
  );
  const listByModel = await timed(20, () =>
    store.listTraces({ projectId: 'default', fromUnixNano: baseNs, toUnixNano: toNs, model: 'gpt-4o', sort: { field: 'cost', descending: true }, limit: 50 }),
  );
  const stats = await store.stats();
  sampleRss();
  console.log(
    JSON.stringify({
      spans: written,
      batchSize,
      spansPerSecond: Math.round(written / (writeMillis / 1000)),
      wallSeconds: round(wallSeconds),
      batchMillis: { p50: round(percentile(batchMillis, 0.5)), p99: round(percentile(batchMillis, 0.99)), max: round(batchMillis[batchMillis.length - 1]!) },
      maxEventLoopDelayMillis: round(loopDelay.max / 1e6),
      eventLoopDelayP99Millis: round(loopDelay.percentile(99) / 1e6),
      peakRssMiB: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 20),
      getTraceMillis200Spans: getTrace,
      getSpanMillis: getSpan,
      listTracesMillis: listTraces,
      listTracesByModelByCostMillis: listByModel,
      storeBytesPerSpan: Math.round(stats.storeBytes / stats.spanCount),
      spanCount: stats.spanCount,
      traceCount: stats.traceCount,
    }),
  );
} finally {
  clearInterval(rssTimer);
  await store.close();
  removeDir(dataDir);
}

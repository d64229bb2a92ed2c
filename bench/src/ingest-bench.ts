// Ingest benchmark (issue: core platform, target ≥ 30k spans/s and ≥ 70 % of the raw store
// append rate, peak RSS < 1 GiB). In one run, on the same encoded batches:
//  0. the host's speed of the moment: two fixed pieces of work (bench-support.ts hostSpeedGauges)
//  1. decode:  OTLP protobuf → WireSpan, in-process                   (the decode ceiling)
//  2. + normalize to SpanRecord                                        (the CPU work per span)
//  3. append:  TraceStore.write of those records into a fresh DuckDB   (the store ceiling)
//  4. served:  a load-generator process posts the protobuf batches to `cairn serve` over
//              loopback; acknowledged (durable) spans per second, the server's peak RSS, and the
//              machine's idle and stolen CPU (/proc/stat) during the load;
//              then the same with `--ingest-threads 0` (decoding on the event loop), the baseline
//              of the ingest thread's gain.
// Usage: ingest-bench.ts [seconds=60] [connections=8] [spansPerBatch=500]
// 60 s per served run: DuckDB checkpoints once per ~250k spans (~9 s at 30k/s), stopping writes
// for about a second, so a sustained rate needs several of them in the window (20-s runs swung
// ±10 % with where the checkpoints fell).

import { decodeTracesProtobuf } from '@cairn/otlp';
import { normalizeSpan } from '@cairn/semantic';
import { openDuckDbStore } from '@cairn/storage-duckdb';
import { encodeAgentBatches, normalizedAgentSpans, renumberTraces } from './agent-batches.js';
import { directoryBytes, hostSpeedGauges, removeDir, tempDir, writeResult } from './bench-support.js';
import { serveLoad } from './served-load.js';

const [seconds = '60', connections = '8', spansPerBatch = '500'] = process.argv.slice(2);

function measure(label: string, totalSpans: number, work: () => void): number {
  const started = performance.now();
  work();
  const rate = totalSpans / ((performance.now() - started) / 1000);
  process.stderr.write(`${label}: ${Math.round(rate)} spans/s\n`);
  return rate;
}

const batches = encodeAgentBatches(40, Number(spansPerBatch));
const totalSpans = batches.reduce((sum, batch) => sum + batch.spanCount, 0);
const totalBytes = batches.reduce((sum, batch) => sum + batch.body.byteLength, 0);
process.stderr.write(`${batches.length} batches, ${totalSpans} spans, ${(totalBytes / totalSpans).toFixed(0)} bytes/span as OTLP protobuf\n`);

// The host's speed of the moment (bench-support.ts): this machine's speed has varied by rounds.
const hostSpeed = hostSpeedGauges();
process.stderr.write(`host speed gauges: integer loop ${hostSpeed.loopMillis} ms, JSON round trips ${hostSpeed.jsonMillis} ms (lower is faster)\n`);

// Warm up the JIT on a few batches, then measure three passes over all of them.
for (const batch of batches.slice(0, 5)) decodeTracesProtobuf(batch.body).spans.map((span) => normalizeSpan(span, { projectId: 'default', receivedUnixNano: 0n }));
const decodeRate = measure('decode', totalSpans * 3, () => {
  for (let pass = 0; pass < 3; pass++) for (const batch of batches) decodeTracesProtobuf(batch.body);
});
const normalizeRate = measure('decode + normalize', totalSpans * 3, () => {
  for (let pass = 0; pass < 3; pass++) for (const batch of batches) for (const span of decodeTracesProtobuf(batch.body).spans) normalizeSpan(span, { projectId: 'default', receivedUnixNano: 1n });
});

// Raw store append: the same records written straight into a fresh store in appendPasses (8) passes with
// fresh trace ids, in store-sized batches, so dedupe keeps every row.
const records = normalizedAgentSpans(batches);
const appendDir = tempDir('append');
const store = await openDuckDbStore({ dataDir: appendDir });
const appendBatchSpans = 10_000;
const appendPasses = 8;
const appendStarted = performance.now();
const appendCpuStarted = process.cpuUsage();
for (let pass = 0; pass < appendPasses; pass++) {
  renumberTraces(records, pass);
  for (let offset = 0; offset < records.length; offset += appendBatchSpans) await store.write({ spans: records.slice(offset, offset + appendBatchSpans), events: [] });
}
const appendRate = (records.length * appendPasses) / ((performance.now() - appendStarted) / 1000);
// CPU time of every thread of this process (main, DuckDB worker, DuckDB's own threads): on a
// machine shared with other work the rates above vary with the load, the CPU cost per span less.
const appendCpu = process.cpuUsage(appendCpuStarted);
const appendCpuMicrosPerSpan = (appendCpu.user + appendCpu.system) / (records.length * appendPasses);
process.stderr.write(`store append: ${Math.round(appendRate)} spans/s, ${appendCpuMicrosPerSpan.toFixed(1)} µs CPU/span\n`);
const appendStats = await store.stats();
await store.close();
// After close: DuckDB checkpoints on close, so the WAL's share (which depends on where the last
// automatic checkpoint fell) does not skew the size per span.
const appendStoreBytes = directoryBytes(appendDir);
removeDir(appendDir);

// Served: cairn serve + a separate load-generator process; once as configured by default (an
// ingest thread decodes), then with --ingest-threads 0 (the event loop decodes) as the baseline.
async function served(label: string, serveFlags: string[]) {
  const run = await serveLoad(serveFlags, seconds, connections, spansPerBatch);
  process.stderr.write(
    `${label}: ${Math.round(run.load.spansPerSecond)} spans/s acknowledged, ${run.cpuMicrosPerSpan.toFixed(1)} µs server CPU/span (load generator ${run.load.cpuMicrosPerSpan.toFixed(1)}), ${run.load.throttled} throttled, peak RSS ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MiB; host idle ${run.host.idlePercent} %, stolen ${run.host.stolenPercent} %\n`,
  );
  return run;
}
const { load, cpuMicrosPerSpan: servedCpuMicrosPerSpan, peakRssBytes: peakRss, host, stats } = await served('served', []);
const onLoop = await served('served, decoding on the event loop', ['--ingest-threads', '0']);

const result = {
  parameters: { seconds: Number(seconds), connections: Number(connections), spansPerBatch: Number(spansPerBatch), bytesPerSpan: Math.round(totalBytes / totalSpans) },
  hostSpeed,
  decodeSpansPerSecond: Math.round(decodeRate),
  decodeNormalizeSpansPerSecond: Math.round(normalizeRate),
  storeAppendSpansPerSecond: Math.round(appendRate),
  storeAppendBytesPerSpan: Math.round(appendStoreBytes / appendStats.spanCount),
  storeAppendCpuMicrosPerSpan: Number(appendCpuMicrosPerSpan.toFixed(1)),
  servedSpansPerSecond: Math.round(load.spansPerSecond),
  servedFractionOfAppend: Number((load.spansPerSecond / appendRate).toFixed(3)),
  servedCpuMicrosPerSpan: Number(servedCpuMicrosPerSpan.toFixed(1)),
  servedPeakRssMiB: Math.round(peakRss / 2 ** 20),
  servedHostIdlePercent: host.idlePercent,
  servedHostStolenPercent: host.stolenPercent,
  servedOnEventLoopSpansPerSecond: Math.round(onLoop.load.spansPerSecond),
  servedOnEventLoopCpuMicrosPerSpan: Number(onLoop.cpuMicrosPerSpan.toFixed(1)),
  servedOnEventLoopPeakRssMiB: Math.round(onLoop.peakRssBytes / 2 ** 20),
  ingestThreadGain: Number((load.spansPerSecond / onLoop.load.spansPerSecond).toFixed(3)),
  load,
  serverStats: stats,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.stderr.write(`written ${writeResult('ingest', result)}\n`);

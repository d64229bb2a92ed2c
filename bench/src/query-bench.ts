// Query benchmark: latency of the query API (through HTTP, as users see it) with 1M and 5M spans
// stored. Targets: trace by id (200 spans) p50 < 20 ms, filtered trace list p50 < 150 ms at 5M.
// The store is filled through TraceStore.write with records produced by the real decode and
// normalize path from OTLP batches, re-issued with fresh trace ids and spread over 7 days.
// Usage: query-bench.ts [sizes=1000000,5000000] [samples=60]

import { decodeTracesProtobuf } from '@cairn/otlp';
import { normalizeSpan } from '@cairn/semantic';
import { openDuckDbStore } from '@cairn/storage-duckdb';
import type { SpanRecord } from '@cairn/model';
import { startCairn } from '../../e2e/support/cairn-process.js';
import { encodeAgentBatches } from './agent-batches.js';
import { percentile, removeDir, tempDir, writeResult } from './bench-support.js';

const [sizesArgument = '1000000,5000000', samplesArgument = '60'] = process.argv.slice(2);
const sizes = sizesArgument.split(',').map(Number);
const samples = Number(samplesArgument);
const SPANS_PER_TRACE = 200;
const WEEK_NANOS = 7n * 24n * 3600n * 1_000_000_000n;

const templates: SpanRecord[] = encodeAgentBatches(10, 2_000, SPANS_PER_TRACE).flatMap((batch) =>
  decodeTracesProtobuf(batch.body).spans.map((span) => normalizeSpan(span, { projectId: 'default', receivedUnixNano: 1n })),
);
const templateStart = templates.reduce((min, span) => (span.startTimeUnixNano < min ? span.startTimeUnixNano : min), templates[0]!.startTimeUnixNano);
const nowNanos = BigInt(Date.now()) * 1_000_000n;

/** The `pass`-th copy of the templates: new trace ids, a start spread over the last 7 days. */
function copyOfTemplates(pass: number): SpanRecord[] {
  const prefix = pass.toString(16).padStart(6, '0');
  const traceOffsets = new Map<string, bigint>();
  return templates.map((span) => {
    let offset = traceOffsets.get(span.traceId);
    if (offset === undefined) {
      // Deterministic spread: later passes are more recent; traces in a pass spread over ~1 h.
      const hash = BigInt(parseInt(span.traceId.slice(0, 8), 16) % 3600) * 1_000_000_000n;
      offset = nowNanos - WEEK_NANOS + (BigInt(pass) * WEEK_NANOS) / 2_600n + hash - templateStart;
      traceOffsets.set(span.traceId, offset);
    }
    return {
      ...span,
      traceId: prefix + span.traceId.slice(6),
      sessionId: span.sessionId ? `${span.sessionId}-${pass % 500}` : null,
      startTimeUnixNano: span.startTimeUnixNano + offset,
      endTimeUnixNano: span.endTimeUnixNano + offset,
    };
  });
}

async function timeRequests(label: string, urls: () => string): Promise<{ p50: number; p95: number }> {
  const timings: number[] = [];
  for (let index = 0; index < samples + 5; index++) {
    const url = urls();
    const started = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${label}: ${url} answered ${response.status}`);
    if (index >= 5) timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  const result = { p50: Number(percentile(timings, 0.5).toFixed(1)), p95: Number(percentile(timings, 0.95).toFixed(1)) };
  process.stderr.write(`  ${label}: p50 ${result.p50} ms, p95 ${result.p95} ms\n`);
  return result;
}

const dataDir = tempDir('query');
const knownTraceIds: string[] = [];
const results: Record<string, unknown>[] = [];
let stored = 0;
let pass = 0;
for (const size of sizes) {
  const store = await openDuckDbStore({ dataDir });
  const fillStarted = performance.now();
  while (stored < size) {
    const spans = copyOfTemplates(pass++);
    await store.write({ spans, events: [] });
    stored += spans.length;
    if (pass % 7 === 0) knownTraceIds.push(spans[0]!.traceId);
  }
  const stats = await store.stats();
  await store.close();
  process.stderr.write(`${stats.spanCount} spans stored (fill ${((performance.now() - fillStarted) / 1000).toFixed(0)} s), ${(stats.storeBytes / 2 ** 20).toFixed(0)} MiB\n`);

  const server = await startCairn({ dataDir });
  let pick = 0;
  const traceById = await timeRequests('trace by id (200 spans)', () => `${server.apiUrl}/api/v1/traces/${knownTraceIds[pick++ % knownTraceIds.length]}`);
  const filteredList = await timeRequests('trace list, model filter, last 24 h', () => `${server.apiUrl}/api/v1/traces?model=gpt-4o-mini&limit=50`);
  const agentList = await timeRequests('trace list, agent + min duration, 7 days', () => `${server.apiUrl}/api/v1/traces?agent=billing&minDurationMs=100&from=${Date.now() - 7 * 86_400_000}&limit=50`);
  const sessions = await timeRequests('session list, last 24 h', () => `${server.apiUrl}/api/v1/sessions?limit=50`);
  await server.stop();
  results.push({ spans: stats.spanCount, traces: stats.traceCount, storeMiB: Math.round(stats.storeBytes / 2 ** 20), traceById, filteredList, agentList, sessions });
}
removeDir(dataDir);
const result = { parameters: { samples, spansPerTrace: SPANS_PER_TRACE }, results };
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.stderr.write(`written ${writeResult('query', result)}\n`);

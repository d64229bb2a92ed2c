// Throwaway measurement behind docs/deploy.md's sizing: write throughput of the ClickHouse store
// from one and from two stores (two Cairn servers) at once, and query latencies after that.
// Starts its own clickhouse-server (single node). Not a test; run:
//   node --import tsx packages/storage-clickhouse/test/measure-clickhouse-store.ts [totalSpans]

import fs from 'node:fs/promises';
import type { SpanRecord } from '@cairn/model';
import { buildAgentTrace, NS_PER_MINUTE, T0 } from '@cairn/storage/conformance';
import type { TraceQuery } from '@cairn/storage';
import { openClickHouseStore } from '../src/index.js';
import { startClickHouseServer } from '../src/testing/index.js';

const TOTAL = Number(process.argv[2] ?? 200_000);
const BATCH = 5_000;

function batches(count: number, offsetMinutes: bigint): SpanRecord[][] {
  const out: SpanRecord[][] = [];
  let current: SpanRecord[] = [];
  let made = 0;
  for (let trace = 0; made < count; trace++) {
    // 20 spans per trace (10 LLM calls + tools), one trace every 50 ms over the day.
    const spans = buildAgentTrace({ startUnixNano: T0 + offsetMinutes * NS_PER_MINUTE + BigInt(trace) * 50_000_000n, llmCalls: 10, sessionId: `s-${trace % 500}` });
    current.push(...spans);
    made += spans.length;
    if (current.length >= BATCH) {
      out.push(current);
      current = [];
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

async function timed<T>(body: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await body();
  return [result, performance.now() - started];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const server = await startClickHouseServer();
try {
  const one = await openClickHouseStore({ url: server.url, database: 'measure' });
  const two = await openClickHouseStore({ url: server.url, database: 'measure' });
  const half = Math.floor(TOTAL / 2);

  const single = batches(half, 0n);
  const [, singleMs] = await timed(async () => {
    for (const batch of single) await one.write({ spans: batch, events: [] });
  });
  const singleSpans = single.reduce((sum, batch) => sum + batch.length, 0);
  console.log(`one store: ${singleSpans} spans in ${(singleMs / 1000).toFixed(1)} s = ${Math.round(singleSpans / (singleMs / 1000))} spans/s (batches of ${BATCH})`);

  const [left, right] = [batches(half / 2, 600n), batches(half / 2, 1200n)];
  const [, pairMs] = await timed(() =>
    Promise.all([
      (async () => {
        for (const batch of left) await one.write({ spans: batch, events: [] });
      })(),
      (async () => {
        for (const batch of right) await two.write({ spans: batch, events: [] });
      })(),
    ]),
  );
  const pairSpans = [...left, ...right].reduce((sum, batch) => sum + batch.length, 0);
  console.log(`two stores at once: ${pairSpans} spans in ${(pairMs / 1000).toFixed(1)} s = ${Math.round(pairSpans / (pairMs / 1000))} spans/s`);

  const stats = await one.stats();
  console.log(`stored: ${stats.spanCount} spans, ${stats.traceCount} traces, ${(stats.storeBytes / 2 ** 20).toFixed(1)} MiB = ${Math.round(stats.storeBytes / stats.spanCount)} B/span`);

  const base: TraceQuery = { projectId: 'default', fromUnixNano: T0, toUnixNano: T0 + 60n * NS_PER_MINUTE, sort: { field: 'startTime', descending: true }, limit: 50 };
  const traceId = single[Math.floor(single.length / 2)]![0]!.traceId;
  const queries: [string, () => Promise<unknown>][] = [
    ['getTrace (20 spans)', () => one.getTrace('default', traceId)],
    ['getSpan', () => one.getSpan('default', traceId, single[Math.floor(single.length / 2)]![0]!.spanId)],
    ['listTraces, 1 h window, latest 50', () => one.listTraces(base)],
    ['listTraces, 1 h window, model filter, by cost', () => one.listTraces({ ...base, model: 'gpt-4o-mini', sort: { field: 'cost', descending: true } })],
    ['listTraces, 1 h window, text search', () => one.listTraces({ ...base, text: 'replacement order' })],
    ['listSessions, 1 h window', () => one.listSessions({ projectId: 'default', fromUnixNano: base.fromUnixNano, toUnixNano: base.toUnixNano, limit: 50 })],
    ['stats', () => one.stats()],
  ];
  for (const [name, run] of queries) {
    const times: number[] = [];
    for (let round = 0; round < 5; round++) times.push((await timed(run))[1]);
    console.log(`${name}: median ${median(times).toFixed(1)} ms`);
  }
  await one.close();
  await two.close();
} finally {
  await server.stop();
  await fs.rm(server.dir, { recursive: true, force: true });
}

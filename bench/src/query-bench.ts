// Query benchmark: latency of the query API (through HTTP, as users see it) with 1M and 5M spans
// stored. Targets: trace by id (200 spans) p50 < 20 ms, filtered trace list p50 < 150 ms at 5M.
// The store is filled through TraceStore.write with records produced by the real decode and
// normalize path from OTLP batches, re-issued with fresh trace ids and spread over 7 days.
// Usage: query-bench.ts [sizes=1000000,5000000] [samples=60] [dataDir]
// With dataDir the store is kept there and reused by the next run (filled only up to what is
// missing), so read-path changes can be measured again without refilling millions of spans.

import { openDuckDbStore } from '@cairn/storage-duckdb';
import { startCairn } from '../../e2e/support/cairn-process.js';
import { directoryBytes, removeDir, tempDir, timeRequests, writeResult } from './bench-support.js';
import { createTemplateFill } from './template-fill.js';

const [sizesArgument = '1000000,5000000', samplesArgument = '60', keptDir] = process.argv.slice(2);
const sizes = sizesArgument.split(',').map(Number);
const samples = Number(samplesArgument);
const SPANS_PER_TRACE = 200;
// Newest first over the week for the largest size: at every size the last 24 hours hold data.
const fill = createTemplateFill(SPANS_PER_TRACE, { newestFirstTotalSpans: Math.max(...sizes) });

const dataDir = keptDir ?? tempDir('query');
const results: Record<string, unknown>[] = [];
let stored = 0;
let pass = 0;
for (const size of sizes) {
  const store = await openDuckDbStore({ dataDir });
  const fillStarted = performance.now();
  // A kept store: the passes already written are skipped.
  const already = (await store.stats()).spanCount;
  while (stored < Math.min(size, already)) {
    stored += fill.spansPerPass;
    pass += 1;
  }
  while (stored < size) {
    const spans = fill.copy(pass++);
    await store.write({ spans, events: [] });
    stored += spans.length;
  }
  const stats = await store.stats();
  await store.close();
  // Measured after close, which checkpoints: the store as the server reads it, without the WAL
  // (up to --duckdb-checkpoint-mb of it before close) that stats() counts.
  const storeMiB = Math.round(directoryBytes(dataDir) / 2 ** 20);
  process.stderr.write(`${stats.spanCount} spans stored (fill ${((performance.now() - fillStarted) / 1000).toFixed(0)} s), ${storeMiB} MiB\n`);

  const server = await startCairn({ dataDir });
  try {
    // Every trace read in this run (warm-up and samples, both views) opens a trace not read
    // before, so no sample finds its trace's data cached by an earlier one: ids of 200-span
    // traces from the whole window, in an order unrelated to time, 20 of them read first to warm
    // the server up (JIT, DuckDB metadata) and not timed.
    const traceIds = await traceIdsOf(server.apiUrl, 2 * (samples + 5) + 20);
    let pick = 0;
    const nextTrace = () => {
      if (pick >= traceIds.length) throw new Error(`only ${traceIds.length} traces of ${SPANS_PER_TRACE} spans stored`);
      return traceIds[pick++]!;
    };
    for (let warm = 0; warm < 20; warm++) await (await fetch(`${server.apiUrl}/api/v1/traces/${nextTrace()}`)).arrayBuffer();
    const traceById = await timeRequests(samples, 'trace by id (200 spans)', () => `${server.apiUrl}/api/v1/traces/${nextTrace()}`);
    const traceTree = await timeRequests(samples, 'trace by id, tree view (200 spans)', () => `${server.apiUrl}/api/v1/traces/${nextTrace()}?view=tree`);
    const catalogKeys = await timeRequests(samples, 'attribute keys, 7 days', () => `${server.apiUrl}/api/v1/attributes?from=${Date.now() - 7 * 86_400_000}`);
    const catalogValues = await timeRequests(samples, 'values of gen_ai.request.model, 7 days', () => `${server.apiUrl}/api/v1/attributes?key=gen_ai.request.model&from=${Date.now() - 7 * 86_400_000}`);
    const catalogField = await timeRequests(samples, 'model filter values (prefix gpt), 7 days', () => `${server.apiUrl}/api/v1/attributes?field=model&prefix=gpt&from=${Date.now() - 7 * 86_400_000}`);
    const filteredList = await timeRequests(samples, 'trace list, model filter, last 24 h', () => `${server.apiUrl}/api/v1/traces?model=gpt-4o-mini&limit=50`);
    const agentList = await timeRequests(samples, 'trace list, agent + min duration, 7 days', () => `${server.apiUrl}/api/v1/traces?agent=billing&minDurationMs=100&from=${Date.now() - 7 * 86_400_000}&limit=50`);
    const sessions = await timeRequests(samples, 'session list, last 24 h', () => `${server.apiUrl}/api/v1/sessions?limit=50`);
    results.push({ spans: stats.spanCount, traces: stats.traceCount, storeMiB, traceById, traceTree, filteredList, agentList, sessions, catalogKeys, catalogValues, catalogField });
  } finally {
    await server.stop();
  }
}
if (keptDir === undefined) removeDir(dataDir);

/** `count` ids of stored 200-span traces from the last 8 days, in an order unrelated to time. */
async function traceIdsOf(apiUrl: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  const from = Date.now() - 8 * 86_400_000;
  do {
    const url = `${apiUrl}/api/v1/traces?from=${from}&limit=500${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const page = (await (await fetch(url)).json()) as { items: { traceId: string; spanCount: number }[]; nextCursor: string | null };
    ids.push(...page.items.filter((item) => item.spanCount === SPANS_PER_TRACE).map((item) => item.traceId));
    cursor = page.nextCursor;
  } while (cursor !== null && ids.length < count * 4);
  // Trace ids are random hex after the fill's pass prefix: sorting on that part mixes the passes.
  return ids.sort((a, b) => (a.slice(6) < b.slice(6) ? -1 : a.slice(6) > b.slice(6) ? 1 : 0)).slice(0, count);
}
const result = { parameters: { samples, spansPerTrace: SPANS_PER_TRACE }, results };
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.stderr.write(`written ${writeResult('query', result)}\n`);

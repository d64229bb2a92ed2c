// Dashboard benchmark: GET /api/v1/metrics (through HTTP, as the dashboard calls it) over a 7-day
// window with 5M spans in DuckDB, grouped by model and by agent, per group and bucketed by hour
// (the chart request), by prompt version (read from the attributes JSON), plus the finding
// counts. Target: p50 < 500 ms grouped by model or agent.
// Before measuring, the model calls' agents are resolved once (TraceStore.resolveCallAgents), as a
// running server's background analyzer would have done once the traces went quiet.
// The store is filled like query-bench.ts (real decode + normalize, spread over the last 7 days).
// Usage: metrics-bench.ts [spans=5000000] [samples=20] [dataDir]
// With dataDir the store there is topped up to `spans` (not refilled) and kept afterwards, so
// runs can be repeated without the ~4 min fill.

import { openDuckDbStore } from '@cairn/storage-duckdb';
import { startCairn } from '../../e2e/support/cairn-process.js';
import { removeDir, tempDir, timeRequests, writeResult } from './bench-support.js';
import { createTemplateFill, WEEK_NANOS } from './template-fill.js';

const [spansArgument = '5000000', samplesArgument = '20', keptDir] = process.argv.slice(2);
const targetSpans = Number(spansArgument);
const samples = Number(samplesArgument);
const SPANS_PER_TRACE = 200;

const fill = createTemplateFill(SPANS_PER_TRACE);
const dataDir = keptDir ?? tempDir('metrics');
const store = await openDuckDbStore({ dataDir });
const fillStarted = performance.now();
const already = (await store.stats()).spanCount;
// Passes are deterministic: a kept store holds passes 0…n−1 already.
for (let pass = Math.floor(already / fill.copy(0).length), stored = already; stored < targetSpans; pass++) {
  const spans = fill.copy(pass);
  await store.write({ spans, events: [] });
  stored += spans.length;
}
const stats = await store.stats();
process.stderr.write(`${stats.spanCount} spans stored (fill ${((performance.now() - fillStarted) / 1000).toFixed(0)} s), ${(stats.storeBytes / 2 ** 20).toFixed(0)} MiB\n`);
// What a running server's analyzer does each poll once the traces are quiet: store the agent of
// every model call (call_agent), so by-agent reads need not join calls with agent spans. The
// second pass finds nothing to do: its time is the cost of an idle poll.
// In passes of at most 200,000 calls, as the analyzer resolves a backlog (one per poll).
const timed = async () => {
  const started = performance.now();
  let rows = 0;
  for (let pass = 1; pass > 0; rows += pass) {
    pass = (await store.resolveCallAgents?.({ receivedBeforeUnixNano: BigInt(Date.now() + 1000) * 1_000_000n, limit: 200_000 })) ?? 0;
  }
  return { rows, ms: Math.round(performance.now() - started) };
};
const resolved = await timed();
const idleResolve = await timed();
process.stderr.write(`call agents resolved: ${resolved.rows} rows in ${resolved.ms} ms; idle pass ${idleResolve.ms} ms\n`);
await store.close();

const server = await startCairn({ dataDir });
const weekMillis = Number(WEEK_NANOS / 1_000_000n);
const window = () => {
  const to = Date.now() + 60_000;
  return `from=${to - weekMillis - 60_000}&to=${to}`;
};
const url = (query: string) => () => `${server.apiUrl}/api/v1/${query}&${window()}`;
const rowsOf = async (query: string) => ((await (await fetch(url(query)())).json()) as { rows: unknown[] }).rows.length;
const results = {
  byModel: await timeRequests(samples, 'metrics by model, 7 days', url('metrics?groupBy=model')),
  byAgent: await timeRequests(samples, 'metrics by agent, 7 days', url('metrics?groupBy=agent')),
  byModelHourly: await timeRequests(samples, 'metrics by model per hour, 7 days', url('metrics?groupBy=model&interval=1h')),
  byAgentHourly: await timeRequests(samples, 'metrics by agent per hour, 7 days', url('metrics?groupBy=agent&interval=1h')),
  byPromptVersion: await timeRequests(samples, 'metrics by prompt version, 7 days', url('metrics?groupBy=promptVersion')),
  byModelFiltered: await timeRequests(samples, 'metrics by model, agent filter, 7 days', url('metrics?groupBy=model&agent=billing')),
  findingCounts: await timeRequests(samples, 'finding counts, 7 days', url('findings?')),
  rows: { byModel: await rowsOf('metrics?groupBy=model'), byAgent: await rowsOf('metrics?groupBy=agent'), byModelHourly: await rowsOf('metrics?groupBy=model&interval=1h') },
};
await server.stop();
if (keptDir === undefined) removeDir(dataDir);
const result = {
  parameters: { samples, spansPerTrace: SPANS_PER_TRACE, spans: stats.spanCount, traces: stats.traceCount, storeMiB: Math.round(stats.storeBytes / 2 ** 20) },
  callAgents: { resolvedRows: resolved.rows, resolveMs: resolved.ms, idlePassMs: idleResolve.ms },
  results,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.stderr.write(`written ${writeResult('metrics', result)}\n`);

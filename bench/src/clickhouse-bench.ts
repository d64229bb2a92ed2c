// ClickHouse benchmark (issue #7): the scale-out store side by side with the embedded one.
//  1. served ingest into ClickHouse from one `cairn serve --store clickhouse`, then from two
//     servers sharing one database, the load split between them: the same load generator and
//     pre-encoded OTLP protobuf batches as ingest-bench.ts; acknowledged spans per second.
//  2. the query set of query-bench.ts (trace by id, filtered lists, session list; p50/p95 over
//     HTTP) at `querySpans` spans stored. The store is filled by a base set written through the
//     adapter and multiplied inside ClickHouse (clickhouse-fill.ts); the output says so.
// Starts its own clickhouse-server (the installed one, single node, temp dir) and Cairn servers,
// and stops every process it started by PID. DuckDB figures from bench/results/ingest.json and
// query.json (when present) are copied into the result for comparison.
// Usage: clickhouse-bench.ts [seconds=20] [connections=6] [spansPerBatch=500] [querySpans=5000000] [samples=60] [baseSpans=200000]

import fs from 'node:fs';
import path from 'node:path';
import { openClickHouseStore } from '@cairn/storage-clickhouse';
import { startClickHouseServer, type ClickHouseServerProcess } from '@cairn/storage-clickhouse/testing';
import { startCairn, type CairnProcess } from '../../e2e/support/cairn-process.js';
import { processCpuSeconds, removeDir, RESULTS_DIR, runJsonProcess, tempDir, timeRequests, writeResult } from './bench-support.js';
import { fillClickHouse } from './clickhouse-fill.js';
import type { LoadResult } from './load-generator.js';

const [seconds = '20', connections = '6', spansPerBatch = '500', querySpansArgument = '5000000', samplesArgument = '60', baseSpansArgument = '200000'] = process.argv.slice(2);
const querySpans = Number(querySpansArgument);
const samples = Number(samplesArgument);
const SPANS_PER_TRACE = 200;

const started: { cairn: CairnProcess[]; dirs: string[] } = { cairn: [], dirs: [] };
let clickhouse: ClickHouseServerProcess | null = null;

async function startClickHouseCairn(database: string): Promise<CairnProcess> {
  const dataDir = tempDir('clickhouse-serve');
  started.dirs.push(dataDir);
  const server = await startCairn({ dataDir, extraArgs: ['--store', 'clickhouse', '--clickhouse-url', clickhouse!.url, '--clickhouse-database', database] });
  started.cairn.push(server);
  return server;
}

async function stopCairn(servers: CairnProcess[]): Promise<void> {
  await Promise.all(servers.map((server) => server.stop()));
  started.cairn = started.cairn.filter((server) => !servers.includes(server));
}

async function storedSpans(server: CairnProcess): Promise<number> {
  const stats = (await (await fetch(`${server.apiUrl}/api/v1/stats`)).json()) as { spanCount?: number };
  return stats.spanCount ?? Number.NaN;
}

/** Load from `servers.length` generator processes at once, the connections split between them. */
async function servedIngest(servers: CairnProcess[]): Promise<Record<string, unknown>> {
  const perServer = Math.max(1, Math.round(Number(connections) / servers.length));
  const cpuBefore = servers.map((server) => processCpuSeconds(server.pid));
  const clickhouseCpuBefore = processCpuSeconds(clickhouse!.pid);
  const loads = await Promise.all(servers.map((server) => runJsonProcess<LoadResult>('bench/src/load-generator.ts', [server.otlpHttpUrl, seconds, String(perServer), spansPerBatch])));
  const acknowledged = loads.reduce((sum, load) => sum + load.acknowledgedSpans, 0);
  const elapsed = Math.max(...loads.map((load) => load.seconds));
  const cairnCpu = servers.reduce((sum, server, index) => sum + processCpuSeconds(server.pid) - cpuBefore[index]!, 0);
  const clickhouseCpu = processCpuSeconds(clickhouse!.pid) - clickhouseCpuBefore;
  const stored = await storedSpans(servers[0]!);
  const result = {
    servers: servers.length,
    connectionsPerServer: perServer,
    servedSpansPerSecond: Math.round(acknowledged / elapsed),
    acknowledgedSpans: acknowledged,
    storedSpans: stored,
    cairnCpuMicrosPerSpan: Number(((cairnCpu * 1e6) / acknowledged).toFixed(1)),
    clickhouseCpuMicrosPerSpan: Number(((clickhouseCpu * 1e6) / acknowledged).toFixed(1)),
    throttled: loads.reduce((sum, load) => sum + load.throttled, 0),
    failed: loads.reduce((sum, load) => sum + load.failed, 0),
  };
  process.stderr.write(
    `served by ${servers.length} server(s): ${result.servedSpansPerSecond} spans/s acknowledged (${stored} stored), ${result.cairnCpuMicrosPerSpan} µs Cairn CPU/span, ${result.clickhouseCpuMicrosPerSpan} µs ClickHouse CPU/span, ${result.throttled} throttled\n`,
  );
  if (stored < acknowledged) throw new Error(`ClickHouse holds ${stored} spans but ${acknowledged} were acknowledged`);
  return result;
}

/** The DuckDB figures recorded by ingest-bench.ts and query-bench.ts, if they ran. */
function duckDbFigures(): Record<string, unknown> {
  const read = (name: string) => {
    const file = path.join(RESULTS_DIR, `${name}.json`);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : null;
  };
  const ingest = read('ingest');
  const query = read('query') as { recordedAt?: string; results?: { spans: number }[] } | null;
  return {
    ingest: ingest === null ? null : { recordedAt: ingest.recordedAt, servedSpansPerSecond: ingest.servedSpansPerSecond },
    query: query === null ? null : { recordedAt: query.recordedAt, results: query.results },
  };
}

async function main(): Promise<void> {
  clickhouse = await startClickHouseServer();
  const version = (await (await fetch(`${clickhouse.url}/?query=SELECT%20version()`)).text()).trim();
  process.stderr.write(`clickhouse-server ${version} at ${clickhouse.url} (pid ${clickhouse.pid})\n`);

  const one = [await startClickHouseCairn('bench_ingest_one')];
  const ingestOne = await servedIngest(one);
  await stopCairn(one);
  const two = [await startClickHouseCairn('bench_ingest_two'), await startClickHouseCairn('bench_ingest_two')];
  const ingestTwo = await servedIngest(two);
  await stopCairn(two);

  const database = 'bench_query';
  const store = await openClickHouseStore({ url: clickhouse.url, database });
  const fill = await fillClickHouse({ store, url: clickhouse.url, database, baseSpans: Math.min(Number(baseSpansArgument), querySpans), totalSpans: querySpans, spansPerTrace: SPANS_PER_TRACE });
  const stats = await store.stats();
  await store.close();
  const fillNote = `${fill.baseSpans} spans written through the adapter (TraceStore.write), then ${fill.copies} copies made inside ClickHouse with INSERT … SELECT (rewritten trace ids, own session ids, times moved back a week, newest first)`;
  process.stderr.write(`${stats.spanCount} spans stored, ${(stats.storeBytes / 2 ** 20).toFixed(0)} MiB: ${fillNote}\n`);

  const server = await startClickHouseCairn(database);
  let pick = 0;
  const ids = fill.knownTraceIds;
  // A query that fails (e.g. ClickHouse exceeding the store's 30 s request timeout) is recorded
  // as such, not dropped: the side-by-side table shows it.
  const measured = async (label: string, nextUrl: () => string) => {
    try {
      return await timeRequests(samples, label, nextUrl);
    } catch (error) {
      process.stderr.write(`${label}: failed — ${(error as Error).message}\n`);
      return { failed: (error as Error).message };
    }
  };
  const traceById = await measured('trace by id (200 spans)', () => `${server.apiUrl}/api/v1/traces/${ids[(pick++ * 7919) % ids.length]}`);
  const filteredList = await measured('trace list, model filter, last 24 h', () => `${server.apiUrl}/api/v1/traces?model=gpt-4o-mini&limit=50`);
  const agentList = await measured('trace list, agent + min duration, 7 days', () => `${server.apiUrl}/api/v1/traces?agent=billing&minDurationMs=100&from=${Date.now() - 7 * 86_400_000}&limit=50`);
  const sessions = await measured('session list, last 24 h', () => `${server.apiUrl}/api/v1/sessions?limit=50`);
  // Ranked from the spans (no index key): the widest window the UI offers.
  const costList = await measured('trace list sorted by cost, 7 days', () => `${server.apiUrl}/api/v1/traces?sort=-cost&from=${Date.now() - 7 * 86_400_000}&limit=50`);
  await stopCairn([server]);

  const result = {
    parameters: { seconds: Number(seconds), connections: Number(connections), spansPerBatch: Number(spansPerBatch), querySpans, samples, spansPerTrace: SPANS_PER_TRACE },
    clickhouseVersion: version,
    topology: 'one clickhouse-server on this machine (single node), Cairn servers on the same machine',
    ingest: { oneServer: ingestOne, twoServers: ingestTwo },
    query: {
      fill: { note: fillNote, ...fill, knownTraceIds: undefined, adapterSpansPerSecond: Math.round(fill.adapterSpansPerSecond), copySpansPerSecond: Math.round(fill.copySpansPerSecond) },
      spans: stats.spanCount,
      traces: stats.traceCount,
      storeMiB: Math.round(stats.storeBytes / 2 ** 20),
      traceById,
      filteredList,
      agentList,
      sessions,
      costList,
    },
    duckdbForComparison: duckDbFigures(),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.stderr.write(`written ${writeResult('clickhouse', result)}\n`);
}

try {
  await main();
} finally {
  // Everything this run started, by PID, whatever failed above.
  await Promise.all(started.cairn.map((server) => server.stop().catch(() => undefined)));
  for (const dir of started.dirs) removeDir(dir);
  // (Assigned inside main(): the compiler cannot see that from here.)
  const server = clickhouse as ClickHouseServerProcess | null;
  if (server !== null) {
    await server.stop();
    removeDir(server.dir);
  }
}

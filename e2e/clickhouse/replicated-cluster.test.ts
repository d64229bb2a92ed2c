// Black box, production topology: ZooKeeper and four clickhouse-server processes as two shards of
// two replicas each, the store creating Replicated*MergeTree tables on every replica
// (--clickhouse-zookeeper-path), two `cairn serve` processes on it. Traces sent through both
// servers are complete from either; with one replica of each shard stopped, every trace is still
// complete and writes still succeed; the stopped replicas, once back, catch up with their shards.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { ClickHouseServerProcess, ServerPorts, ZooKeeperProcess } from '@cairn/storage-clickhouse/testing';
import { clickHouseSkipReason, startClickHouseServer, startClickHouseServers, startZooKeeper, zooKeeperSkipReason } from '@cairn/storage-clickhouse/testing';
import { getJson, startCairn, type CairnProcess } from '../support/cairn-process.js';
import type { TestSpan } from './cluster-traces.js';
import { buildTrace as buildClusterTrace, postSpans } from './cluster-traces.js';

const CLUSTER = 'cairn_replicated';
const SPANS_PER_TRACE = 4;
/** Shard s, replica r is servers[s * 2 + r]. */
const LAYOUT = [
  { shard: '01', replica: 'a' },
  { shard: '01', replica: 'b' },
  { shard: '02', replica: 'a' },
  { shard: '02', replica: 'b' },
] as const;

const SERVICE = 'replicated-test';
const buildTrace = (index: number) => buildClusterTrace(index, SPANS_PER_TRACE, null);
const post = async (cairn: CairnProcess, spans: TestSpan[]) => (await postSpans(cairn, spans, SERVICE)).status;

async function expectComplete(cairn: CairnProcess, spans: TestSpan[]): Promise<void> {
  const { status, body } = await getJson<{ spans: { spanId: string }[] }>(`${cairn.apiUrl}/api/v1/traces/${spans[0]!.traceId}`);
  assert.equal(status, 200, `trace ${spans[0]!.traceId} via ${cairn.apiUrl}`);
  assert.deepEqual(body.spans.map((span) => span.spanId).sort(), spans.map((span) => span.spanId).sort());
}

async function sql(server: ClickHouseServerProcess, statement: string): Promise<string> {
  const response = await fetch(`${server.url}/?database=cairn`, { method: 'POST', body: statement });
  const text = await response.text();
  assert.equal(response.status, 200, `${statement} on ${server.url}: ${text}`);
  return text.trim();
}

/** (span rows, distinct spans) in a replica's own spans_local. */
async function localSpans(server: ClickHouseServerProcess): Promise<string> {
  return sql(server, 'SELECT uniqExact(trace_id, span_id) FROM spans_local');
}

/** Waits until both replicas of each shard hold the same spans, and all shards together `total`. */
async function waitForReplicas(servers: ClickHouseServerProcess[], total: number): Promise<number[]> {
  const deadline = Date.now() + 30_000;
  let counts: number[] = [];
  while (Date.now() < deadline) {
    counts = (await Promise.all(servers.map(localSpans))).map(Number);
    if (counts[0] === counts[1] && counts[2] === counts[3] && counts[0]! + counts[2]! === total) return counts;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail(`replicas did not converge on ${total} spans: shard 01 ${counts[0]}/${counts[1]}, shard 02 ${counts[2]}/${counts[3]}`);
}

describe('two Cairn servers on a two-shard, two-replica ClickHouse cluster', { skip: clickHouseSkipReason() || zooKeeperSkipReason() }, () => {
  let zooKeeper: ZooKeeperProcess | null = null;
  const servers: ClickHouseServerProcess[] = [];
  const ports: ServerPorts[] = [];
  const cairns: CairnProcess[] = [];
  let a: CairnProcess;
  let b: CairnProcess;
  const sent: TestSpan[][] = [];

  const replicaOptions = (on: ServerPorts[], index: number, dir?: string) => ({
    ports: on[index]!,
    dir,
    cluster: { name: CLUSTER, shards: [[on[0]!, on[1]!], [on[2]!, on[3]!]] },
    replication: { zooKeeperPort: zooKeeper!.port, ...LAYOUT[index]! },
  });
  const startReplica = (index: number, dir?: string) => startClickHouseServer(replicaOptions(ports, index, dir));

  before(async () => {
    zooKeeper = await startZooKeeper();
    const started = await startClickHouseServers(LAYOUT.length, (on, index) => replicaOptions(on, index));
    servers.push(...started.servers);
    ports.push(...started.ports);
    const args = (entry: ClickHouseServerProcess) => [
      '--store', 'clickhouse', '--clickhouse-url', entry.url, '--clickhouse-cluster', CLUSTER,
      '--clickhouse-shards', `${servers[0]!.url}|${servers[1]!.url},${servers[2]!.url}|${servers[3]!.url}`,
      '--clickhouse-zookeeper-path', '/clickhouse/tables/{shard}/cairn_e2e',
    ];
    // Entries are first replicas (docs/deploy.md): reads then see every server's writes at once.
    a = await startCairn({ extraArgs: args(servers[0]!) });
    cairns.push(a);
    b = await startCairn({ extraArgs: args(servers[2]!) });
    cairns.push(b);
  });

  after(async () => {
    for (const cairn of cairns) await cairn.stop().catch(() => undefined);
    for (const server of servers) await server.stop().catch(() => undefined);
    await zooKeeper?.stop();
    for (const server of servers) await fs.rm(server.dir, { recursive: true, force: true });
    if (zooKeeper) await fs.rm(zooKeeper.dir, { recursive: true, force: true });
    for (const cairn of cairns) await fs.rm(cairn.dataDir, { recursive: true, force: true });
  });

  it('creates every data table as a Replicated*MergeTree on every replica', async () => {
    for (const server of servers) {
      const engines = (await sql(server, "SELECT name, engine FROM system.tables WHERE database = 'cairn' AND engine LIKE '%MergeTree' ORDER BY name"))
        .split('\n')
        .map((line) => line.split('\t') as [string, string]);
      const names = engines.map(([name]) => name);
      for (const table of ['detached_events_local', 'live_spans_local', 'spans_local', 'trace_analyses_local']) assert.ok(names.includes(table), `${table} on ${server.url}`);
      // schema_migrations records this node's own DDL and is the one table never replicated.
      for (const [name, engine] of engines) assert.equal(engine.startsWith('Replicated'), name !== 'schema_migrations', `${name} on ${server.url} is ${engine}`);
    }
  });

  it('stores traces sent through both servers on both replicas of their shard', async () => {
    const traces = Array.from({ length: 24 }, (_, index) => buildTrace(index));
    const toA = traces.flatMap((spans, index) => spans.filter((_, spanIndex) => spanIndex % 2 === index % 2));
    const toB = traces.flatMap((spans, index) => spans.filter((_, spanIndex) => spanIndex % 2 !== index % 2));
    assert.deepEqual(await Promise.all([post(a, toA), post(b, toB)]), [200, 200]);
    sent.push(...traces);
    for (const spans of traces) {
      await expectComplete(a, spans);
      await expectComplete(b, spans);
    }
    const counts = await waitForReplicas(servers, traces.length * SPANS_PER_TRACE);
    assert.ok(counts[0]! > 0 && counts[2]! > 0, `both shards hold spans (${counts.join(', ')})`);
  });

  it('keeps every trace complete, and accepts writes, with one replica of each shard stopped; the replicas catch up when back', async () => {
    // Replica b of shard 01, and replica a of shard 02: the entry node of server b, which carries
    // on through its sibling replica.
    const stopped = [1, 2];
    const dirs = stopped.map((index) => servers[index]!.dir);
    await Promise.all(stopped.map((index) => servers[index]!.stop()));

    for (const spans of sent) {
      await expectComplete(a, spans);
      await expectComplete(b, spans);
    }
    const stats = await getJson<{ spanCount: number }>(`${a.apiUrl}/api/v1/stats`);
    assert.equal(stats.body.spanCount, sent.length * SPANS_PER_TRACE);

    // Writes go to the live replica of each shard: no 503 while a shard still has one.
    const more = Array.from({ length: 16 }, (_, index) => buildTrace(100 + index));
    assert.deepEqual(await Promise.all([post(a, more.slice(0, 8).flat()), post(b, more.slice(8).flat())]), [200, 200]);
    sent.push(...more);
    for (const spans of more) {
      await expectComplete(a, spans);
      await expectComplete(b, spans);
    }

    const restarted = await Promise.all(stopped.map((index, at) => startReplica(index, dirs[at])));
    stopped.forEach((index, at) => (servers[index] = restarted[at]!));
    // The restarted replicas fetch what their shard received meanwhile.
    await waitForReplicas(servers, sent.length * SPANS_PER_TRACE);
    for (const spans of sent) {
      await expectComplete(a, spans);
      await expectComplete(b, spans);
    }
  });
});

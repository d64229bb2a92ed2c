// Black box, scale-out: two clickhouse-server processes as two shards of one cluster (local tables
// plus Distributed tables sharded by trace id), two `cairn serve` processes on it. The spans of
// each trace are split between the two Cairn servers; both must answer with complete, identical
// traces. Then: a stopped shard makes writes fail retryably (503/429 + Retry-After) until it is
// back, and a `kill -9` of one Cairn server during ingest loses no acknowledged span.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { ClickHouseServerProcess } from '@cairn/storage-clickhouse/testing';
import { clickHouseSkipReason, startClickHouseServer, startClickHouseServers } from '@cairn/storage-clickhouse/testing';
import { getJson, startCairn, type CairnProcess } from '../support/cairn-process.js';
import type { TestSpan } from './cluster-traces.js';
import { buildTrace as buildClusterTrace, postSpans } from './cluster-traces.js';

const CLUSTER = 'cairn_test';
const SPANS_PER_TRACE = 6;

const SERVICE = 'cluster-test';
const buildTrace = (index: number) => buildClusterTrace(index, SPANS_PER_TRACE, 'gpt-4o-mini');
const post = (cairn: CairnProcess, spans: TestSpan[]) => postSpans(cairn, spans, SERVICE);

interface TraceBody {
  summary: { spanCount: number; llmCallCount: number; inputTokens: number; rootName: string };
  spans: { spanId: string }[];
}

async function expectComplete(cairn: CairnProcess, spans: TestSpan[]): Promise<TraceBody> {
  const { status, body } = await getJson<TraceBody>(`${cairn.apiUrl}/api/v1/traces/${spans[0]!.traceId}`);
  assert.equal(status, 200, `trace ${spans[0]!.traceId} found via ${cairn.apiUrl}`);
  assert.deepEqual(body.spans.map((span) => span.spanId).sort(), spans.map((span) => span.spanId).sort());
  assert.equal(body.summary.spanCount, spans.length);
  return body;
}

async function countLocal(server: ClickHouseServerProcess): Promise<number> {
  const response = await fetch(`${server.url}/?database=cairn`, { method: 'POST', body: 'SELECT count() FROM spans_local' });
  return Number((await response.text()).trim());
}

describe('two Cairn servers on a two-shard ClickHouse cluster', { skip: clickHouseSkipReason() }, () => {
  const shards: ClickHouseServerProcess[] = [];
  let shardPorts: { httpPort: number; tcpPort: number }[] = [];
  const cairns: CairnProcess[] = [];
  let a: CairnProcess;
  let b: CairnProcess;

  const shardOptions = (on: { httpPort: number; tcpPort: number }[], index: number, dir?: string) => ({
    ports: on[index]!,
    dir,
    cluster: { name: CLUSTER, shards: on.map(({ tcpPort }) => ({ tcpPort })) },
  });
  const startShard = (index: number, dir?: string) => startClickHouseServer(shardOptions(shardPorts, index, dir));

  before(async () => {
    const started = await startClickHouseServers(2, (on, index) => shardOptions(on, index));
    shards.push(...started.servers);
    shardPorts = started.ports;
    const clusterArgs = (entry: string) => [
      '--store', 'clickhouse', '--clickhouse-url', entry,
      '--clickhouse-cluster', CLUSTER, '--clickhouse-shards', shards.map((shard) => shard.url).join(','),
    ];
    // Both start at once: concurrent migrations of the same cluster must be harmless.
    // Kept as each starts, so after() stops the one that did if the other failed.
    const servers = await Promise.allSettled(shards.map((shard) => startCairn({ extraArgs: clusterArgs(shard.url) })));
    for (const result of servers) if (result.status === 'fulfilled') cairns.push(result.value);
    for (const result of servers) if (result.status === 'rejected') throw result.reason;
    [a, b] = cairns as [CairnProcess, CairnProcess];
  });

  after(async () => {
    for (const cairn of cairns) await cairn.stop().catch(() => undefined);
    for (const shard of shards) await shard.stop().catch(() => undefined);
    for (const shard of shards) await fs.rm(shard.dir, { recursive: true, force: true });
    for (const cairn of cairns) await fs.rm(cairn.dataDir, { recursive: true, force: true });
  });

  it('answers every query with complete, identical traces from either server when spans arrive split between them', async () => {
    const traces = Array.from({ length: 30 }, (_, index) => buildTrace(index));
    // Half of every trace to each server (the root alternates), sent concurrently.
    const toA = traces.flatMap((spans, index) => spans.filter((_, spanIndex) => spanIndex % 2 === index % 2));
    const toB = traces.flatMap((spans, index) => spans.filter((_, spanIndex) => spanIndex % 2 !== index % 2));
    const statuses = await Promise.all([
      ...Array.from({ length: 3 }, (_, part) => post(a, toA.filter((_, index) => index % 3 === part))),
      ...Array.from({ length: 3 }, (_, part) => post(b, toB.filter((_, index) => index % 3 === part))),
    ]);
    assert.deepEqual(statuses.map((response) => response.status), [200, 200, 200, 200, 200, 200]);
    // A retry of already stored spans through the other server changes nothing.
    assert.equal((await post(b, toA.slice(0, 12))).status, 200);

    for (const spans of traces) {
      const [fromA, fromB] = [await expectComplete(a, spans), await expectComplete(b, spans)];
      assert.deepEqual(fromA, fromB);
      assert.equal(fromA.summary.llmCallCount, SPANS_PER_TRACE - 1);
      assert.equal(fromA.summary.inputTokens, 100 * (SPANS_PER_TRACE - 1));
      assert.equal(fromA.summary.rootName, spans[0]!.name);
    }
    const listA = await getJson<{ items: { traceId: string; spanCount: number }[] }>(`${a.apiUrl}/api/v1/traces?limit=500&service=cluster-test`);
    const listB = await getJson<{ items: { traceId: string; spanCount: number }[] }>(`${b.apiUrl}/api/v1/traces?limit=500&service=cluster-test`);
    assert.deepEqual(listA.body, listB.body);
    assert.deepEqual(listA.body.items.map((item) => item.traceId).sort(), traces.map((spans) => spans[0]!.traceId).sort());
    assert.ok(listA.body.items.every((item) => item.spanCount === SPANS_PER_TRACE));
    const stats = await getJson<{ spanCount: number }>(`${b.apiUrl}/api/v1/stats`);
    assert.equal(stats.body.spanCount, traces.length * SPANS_PER_TRACE);
    const [onFirst, onSecond] = [await countLocal(shards[0]!), await countLocal(shards[1]!)];
    assert.ok(onFirst > 0 && onSecond > 0, `both shards hold spans (${onFirst} + ${onSecond})`);
    assert.equal(onFirst + onSecond, traces.length * SPANS_PER_TRACE);
  });

  it('refuses writes retryably while a shard is down and accepts them once it is back', async () => {
    const traces = Array.from({ length: 16 }, (_, index) => buildTrace(100 + index));
    const batch = traces.flat();
    const dir = shards[1]!.dir;
    await shards[1]!.stop();
    for (const cairn of [a, b]) {
      const response = await post(cairn, batch);
      assert.ok([429, 503].includes(response.status), `write while a shard is down answered ${response.status}`);
      assert.match(response.headers.get('retry-after') ?? '', /^\d+$/);
    }
    shards[1] = await startShard(1, dir);
    let status = 0;
    for (let attempt = 0; attempt < 30 && status !== 200; attempt++) {
      status = (await post(a, batch)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(status, 200, 'the retried write succeeds once the shard is back');
    for (const spans of traces) await expectComplete(b, spans);
  });

  it('loses no acknowledged span when one Cairn server is killed with -9 during ingest', async () => {
    const traces = Array.from({ length: 60 }, (_, index) => buildTrace(1000 + index));
    const acknowledged: TestSpan[][] = [];
    let next = 0;
    let killed = false;
    const sender = async () => {
      while (next < traces.length && !killed) {
        const spans = traces[next++]!;
        const response = await post(a, spans).catch(() => null);
        if (response?.status === 200) acknowledged.push(spans);
        if (!killed && acknowledged.length >= 15) {
          killed = true;
          await a.kill9();
        }
      }
    };
    await Promise.all([sender(), sender(), sender()]);
    assert.ok(killed, 'the server was killed mid-ingest');
    for (const spans of acknowledged) await expectComplete(b, spans);
  });
});

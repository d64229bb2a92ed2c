// What the ClickHouse adapter adds beyond the conformance suite: plain errors when ClickHouse is
// unreachable, dedupe across several stores (servers) writing the same spans, surviving
// ClickHouse's 3 s idle-connection close, versioned migrations gated by server version, and
// per-project retention.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { StoreError } from '@cairn/storage';
import { buildAgentTrace, buildSpanRecord, NS_PER_HOUR, T0 } from '@cairn/storage/conformance';
import { openClickHouseStore } from '../src/index.js';
import { ttlExpression, retentionCutoff } from '../src/internal/retention-sql.js';
import { featuresOf } from '../src/internal/server-features.js';
import type { ClickHouseServerProcess } from '../src/testing/index.js';
import { clickHouseSkipReason, freePort, startClickHouseServer } from '../src/testing/index.js';

const NS_PER_DAY = 24n * NS_PER_HOUR;

describe('server version gating', () => {
  it('keeps 18.16 on the baseline and switches features on for newer servers', () => {
    assert.deepEqual(featuresOf('18.16.1'), { version: '18.16.1', lowCardinality: false, codecs: false, skipIndexes: false, ttl: false });
    assert.deepEqual(featuresOf('19.6.2.11'), { version: '19.6.2.11', lowCardinality: true, codecs: true, skipIndexes: false, ttl: true });
    assert.equal(featuresOf('24.8.4.13').skipIndexes, true);
  });

  it('builds a per-project TTL expression and day-aligned cutoffs', () => {
    assert.equal(
      ttlExpression('start_ns', [{ projectId: "o'brien", maxAgeDays: 7 }]),
      "addDays(toDateTime(intDiv(start_ns, 1000000000)), multiIf(project_id = 'o\\'brien', 7, 36500))",
    );
    assert.equal(retentionCutoff(T0 + 5n * NS_PER_HOUR, 2), T0 - 10n * NS_PER_HOUR - 2n * NS_PER_DAY);
  });
});

describe('ClickHouse store behaviour', { skip: clickHouseSkipReason() }, () => {
  let server: ClickHouseServerProcess;
  let databases = 0;
  const database = () => `store_test_${process.pid}_${++databases}`;

  before(async () => {
    server = await startClickHouseServer();
  });
  after(async () => {
    await server?.stop();
    if (server) await fs.rm(server.dir, { recursive: true, force: true });
  });

  it('fails to open with store_unavailable and a clear message when nothing listens', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    await assert.rejects(openClickHouseStore({ url }), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.equal(error.code, 'store_unavailable');
      assert.match(error.message, new RegExp(`ClickHouse at ${url} is unreachable \\(ECONNREFUSED\\)`));
      return true;
    });
  });

  it('records migrations, leaves the newer-server ones pending on 18.16, and reopens idempotently', async () => {
    const name = database();
    const first = await openClickHouseStore({ url: server.url, database: name });
    await first.close();
    const again = await openClickHouseStore({ url: server.url, database: name });
    await again.close();
    const response = await fetch(`${server.url}/?database=${name}`, { method: 'POST', body: 'SELECT version FROM schema_migrations ORDER BY version FORMAT JSONCompact' });
    const versions = ((await response.json()) as { data: string[][] }).data.map((row) => Number(row[0]));
    const gated = again.features.lowCardinality ? [1, 2, 3, 4].filter((version) => version !== 4 || again.features.skipIndexes) : [1];
    // 5 (trace analyses) needs nothing newer than 18.16.
    const expected = [...gated, 5];
    assert.deepEqual(versions, expected);
  });

  it('keeps one copy of spans that two servers wrote at the same time', async () => {
    const name = database();
    const [a, b] = [await openClickHouseStore({ url: server.url, database: name }), await openClickHouseStore({ url: server.url, database: name })];
    try {
      const spans = buildAgentTrace({ startUnixNano: T0, llmCalls: 3 });
      const results = await Promise.all([a.write({ spans, events: [] }), b.write({ spans, events: [] })]);
      assert.equal(results[0]!.accepted + results[0]!.deduplicated, spans.length);
      const trace = await b.getTrace('default', spans[0]!.traceId);
      assert.equal(trace?.spans.length, spans.length);
      assert.equal(trace?.summary.spanCount, spans.length);
      assert.equal(trace?.summary.llmCallCount, 3);
      assert.equal((await a.stats()).spanCount, spans.length);
      const listed = await a.listTraces({ projectId: 'default', fromUnixNano: T0 - NS_PER_HOUR, toUnixNano: T0 + NS_PER_HOUR, sort: { field: 'startTime', descending: true }, limit: 10 });
      assert.deepEqual(listed.items, [trace?.summary]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('writes after ClickHouse closed the idle keep-alive connection (3 s)', async () => {
    const store = await openClickHouseStore({ url: server.url, database: database() });
    try {
      await store.write({ spans: [buildSpanRecord({ startTimeUnixNano: T0 })], events: [] });
      await new Promise((resolve) => setTimeout(resolve, 3_300));
      const result = await store.write({ spans: [buildSpanRecord({ startTimeUnixNano: T0 })], events: [] });
      assert.equal(result.accepted, 1);
      assert.equal((await store.stats()).spanCount, 2);
    } finally {
      await store.close();
    }
  });

  it('drops a project’s data older than its retention and leaves other projects alone', async () => {
    const store = await openClickHouseStore({ url: server.url, database: database() });
    try {
      const old = buildAgentTrace({ startUnixNano: T0 - 10n * NS_PER_DAY, llmCalls: 1 });
      const recent = buildAgentTrace({ startUnixNano: T0 - NS_PER_HOUR, llmCalls: 1 });
      const otherOld = buildAgentTrace({ startUnixNano: T0 - 10n * NS_PER_DAY, llmCalls: 1 }).map((span) => ({ ...span, projectId: 'other' }));
      const event = { projectId: 'default', traceId: old[1]!.traceId, spanId: old[1]!.spanId, event: { timeUnixNano: T0 - 10n * NS_PER_DAY, name: 'late', attributes: {}, droppedAttributesCount: 0 } };
      await store.write({ spans: [...old, ...recent, ...otherOld], events: [event] });

      const result = await store.applyRetention({ projectId: 'default', maxAgeDays: 7, nowUnixNano: T0 });
      assert.equal(result.droppedPartitions, 2, 'one day partition of spans and one of events');
      assert.equal(result.ttlEnforced, store.features.ttl);
      assert.equal(await store.getTrace('default', old[0]!.traceId), null);
      assert.ok(await store.getTrace('default', recent[0]!.traceId));
      assert.ok(await store.getTrace('other', otherOld[0]!.traceId));
      assert.equal((await store.stats()).spanCount, recent.length + otherOld.length);
      assert.deepEqual(await store.applyRetention({ projectId: 'default', maxAgeDays: 7, nowUnixNano: T0 }), { droppedPartitions: 0, ttlEnforced: store.features.ttl });
      await assert.rejects(store.applyRetention({ projectId: 'default', maxAgeDays: 0 }), RangeError);
    } finally {
      await store.close();
    }
  });

  it('answers store_unavailable, not a silent success, when ClickHouse goes away mid-life', async () => {
    const own = await startClickHouseServer();
    const store = await openClickHouseStore({ url: own.url, database: database() });
    try {
      await own.stop();
      await assert.rejects(store.write({ spans: [buildSpanRecord()], events: [] }), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'store_unavailable');
        return true;
      });
      await assert.rejects(store.getTrace('default', 'a'.repeat(32)), (error: unknown) => error instanceof StoreError && error.code === 'store_unavailable');
    } finally {
      await store.close();
      await own.stop();
      await fs.rm(own.dir, { recursive: true, force: true });
    }
  });
});

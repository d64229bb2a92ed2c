// What the ClickHouse adapter adds beyond the conformance suite: plain errors when ClickHouse is
// unreachable, dedupe across several stores (servers) writing the same spans, surviving
// ClickHouse's 3 s idle-connection close, versioned migrations gated by server version, and
// per-project retention.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { describe, it } from 'node:test';
import { StoreError } from '@cairn/storage';
import { buildAgentTrace, buildSpanRecord, NS_PER_HOUR, T0 } from '@cairn/storage/conformance';
import { openClickHouseStore } from '../src/index.js';
import { dayNumber, dayStart, expiredDays, ttlExpression } from '../src/internal/retention-sql.js';
import { featuresOf } from '../src/internal/server-features.js';
import { clickHouseSkipReason, freePort, startClickHouseServer } from '../src/testing/index.js';
import { useClickHouseServer } from './support/clickhouse-suite.js';

const NS_PER_DAY = 24n * NS_PER_HOUR;

describe('server version gating', () => {
  it('keeps 18.16 on the baseline and switches features on for newer servers', () => {
    assert.deepEqual(featuresOf('18.16.1'), { version: '18.16.1', lowCardinality: false, codecs: false, skipIndexes: false, ttl: false });
    assert.deepEqual(featuresOf('19.6.2.11'), { version: '19.6.2.11', lowCardinality: true, codecs: true, skipIndexes: false, ttl: true });
    assert.equal(featuresOf('24.8.4.13').skipIndexes, true);
  });

  it('builds a per-project TTL expression with a day of grace over the policy', () => {
    assert.equal(
      ttlExpression('start_ns', 7 * 86_400_000, [{ projectId: "o'brien", maxAgeMs: 3_600_000 }, { projectId: 'archive', maxAgeMs: null }]),
      "addDays(toDateTime(intDiv(start_ns, 1000000000)), multiIf(project_id = 'o\\'brien', 2, project_id = 'archive', 36500, 8))",
    );
    assert.equal(ttlExpression('time_ns', null, []), 'addDays(toDateTime(intDiv(time_ns, 1000000000)), 36500)');
  });

  it('drops a day only with every day of the traces in it (midnight-crossing traces hold their earlier days)', () => {
    assert.equal(dayNumber(T0), 20260115);
    assert.equal(dayStart(T0 + 5n * NS_PER_HOUR), T0 - 10n * NS_PER_HOUR);
    assert.deepEqual(expiredDays([1, 2, 3, 4], []), [1, 2, 3, 4]);
    assert.deepEqual(expiredDays([1, 2, 3, 4], [[1, 2]]), [1, 2, 3, 4]);
    // 3–5 holds 3; then 2–3 holds 2; 1 stays droppable.
    assert.deepEqual(expiredDays([1, 2, 3, 4], [[2, 3], [3, 5]]), [1, 4]);
  });
});

describe('ClickHouse store behaviour', { skip: clickHouseSkipReason() }, () => {
  const suite = useClickHouseServer('store_test');
  const { database } = suite;

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
    const first = await openClickHouseStore({ url: suite.server.url, database: name });
    await first.close();
    const again = await openClickHouseStore({ url: suite.server.url, database: name });
    await again.close();
    const response = await fetch(`${suite.server.url}/?database=${name}`, { method: 'POST', body: 'SELECT version FROM schema_migrations ORDER BY version FORMAT JSONCompact' });
    const versions = ((await response.json()) as { data: string[][] }).data.map((row) => Number(row[0]));
    const gated = again.features.lowCardinality ? [1, 2, 3, 4].filter((version) => version !== 4 || again.features.skipIndexes) : [1];
    // 5 (trace analyses), 6 (semantic columns of spans) and 7 (trace_parts list index) need nothing newer than 18.16.
    const expected = [...gated, 5, 6, 7];
    assert.deepEqual(versions, expected);
  });

  it('keeps one copy of spans that two servers wrote at the same time', async () => {
    const name = database();
    const [a, b] = [await openClickHouseStore({ url: suite.server.url, database: name }), await openClickHouseStore({ url: suite.server.url, database: name })];
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
    const store = await openClickHouseStore({ url: suite.server.url, database: database() });
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

  it('retention drops whole UTC days: a trace goes once its last day is before the cutoff day', async () => {
    const store = await openClickHouseStore({ url: suite.server.url, database: database() });
    try {
      const midnight = dayStart(T0);
      // Exactly past a 1-day cutoff, but on the cutoff's own day: kept until that day is over.
      const sameDay = buildAgentTrace({ startUnixNano: midnight - NS_PER_DAY + NS_PER_HOUR, llmCalls: 1 });
      // Crossing midnight 3 → 2 days ago holds day −3, and with it another expired trace there.
      const crossing = buildAgentTrace({ startUnixNano: midnight - 2n * NS_PER_DAY - NS_PER_HOUR, llmCalls: 1 });
      crossing.push(buildSpanRecord({ traceId: crossing[0]!.traceId, parentSpanId: crossing[0]!.spanId, startTimeUnixNano: midnight - 2n * NS_PER_DAY + NS_PER_HOUR }));
      const heldByCrossing = buildAgentTrace({ startUnixNano: midnight - 2n * NS_PER_DAY - 2n * NS_PER_HOUR, llmCalls: 1 });
      const event = { projectId: 'default', traceId: heldByCrossing[1]!.traceId, spanId: heldByCrossing[1]!.spanId, event: { timeUnixNano: heldByCrossing[1]!.startTimeUnixNano, name: 'late', attributes: {}, droppedAttributesCount: 0 } };
      await store.write({ spans: [...sameDay, ...crossing, ...heldByCrossing], events: [event] });
      const exists = async (trace: typeof sameDay) => (await store.getTrace('default', trace[0]!.traceId)) !== null;

      // Cutoff 35 hours ago (day −2, 13:00): every trace but sameDay has expired, yet only day −3
      // lies wholly before the cutoff's day, and the crossing trace (a span on day −2) holds it.
      const policy = (maxAgeMs: number) => ({ defaultMaxAgeMs: maxAgeMs, projects: [], nowUnixNano: midnight + NS_PER_HOUR });
      assert.deepEqual(await store.applyRetention(policy(36 * 3_600_000)), { tracesRemoved: 0, spansRemoved: 0 });
      assert.ok(await exists(crossing));
      assert.ok(await exists(heldByCrossing), 'held by the midnight-crossing trace sharing its day');
      assert.ok(await exists(sameDay));

      // Cutoff 1 hour ago (day 0): days −3, −2, −1 go, and every trace with them, whole.
      const result = await store.applyRetention(policy(3_600_000));
      assert.deepEqual(result, { tracesRemoved: 3, spansRemoved: sameDay.length + crossing.length + heldByCrossing.length });
      for (const trace of [sameDay, crossing, heldByCrossing]) assert.equal(await exists(trace), false);
      assert.equal((await store.stats()).spanCount, 0);
      await store.write({ spans: heldByCrossing, events: [] });
      const span = await store.getSpan('default', heldByCrossing[1]!.traceId, heldByCrossing[1]!.spanId);
      assert.ok(!span?.events.some((stored) => stored.name === 'late'), 'the event partition went with the trace');
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

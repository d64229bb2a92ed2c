// The trace_parts list index (trace-parts.ts) beyond the conformance suite: spans stored before
// the index existed are listed after the upgrade, a retried batch that two servers both inserted
// is still one trace with exact totals, and lists page through many traces in exact order.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SpanRecord } from '@cairn/model';
import { buildAgentTrace, NS_PER_HOUR, T0 } from '@cairn/storage/conformance';
import { openClickHouseStore } from '../src/index.js';
import { clickHouseSkipReason } from '../src/testing/index.js';
import { useClickHouseServer } from './support/clickhouse-suite.js';

const window = { projectId: 'default', fromUnixNano: T0 - NS_PER_HOUR, toUnixNano: T0 + 24n * NS_PER_HOUR };

function traceAt(index: number, sessionId?: string): SpanRecord[] {
  return buildAgentTrace({ traceId: index.toString(16).padStart(32, '0'), startUnixNano: T0 + BigInt(index) * 1_000_000_000n, llmCalls: 1, ...(sessionId === undefined ? {} : { sessionId }) });
}

describe('ClickHouse trace_parts index', { skip: clickHouseSkipReason() }, () => {
  const suite = useClickHouseServer('parts_test');
  const { database } = suite;
  const sql = (name: string, statement: string) => suite.sql(name, statement);

  it('lists spans written before migration 7 once the store is opened again', async () => {
    const name = database();
    const first = await openClickHouseStore({ url: suite.server.url, database: name });
    const spans = traceAt(1);
    await first.write({ spans, events: [] });
    await first.close();
    // Back to a database an earlier Cairn left: no index, migration 7 not recorded.
    await sql(name, 'DROP TABLE trace_parts');
    await sql(name, 'ALTER TABLE schema_migrations DELETE WHERE version = 7');
    for (let attempt = 0; attempt < 100 && (await sql(name, 'SELECT count() FROM schema_migrations WHERE version = 7')) !== '0\n'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const store = await openClickHouseStore({ url: suite.server.url, database: name });
    try {
      const page = await store.listTraces({ ...window, agent: spans.find((span) => span.agentName !== null)!.agentName!, sort: { field: 'startTime', descending: true }, limit: 10 });
      assert.deepEqual(page.items.map((item) => [item.traceId, item.spanCount]), [[spans[0]!.traceId, spans.length]]);
    } finally {
      await store.close();
    }
  });

  it('keeps a batch inserted twice (two servers racing on a retry) one trace with exact totals', async () => {
    const name = database();
    const one = await openClickHouseStore({ url: suite.server.url, database: name });
    const two = await openClickHouseStore({ url: suite.server.url, database: name });
    try {
      const spans = traceAt(2, 'session-raced');
      // Both dedupe lookups miss before either insert lands.
      await Promise.all([one.write({ spans, events: [] }), two.write({ spans, events: [] })]);
      const page = await one.listTraces({ ...window, sort: { field: 'duration', descending: false }, limit: 10 });
      const alone = (await one.getTrace('default', spans[0]!.traceId))!.summary;
      assert.equal(page.items.length, 1);
      assert.deepEqual(page.items[0], alone);
      assert.equal(alone.spanCount, spans.length);
      const sessions = await one.listSessions({ ...window, limit: 10 });
      assert.deepEqual(sessions.items.map((session) => [session.sessionId, session.traceCount, session.inputTokens]), [['session-raced', 1, alone.inputTokens]]);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('pages through more traces than one index batch, newest first, without gaps or repeats', async () => {
    const name = database();
    const store = await openClickHouseStore({ url: suite.server.url, database: name });
    try {
      const count = 150;
      await store.write({ spans: Array.from({ length: count }, (_, index) => traceAt(index + 10)).flat(), events: [] });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listTraces({ ...window, sort: { field: 'startTime', descending: true }, limit: 7, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...page.items.map((item) => item.traceId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      const expected = Array.from({ length: count }, (_, index) => (index + 10).toString(16).padStart(32, '0')).reverse();
      assert.deepEqual(seen, expected);
    } finally {
      await store.close();
    }
  });
});

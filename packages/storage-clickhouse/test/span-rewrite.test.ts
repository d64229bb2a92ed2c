// ClickHouse specifics of updateSpanSemantics beyond the conformance suite: the replacement rows
// it inserts are the ones background merges keep, and a database created before migration 6
// (no semantic columns) opens and is found by renormalize's scan.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredSpan } from '@cairn/storage';
import { buildAgentTrace, NS_PER_HOUR, T0 } from '@cairn/storage/conformance';
import { openClickHouseStore } from '../src/index.js';
import { clickHouseSkipReason } from '../src/testing/index.js';
import { useClickHouseServer } from './support/clickhouse-suite.js';

describe('ClickHouse span rewrite', { skip: clickHouseSkipReason() }, () => {
  const suite = useClickHouseServer('rewrite_test');
  const { database } = suite;
  const sql = (name: string, statement: string) => suite.sql(name, statement);

  it('keeps the replacement row when merges collapse a rewritten span', async () => {
    const name = database();
    const store = await openClickHouseStore({ url: suite.server.url, database: name });
    try {
      const spans = buildAgentTrace({ startUnixNano: T0, llmCalls: 2 });
      await store.write({ spans, events: [] });
      const llm = spans.find((span) => span.spanType === 'llm')!;
      const { input: _input, output: _output, ...stored } = llm;
      const rewritten: StoredSpan = { ...stored, model: null, costUsd: 2, costProvenance: { source: 'custom', priceTableVersion: 'v2', priceId: 'p', tier: null } };
      await store.updateSpanSemantics([rewritten], 7);
      await store.updateSpanSemantics([{ ...rewritten, costUsd: 3 }], 8);
      assert.equal(await sql(name, 'SELECT count() FROM spans'), `${spans.length + 2}\n`, 'two replacement rows before any merge');

      await sql(name, 'OPTIMIZE TABLE spans FINAL');
      assert.equal(await sql(name, 'SELECT count() FROM spans'), `${spans.length}\n`, 'merged to one row per span');
      const detail = await store.getSpan('default', llm.traceId, llm.spanId);
      assert.equal(detail?.costUsd, 3);
      assert.equal(detail?.model, null, 'a NULL in the newest row wins over the older value');
      assert.deepEqual(detail?.input, llm.input, 'input kept from the stored row');
      const trace = await store.getTrace('default', llm.traceId);
      assert.equal(trace?.summary.costUsd, 3 + 0.0001194);
      assert.equal(await sql(name, `SELECT normalizer_version FROM spans WHERE span_id = '${llm.spanId}'`), '8\n');
    } finally {
      await store.close();
    }
  });

  it('opens a database made before the semantic columns, and renormalize finds its spans', async () => {
    const name = database();
    const spans = buildAgentTrace({ startUnixNano: T0, llmCalls: 1 });
    const first = await openClickHouseStore({ url: suite.server.url, database: name });
    await first.close();
    // Back to the schema an earlier Cairn left (migrations 1–5), with a row it wrote.
    for (const column of ['semantics', 'normalizer_version', 'rewritten_ns']) await sql(name, `ALTER TABLE spans DROP COLUMN ${column}`);
    await sql(name, 'ALTER TABLE schema_migrations DELETE WHERE version = 6');
    // ALTER DELETE is a mutation: applied in the background.
    for (let attempt = 0; attempt < 100 && (await sql(name, 'SELECT count() FROM schema_migrations WHERE version = 6')) !== '0\n'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const oldRow = spans[0]!;
    await sql(name, `INSERT INTO spans (project_id, trace_id, span_id, parent_span_id, name, start_ns, end_ns, service_name, span_type, resource_attributes, scope_attributes, attributes, received_ns)
      VALUES ('default', '${oldRow.traceId}', '${oldRow.spanId}', '', 'old root', ${oldRow.startTimeUnixNano}, ${oldRow.endTimeUnixNano}, 'old-svc', 'agent', '{}', '{}', '{}', 1)`);

    const store = await openClickHouseStore({ url: suite.server.url, database: name });
    try {
      const detail = await store.getSpan('default', oldRow.traceId, oldRow.spanId);
      assert.equal(detail?.name, 'old root');
      assert.equal('finishReasons' in (detail ?? {}), false, 'fields the old row never had stay absent');
      const found: StoredSpan[] = [];
      for await (const batch of store.scanSpans({ fromUnixNano: T0 - NS_PER_HOUR, toUnixNano: T0 + NS_PER_HOUR, normalizerVersionBelow: 1, batchSize: 10 })) found.push(...batch);
      assert.deepEqual(found.map((span) => span.spanId), [oldRow.spanId]);
      await store.write({ spans: spans.slice(1), events: [] });
      assert.equal((await store.getTrace('default', oldRow.traceId))?.spans.length, 2);
    } finally {
      await store.close();
    }
  });
});

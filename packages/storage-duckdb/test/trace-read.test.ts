// getTrace reads span rows as one JSON array per row (span-row.ts SPAN_JSON_SELECT) and decodes
// attributes, events and links on first access: the values a caller sees must be exactly those
// written, including the ones JSON cannot carry as numbers.

import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { SpanRecord } from '@cairn/model';
import { buildEverythingSpan, buildSpanRecord, nextTraceId } from '@cairn/storage/conformance';
import { openDuckDbStore } from '../src/index.js';
import { SqlParams } from '../src/internal/sql-params.js';
import { summarizeTraceParts } from '../src/internal/trace-parts-summary.js';
import { SUMMARY_FROM_SPANS_MAX, tracePartsSql } from '../src/internal/trace-tree-read.js';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('DuckDB getTrace read path', () => {
  it('returns non-finite and extreme numbers, -0 and 64-bit times exactly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-trace-read-'));
    dirs.push(dir);
    const store = await openDuckDbStore({ dataDir: dir });
    try {
      const base = buildEverythingSpan();
      const span = {
        ...base,
        receivedUnixNano: 9_223_372_036_854_775_807n,
        usage: { inputTokens: Number.POSITIVE_INFINITY, outputTokens: Number.NaN, cacheReadTokens: -0, cacheWriteTokens: 1e300, reasoningTokens: 0.1 + 0.2 },
        costUsd: Number.NEGATIVE_INFINITY,
      };
      await store.write({ spans: [span], events: [] });
      const trace = await store.getTrace(span.projectId, span.traceId);
      assert.ok(trace);
      const [read] = trace.spans;
      assert.ok(read);
      assert.equal(read.startTimeUnixNano, span.startTimeUnixNano);
      assert.equal(read.endTimeUnixNano, span.endTimeUnixNano);
      assert.equal(read.receivedUnixNano, span.receivedUnixNano);
      assert.deepEqual(read.usage, span.usage);
      assert.ok(Object.is(read.usage.cacheReadTokens, -0));
      assert.equal(read.costUsd, Number.NEGATIVE_INFINITY);
      assert.deepEqual(read.attributes, span.attributes);
      assert.deepEqual(read.events, span.events);
      assert.deepEqual(read.links, span.links);
      assert.equal(read.name, span.name);
      // Decoded once, then an ordinary property: a reassignment sticks.
      read.attributes = { replaced: true };
      assert.deepEqual({ ...read }.attributes, { replaced: true });
    } finally {
      await store.close();
    }
  });

  it('summarizes a trace from its spans as its parts do: writes, write order on equal start times, sums', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-trace-read-'));
    dirs.push(dir);
    const store = await openDuckDbStore({ dataDir: dir });
    type Internals = { query(sql: string, params: SqlParams): Promise<unknown[][]>; parts: { worker: { request(message: object): Promise<unknown> } } };
    const internals = store as unknown as Internals;
    try {
      const traceId = nextTraceId();
      const t0 = (BigInt(Date.now()) - 3_600_000n) * 1_000_000n;
      const span = (spanId: string, startMs: number, overrides: Partial<SpanRecord>) =>
        buildSpanRecord({ traceId, spanId, parentSpanId: 'aaaaaaaaaaaaaaaa', startTimeUnixNano: t0 + BigInt(startMs) * 1_000_000n, ...overrides });
      const llm = (model: string, costUsd: number) => ({ spanType: 'llm' as const, model, costUsd, usage: { inputTokens: 3, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }, hasUsage: true });
      // No root, so the earliest span names the trace's service. Within the first write two spans
      // start together: the one written first (the larger span id, so last by start time and
      // span id, the order trace reads return) is the one the write path's part took.
      await store.write({
        spans: [
          span('ff00000000000001', 5, { serviceName: 'written-first', sessionId: 'session-first', userId: 'user-first', ...llm('m-a', 0.1) }),
          span('0000000000000002', 5, { serviceName: 'written-second', sessionId: 'session-second', userId: 'user-second', ...llm('m-b', 0.2) }),
          span('1000000000000003', 40, { serviceName: 'later', ...llm('m-a', 0.7) }),
        ],
        events: [],
      });
      // A later write with a span as early as those: the earlier write's part wins the tie.
      await store.write({ spans: [span('0000000000000004', 5, { serviceName: 'later-write', sessionId: 'session-later', ...llm('m-c', 0.3) })], events: [] });
      await store.write({ spans: [span('2000000000000005', 1, { spanType: 'tool', toolName: 'search', serviceName: 'tools', status: { code: 'error', message: 'boom' } })], events: [] });

      const summaryOfParts = async (id: string) => {
        const params = new SqlParams();
        return summarizeTraceParts(id, await internals.query(tracePartsSql('default', id, params), params))?.summary;
      };
      const fromParts = await summaryOfParts(traceId);
      assert.ok(fromParts);
      const full = await store.getTrace('default', traceId);
      const tree = await store.getTrace('default', traceId, { view: 'tree' });
      assert.deepEqual(full?.summary, fromParts);
      assert.deepEqual(tree?.summary, fromParts);
      assert.equal(fromParts.serviceName, 'tools');
      assert.equal(fromParts.sessionId, 'session-first');
      assert.equal(fromParts.userId, 'user-first');
      assert.equal(fromParts.spanCount, 5);
      assert.equal(fromParts.errorCount, 1);
      assert.equal(fromParts.llmCallCount, 4);
      assert.equal(fromParts.inputTokens, 12);
      assert.deepEqual(fromParts.models, ['m-a', 'm-b', 'm-c']);
      assert.equal(fromParts.hasRoot, false);

      // Without the earliest span the service is the first write's first span's, not the
      // smaller span id's that start times alone would pick.
      const withoutTool = buildSpanRecord({ traceId: nextTraceId(), spanId: 'ff00000000000011', parentSpanId: 'aaaaaaaaaaaaaaaa', startTimeUnixNano: t0, serviceName: 'written-first' });
      await store.write({ spans: [withoutTool, { ...withoutTool, spanId: '0000000000000012', serviceName: 'written-second' }], events: [] });
      assert.equal((await store.getTrace('default', withoutTool.traceId))?.summary.serviceName, 'written-first');
      assert.equal((await store.getTrace('default', withoutTool.traceId, { view: 'tree' }))?.summary.serviceName, 'written-first');

      // A trace too large to summarize from its spans takes the parts' summary, spans in order.
      const largeId = nextTraceId();
      const large = Array.from({ length: SUMMARY_FROM_SPANS_MAX + 1 }, (_, index) =>
        buildSpanRecord({ traceId: largeId, parentSpanId: 'aaaaaaaaaaaaaaaa', startTimeUnixNano: t0 + BigInt((index * 7919) % 5000) * 1_000_000n, ...llm('m-a', 0.1) }),
      );
      await store.write({ spans: large.slice(0, 1000), events: [] });
      await store.write({ spans: large.slice(1000), events: [] });
      const largeFromParts = await summaryOfParts(largeId);
      assert.equal(largeFromParts?.spanCount, SUMMARY_FROM_SPANS_MAX + 1);
      for (const view of [{ view: 'full' as const }, { view: 'tree' as const }]) {
        const read = await store.getTrace('default', largeId, view);
        assert.deepEqual(read?.summary, largeFromParts);
        const order = read!.spans.map((s) => `${String(s.startTimeUnixNano).padStart(20, '0')} ${s.spanId}`);
        assert.deepEqual(order, [...order].sort());
      }

      // Parts whose window holds no span (rows removed behind the store's back): the summary
      // still comes from the parts, with no spans.
      await internals.parts.worker.request({ op: 'query', sql: `DELETE FROM spans WHERE trace_id = '${traceId}'`, params: [], writer: true });
      const bare = await store.getTrace('default', traceId);
      assert.deepEqual(bare, { summary: fromParts, spans: [] });
      assert.deepEqual(await store.getTrace('default', traceId, { view: 'tree' }), { summary: fromParts, spans: [] });
    } finally {
      await store.close();
    }
  });
});

// getTrace's tree view and the attribute catalog: the tree view lists the same spans as the full
// read with the fields a tree and waterfall draw (events as times and names, detached ones
// included), and the catalog suggests the keys and values that spans of a window carry.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SpanRecord } from '@cairn/model';
import type { TreeSpan } from '../trace-tree.js';
import type { TraceStoreHarness } from './harness.js';
import { NS_PER_HOUR, NS_PER_MINUTE, T0, withStore } from './harness.js';
import { buildAgentTrace, buildSpanRecord } from './span-builder.js';

const TREE_KEYS = [
  'projectId', 'traceId', 'spanId', 'parentSpanId', 'name', 'kind', 'spanType', 'serviceName', 'startTimeUnixNano',
  'endTimeUnixNano', 'status', 'model', 'provider', 'operation', 'agentName', 'toolName', 'sessionId', 'userId', 'usage', 'costUsd',
  'inputPreview', 'outputPreview',
] as const;

function treeFields(span: TreeSpan): Record<string, unknown> {
  const fields: Record<string, unknown> = Object.fromEntries(TREE_KEYS.map((key) => [key, span[key]]));
  fields.events = span.events.map((event) => ({ timeUnixNano: event.timeUnixNano, name: event.name }));
  return fields;
}

export function registerTraceTreeCases(harness: TraceStoreHarness): void {
  test('getTrace tree view: every span with the tree fields, events as times and names (detached ones too)', async () => {
    await withStore(harness, async (store) => {
      const spans = buildAgentTrace({ startUnixNano: T0, llmCalls: 4 });
      const llm = spans.find((span) => span.spanType === 'llm')!;
      llm.events = [
        { timeUnixNano: llm.startTimeUnixNano + 5_000_000n, name: 'gen_ai.fallback', attributes: { 'fallback.model': 'gpt-4o', big: 'x'.repeat(5_000) }, droppedAttributesCount: 0 },
        { timeUnixNano: llm.startTimeUnixNano + 1_000_000n, name: 'rate_limited', attributes: {}, droppedAttributesCount: 1 },
      ];
      llm.status = { code: 'error', message: 'upstream 429' };
      llm.costUsd = 0.0125;
      const tool = spans.find((span) => span.spanType === 'tool')!;
      await store.write({
        spans,
        events: [{ projectId: 'default', traceId: tool.traceId, spanId: tool.spanId, event: { timeUnixNano: tool.startTimeUnixNano + 2_000n, name: 'cache.hit', attributes: { key: 'k' }, droppedAttributesCount: 0 } }],
      });
      const full = await store.getTrace('default', llm.traceId);
      const tree = await store.getTrace('default', llm.traceId, { view: 'tree' });
      assert.ok(full && tree);
      assert.deepEqual(tree.summary, full.summary);
      assert.deepEqual(tree.spans.map(treeFields), full.spans.map(treeFields));
      const treeLlm = tree.spans.find((span) => span.spanId === llm.spanId)!;
      // A span's own events keep the order they were sent in, as in the full read.
      assert.deepEqual(treeLlm.events, [
        { timeUnixNano: llm.startTimeUnixNano + 5_000_000n, name: 'gen_ai.fallback' },
        { timeUnixNano: llm.startTimeUnixNano + 1_000_000n, name: 'rate_limited' },
      ]);
      assert.equal(treeLlm.status.message, 'upstream 429');
      assert.equal(treeLlm.costUsd, 0.0125);
      const treeTool = tree.spans.find((span) => span.spanId === tool.spanId)!;
      assert.deepEqual(treeTool.events, [{ timeUnixNano: tool.startTimeUnixNano + 2_000n, name: 'cache.hit' }]);
      assert.equal(await store.getTrace('default', '0'.repeat(31) + '1', { view: 'tree' }), null);
    });
  });

  test('a trace id used by two projects: each project reads only its own spans and summary', async () => {
    await withStore(harness, async (store) => {
      const ours = buildAgentTrace({ startUnixNano: T0, llmCalls: 2, projectId: 'team-a' });
      const traceId = ours[0]!.traceId;
      // Same trace id, other spans in the same time window, one span id shared with team-a's root.
      const theirs = buildAgentTrace({ traceId, startUnixNano: T0 + 1_000_000n, llmCalls: 1, projectId: 'team-b', serviceName: 'billing' });
      const theirRoot = theirs[0]!;
      for (const span of theirs) if (span.parentSpanId === theirRoot.spanId) span.parentSpanId = ours[0]!.spanId;
      theirRoot.spanId = ours[0]!.spanId;
      theirRoot.name = 'team-b root';
      await store.write({ spans: [...ours, ...theirs], events: [] });
      for (const [projectId, spans] of [['team-a', ours], ['team-b', theirs]] as const) {
        const ids = spans.map((span) => span.spanId).sort();
        const full = await store.getTrace(projectId, traceId);
        assert.deepEqual(full?.spans.map((span) => span.spanId).sort(), ids, `${projectId}: full view`);
        assert.ok(full!.spans.every((span) => span.projectId === projectId));
        assert.equal(full!.summary.spanCount, spans.length);
        assert.equal(full!.summary.startTimeUnixNano, spans[0]!.startTimeUnixNano);
        const tree = await store.getTrace(projectId, traceId, { view: 'tree' });
        assert.deepEqual(tree?.spans.map((span) => span.spanId).sort(), ids, `${projectId}: tree view`);
        assert.equal(tree!.summary.serviceName, spans[0]!.serviceName);
        const root = await store.getSpan(projectId, traceId, spans[0]!.spanId);
        assert.equal(root?.name, spans[0]!.name, `${projectId}: the shared span id is the project's own span`);
      }
      assert.equal(await store.getTrace('team-c', traceId), null);
      assert.equal(await store.getTrace('team-c', traceId, { view: 'tree' }), null);
      assert.equal(await store.getSpan('team-c', traceId, ours[1]!.spanId), null);
    });
  });

  test('catalogAttributes: keys of the window, top values of a key or field, prefix, window bounds', async () => {
    await withStore(harness, async (store) => {
      const inWindow = (minutes: number, overrides: Partial<SpanRecord>) => buildSpanRecord({ startTimeUnixNano: T0 + BigInt(minutes) * NS_PER_MINUTE, ...overrides });
      const spans = [
        inWindow(1, { model: 'gpt-4o', attributes: { 'gen_ai.request.model': 'gpt-4o', 'app.tier': 'gold', retries: 2n } }),
        inWindow(2, { model: 'gpt-4o', attributes: { 'gen_ai.request.model': 'gpt-4o', 'app.tier': 'gold', flag: true } }),
        inWindow(3, { model: 'claude-sonnet-4', attributes: { 'gen_ai.request.model': 'claude-sonnet-4', 'app.tier': 'silver' } }),
        inWindow(4, { spanType: 'tool', toolName: 'lookup_order', attributes: { 'gen_ai.tool.name': 'lookup_order' } }),
        // Outside the window: never suggested.
        buildSpanRecord({ startTimeUnixNano: T0 + 5n * NS_PER_HOUR, model: 'mistral-large', attributes: { 'old.key': 'x' } }),
      ];
      await store.write({ spans, events: [] });
      const window = { projectId: 'default', fromUnixNano: T0, toUnixNano: T0 + NS_PER_HOUR, limit: 20 };

      const keys = await store.catalogAttributes(window);
      assert.equal(keys.sampledSpans, 4);
      assert.deepEqual(keys.entries.slice(0, 2), [
        { value: 'app.tier', count: 3 },
        { value: 'gen_ai.request.model', count: 3 },
      ]);
      assert.ok(keys.entries.some((entry) => entry.value === 'gen_ai.tool.name'));
      assert.ok(!keys.entries.some((entry) => entry.value === 'old.key'));

      const tiers = await store.catalogAttributes({ ...window, key: 'app.tier' });
      assert.deepEqual(tiers.entries, [{ value: 'gold', count: 2 }, { value: 'silver', count: 1 }]);
      assert.deepEqual((await store.catalogAttributes({ ...window, key: 'retries' })).entries, [{ value: '2', count: 1 }]);
      assert.deepEqual((await store.catalogAttributes({ ...window, key: 'app.tier', prefix: 'SIL' })).entries, [{ value: 'silver', count: 1 }]);

      const models = await store.catalogAttributes({ ...window, field: 'model' });
      assert.deepEqual(models.entries, [{ value: 'gpt-4o', count: 2 }, { value: 'claude-sonnet-4', count: 1 }]);
      assert.deepEqual((await store.catalogAttributes({ ...window, field: 'model', prefix: 'cl' })).entries, [{ value: 'claude-sonnet-4', count: 1 }]);
      assert.deepEqual((await store.catalogAttributes({ ...window, field: 'tool' })).entries, [{ value: 'lookup_order', count: 1 }]);
      assert.deepEqual((await store.catalogAttributes({ ...window, field: 'model', limit: 1 })).entries, [{ value: 'gpt-4o', count: 2 }]);

      const empty = await store.catalogAttributes({ ...window, fromUnixNano: T0 - 2n * NS_PER_HOUR, toUnixNano: T0 - NS_PER_HOUR });
      assert.deepEqual(empty, { entries: [], sampledSpans: 0 });
    });
  });
}

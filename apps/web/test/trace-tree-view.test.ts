import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiTraceSummary, ApiTraceTree } from '../src/api/api-types.js';
import { traceEventMarkers } from '../src/model/span-events.js';
import { buildSpanTree } from '../src/model/span-tree.js';
import { traceDetailOfTreeView, TreeViewFormatError } from '../src/model/trace-tree-view.js';

const FIELDS = [
  'spanId', 'parentSpanId', 'name', 'kind', 'spanType', 'serviceName', 'startTimeUnixNano', 'endTimeUnixNano',
  'durationMs', 'statusCode', 'statusMessage', 'model', 'provider', 'operation', 'agentName', 'toolName',
  'inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens', 'costUsd',
  'inputPreview', 'outputPreview', 'live', 'events',
];
const BASE = 1_700_000_000_000_000_000n;
const ns = (ms: number) => (BASE + BigInt(ms) * 1_000_000n).toString();

function row(spanId: string, parent: string | null, startMs: number, endMs: number, extra: Record<string, unknown> = {}): unknown[] {
  const cells: Record<string, unknown> = {
    spanId, parentSpanId: parent, name: `span ${spanId}`, kind: 'INTERNAL', spanType: 'llm', serviceName: 'svc',
    startTimeUnixNano: ns(startMs), endTimeUnixNano: ns(endMs), durationMs: endMs - startMs, statusCode: 'unset', statusMessage: '',
    model: 'gpt-4o', provider: 'openai', operation: 'chat', agentName: null, toolName: null, inputTokens: 10, outputTokens: 5,
    cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0.001, inputPreview: 'hi', outputPreview: 'hello', live: false, events: null,
    ...extra,
  };
  return FIELDS.map((field) => cells[field]);
}

const summary = { traceId: 'a'.repeat(32), startTimeUnixNano: ns(0) } as ApiTraceSummary;

describe('trace tree view', () => {
  it('turns rows into spans the tree reads, with event marks on the waterfall', () => {
    const tree: ApiTraceTree = {
      summary,
      placeholders: [],
      fields: [...FIELDS, 'addedLater'],
      rows: [
        [...row('root', null, 0, 1000), 'ignored'],
        [...row('call', 'root', 100, 600, { statusCode: 'error', statusMessage: 'boom', events: [[ns(200), 'gen_ai.fallback'], [ns(350), 'rate_limited']] }), 'ignored'],
      ],
    };
    const detail = traceDetailOfTreeView(tree);
    const call = detail.spans[1]!;
    assert.equal(call.traceId, summary.traceId);
    assert.deepEqual(call.status, { code: 'error', message: 'boom' });
    assert.deepEqual(call.usage, { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    assert.deepEqual(call.events, [{ timeUnixNano: ns(200), name: 'gen_ai.fallback' }, { timeUnixNano: ns(350), name: 'rate_limited' }]);
    const spanTree = buildSpanTree(detail.spans, detail.placeholders);
    assert.equal(spanTree.byId.get('call')!.parent!.spanId, 'root');
    const markers = traceEventMarkers(detail.spans, spanTree.traceStartNs, spanTree.traceDurationMs);
    assert.deepEqual(markers.get('call')!.map((marker) => [marker.kind, marker.leftPercent, marker.offsetMs]), [['fallback', 20, 100], ['rate_limited', 35, 250]]);
    assert.equal(markers.has('root'), false);
  });

  it('says which field is missing from a tree view it cannot read', () => {
    assert.throws(() => traceDetailOfTreeView({ summary, placeholders: [], fields: FIELDS.filter((field) => field !== 'events'), rows: [] }), TreeViewFormatError);
  });
});

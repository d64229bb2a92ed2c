// A model call instrumented twice (a library's own span inside an instrumentation's) counts once.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { SpanType } from '@cairn/model';
import type { ModelCallCandidate } from '../src/index.js';
import { demoteWrappingModelCalls, isDemotedWrapper, WRAPS_MODEL_CALL } from '../src/index.js';

let nextId = 0;
interface Fields {
  traceId: string;
  spanType: SpanType;
  name?: string;
  parentSpanId?: string;
  costUsd?: number;
  startMs?: number;
  endMs?: number;
  scope?: string;
  tokens?: [number, number];
}

function buildSpanRecord(fields: Fields): ModelCallCandidate & { name: string } {
  nextId++;
  const modelCall = fields.spanType === 'llm' || fields.spanType === 'embedding';
  return {
    traceId: fields.traceId,
    spanId: nextId.toString(16).padStart(16, '0'),
    parentSpanId: fields.parentSpanId ?? null,
    name: fields.name ?? fields.spanType,
    spanType: fields.spanType,
    usage: { inputTokens: modelCall ? (fields.tokens?.[0] ?? 21) : 0, outputTokens: modelCall ? (fields.tokens?.[1] ?? 10) : 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
    hasUsage: modelCall,
    costUsd: modelCall ? (fields.costUsd ?? 0.001) : null,
    costProvenance: null,
    dialects: ['gen_ai'],
    startTimeUnixNano: BigInt(fields.startMs ?? 0) * 1_000_000n,
    endTimeUnixNano: BigInt(fields.endMs ?? 100) * 1_000_000n,
    scope: { name: fields.scope ?? '@traceloop/instrumentation-openai' },
  };
}

const TRACE = 'ab'.repeat(16);

test('the outer of two nested model calls becomes their wrapper: no tokens, no cost, marked', () => {
  const outer = buildSpanRecord({ traceId: TRACE, spanType: 'llm', name: 'chat claude-3-5-haiku', parentSpanId: 'a'.repeat(16), costUsd: 0.002 });
  const inner = buildSpanRecord({ traceId: TRACE, spanType: 'llm', name: 'anthropic.messages.create', parentSpanId: outer.spanId, costUsd: 0.002 });
  const tool = buildSpanRecord({ traceId: TRACE, spanType: 'tool', parentSpanId: outer.spanId });
  const demoted = demoteWrappingModelCalls([inner, tool, outer]);
  assert.deepEqual(demoted, [outer]);
  assert.equal(outer.spanType, 'chain');
  assert.deepEqual([outer.usage.inputTokens, outer.usage.outputTokens, outer.hasUsage, outer.costUsd], [0, 0, false, null]);
  assert.ok(isDemotedWrapper(outer) && outer.dialects.includes(WRAPS_MODEL_CALL));
  assert.equal(inner.spanType, 'llm');
  assert.ok(inner.usage.inputTokens > 0 && inner.costUsd === 0.002, 'the leaf keeps its tokens and cost');
});

test('sibling model calls, calls of other traces and a lone call are left alone', () => {
  const agent = buildSpanRecord({ traceId: TRACE, spanType: 'agent' });
  const first = buildSpanRecord({ traceId: TRACE, spanType: 'llm', parentSpanId: agent.spanId, startMs: 0, endMs: 100 });
  const second = buildSpanRecord({ traceId: TRACE, spanType: 'llm', parentSpanId: agent.spanId, startMs: 120, endMs: 200 });
  // Same span id as `first` but another trace: not its parent.
  const elsewhere = buildSpanRecord({ traceId: 'cd'.repeat(16), spanType: 'embedding', parentSpanId: first.spanId });
  assert.deepEqual(demoteWrappingModelCalls([agent, first, second, elsewhere]), []);
  assert.deepEqual([first.spanType, second.spanType, elsewhere.spanType], ['llm', 'llm', 'embedding']);
  assert.deepEqual(demoteWrappingModelCalls([first]), []);
});

test('three levels: both outer calls become wrappers, only the innermost counts', () => {
  const gateway = buildSpanRecord({ traceId: TRACE, spanType: 'llm' });
  const client = buildSpanRecord({ traceId: TRACE, spanType: 'llm', parentSpanId: gateway.spanId });
  const sdk = buildSpanRecord({ traceId: TRACE, spanType: 'llm', parentSpanId: client.spanId });
  assert.deepEqual(new Set(demoteWrappingModelCalls([sdk, client, gateway])), new Set([gateway, client]));
  assert.equal(sdk.spanType, 'llm');
});

test('a sibling double from another instrumentation (same tokens, lasting over the call) becomes the wrapper', () => {
  const workflow = buildSpanRecord({ traceId: TRACE, spanType: 'agent' });
  const framework = buildSpanRecord({ traceId: TRACE, spanType: 'llm', parentSpanId: workflow.spanId, startMs: 10, endMs: 400, scope: '@traceloop/instrumentation-langchain', tokens: [59, 15] });
  const client = buildSpanRecord({ traceId: TRACE, spanType: 'llm', parentSpanId: workflow.spanId, startMs: 20, endMs: 390, scope: '@traceloop/instrumentation-openai', tokens: [59, 15] });
  const nextCall = buildSpanRecord({ traceId: TRACE, spanType: 'llm', parentSpanId: workflow.spanId, startMs: 500, endMs: 800, scope: '@traceloop/instrumentation-openai', tokens: [21, 15] });
  assert.deepEqual(demoteWrappingModelCalls([workflow, client, framework, nextCall]), [framework]);
  assert.deepEqual([framework.spanType, client.spanType, nextCall.spanType], ['chain', 'llm', 'llm']);
});

test('parallel calls of one client with equal usage stay separate calls, as do doubles with other usage', () => {
  const agent = buildSpanRecord({ traceId: TRACE, spanType: 'agent' });
  const long = buildSpanRecord({ traceId: TRACE, spanType: 'llm', parentSpanId: agent.spanId, startMs: 0, endMs: 900, tokens: [40, 12] });
  const short = buildSpanRecord({ traceId: TRACE, spanType: 'llm', parentSpanId: agent.spanId, startMs: 5, endMs: 800, tokens: [40, 12] });
  const otherScope = buildSpanRecord({ traceId: TRACE, spanType: 'llm', parentSpanId: agent.spanId, startMs: 1, endMs: 700, scope: 'other', tokens: [41, 12] });
  assert.deepEqual(demoteWrappingModelCalls([agent, long, short, otherScope]), []);
});

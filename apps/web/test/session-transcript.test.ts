import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiSpan, ApiSpanDetail, ApiTraceSummary } from '../src/api/api-types.js';
import { buildConversationTurn, pickTurnSpans, tracesInConversationOrder } from '../src/model/session-transcript.js';
import { span } from './support/api-span.js';

function detail(base: ApiSpan, input: unknown, output: unknown): ApiSpanDetail {
  return { ...base, startTime: base.startTime ?? '', sessionId: null, userId: null, attributes: {}, resource: { attributes: {} }, scope: { name: '', version: '' }, events: [], links: [], input, output, requestModel: null, toolCallId: null, hasUsage: false, dialects: [] };
}

function summary(traceId: string, startNs: bigint, errorCount = 0): ApiTraceSummary {
  return { traceId, startTimeUnixNano: startNs.toString(), startTime: '', errorCount } as ApiTraceSummary;
}

const text = (value: string) => ({ type: 'text' as const, text: value });

describe('session conversation', () => {
  it('picks the root, the first model call and the last model call that answered', () => {
    const spans = [
      span('root', null, 0, 100, { spanType: 'agent' }),
      span('late-fail', 'root', 90, 10, { spanType: 'llm', status: { code: 'error', message: 'timeout' } }),
      span('first', 'root', 5, 10, { spanType: 'llm' }),
      span('answer', 'root', 50, 30, { spanType: 'llm' }),
      span('orphan', 'gone', 1, 1),
    ];
    assert.deepEqual(pickTurnSpans(spans), { rootSpanId: 'root', firstLlmSpanId: 'first', lastLlmSpanId: 'answer' });
    assert.deepEqual(pickTurnSpans([]), { rootSpanId: null, firstLlmSpanId: null, lastLlmSpanId: null });
  });

  it('takes the user turn from the first model call and the answer from the last when the root has no payload', () => {
    const root = detail(span('root', null, 0, 100, { spanType: 'agent' }), null, null);
    const firstLlm = detail(span('first', 'root', 5, 10, { spanType: 'llm' }), [{ role: 'system', parts: [text('Be brief.')] }, { role: 'user', parts: [text('Can I get a refund?')] }], [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'delegate', arguments: {} }] }]);
    const lastLlm = detail(span('last', 'root', 50, 30, { spanType: 'llm' }), [{ role: 'user', parts: [text('Draft the reply.')] }], [{ role: 'assistant', parts: [text('Yes, you qualify.')] }]);
    const turn = buildConversationTurn(summary('t1', 1n), { root, firstLlm, lastLlm });
    assert.equal(turn.userText, 'Can I get a refund?');
    assert.equal(turn.assistantText, 'Yes, you qualify.');
    assert.equal(turn.failed, false);
  });

  it('prefers the root span payload, and falls back to previews', () => {
    const root = detail(span('root', null, 0, 100, { inputPreview: 'ignored' }), 'What is the weather?', [{ role: 'assistant', parts: [text('Sunny.')] }]);
    assert.deepEqual(
      (({ userText, assistantText }) => ({ userText, assistantText }))(buildConversationTurn(summary('t', 1n), { root, firstLlm: null, lastLlm: null })),
      { userText: 'What is the weather?', assistantText: 'Sunny.' },
    );
    const previewOnly = detail(span('root', null, 0, 1, { inputPreview: 'hi', outputPreview: '' }), { some: 'object' }, null);
    const turn = buildConversationTurn(summary('t', 1n, 2), { root: previewOnly, firstLlm: null, lastLlm: null });
    assert.equal(turn.userText, 'hi');
    assert.equal(turn.assistantText, null);
    assert.equal(turn.failed, true);
  });

  it('orders turns oldest first by exact nanosecond start', () => {
    const ordered = tracesInConversationOrder([summary('c', 1_700_000_000_000_000_002n), summary('a', 1_700_000_000_000_000_000n), summary('b', 1_700_000_000_000_000_001n)]);
    assert.deepEqual(ordered.map((trace) => trace.traceId), ['a', 'b', 'c']);
  });
});

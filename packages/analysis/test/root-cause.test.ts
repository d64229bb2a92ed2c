import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { buildSpanTree, findRootCause } from '../src/index.js';
import { idOf, TraceBuilder } from './support/trace-builder.js';

const rootCauseOf = (trace: TraceBuilder) => findRootCause(buildSpanTree(trace.spans));

void describe('root cause', () => {
  test('is the deepest, earliest-ending failure the root failure propagated from', () => {
    const trace = new TraceBuilder();
    trace.agent('agent', null, 0, 5_000, 'support', { error: 'agent run failed' });
    trace.llm('plan', 'agent', 10, 500);
    trace.tool('search', 'agent', 510, 1_500, 'search_docs', '{"query":"refund"}', { error: 'search failed' });
    trace.add({ id: 'http', parent: 'search', type: 'other', name: 'GET /index', at: 520, end: 1_400, error: '503 Service Unavailable' });
    trace.add({ id: 'dns', parent: 'search', type: 'other', name: 'dns lookup', at: 515, end: 519 });
    trace.llm('retry', 'agent', 1_600, 2_000);
    trace.tool('answer', 'agent', 2_100, 4_900, 'send_answer', '{"text":"…"}', { error: 'nothing to send' });
    const cause = rootCauseOf(trace);
    assert.equal(cause?.spanId, idOf('http'));
    assert.equal(cause?.message, 'other "GET /index" failed: "503 Service Unavailable"');
  });

  test('counts an error-like tool result (status unset) on the chain', () => {
    const trace = new TraceBuilder();
    trace.agent('agent', null, 0, 5_000, 'support', { error: 'gave up' });
    trace.tool('lookup', 'agent', 10, 200, 'lookup_order', '{"orderId":"1"}', { outputPreview: '{"error":"order 1 not found"}' });
    trace.llm('llm', 'agent', 300, 900);
    trace.tool('refund', 'agent', 1_000, 1_200, 'refund', '{"orderId":"1"}', { error: 'no such order' });
    const cause = rootCauseOf(trace);
    assert.equal(cause?.spanId, idOf('lookup'));
    assert.match(cause!.message, /tool "lookup_order" returned an error-like result: .*order 1 not found/);
  });

  test('looks through a wrapper that did not mark itself failed to the failure below it', () => {
    // The demo's failing run: orchestrator ✗ → billing agent (status unset) → issue_refund ✗.
    const trace = new TraceBuilder();
    trace.agent('orchestrator', null, 0, 3_100, 'orchestrator', { error: 'refund could not be issued' });
    trace.agent('billing', 'orchestrator', 50, 3_050, 'billing');
    trace.llm('plan', 'billing', 60, 900);
    trace.tool('refund', 'billing', 950, 2_050, 'issue_refund', '{"order":"4471"}', { error: '502 Bad Gateway' });
    trace.llm('apology', 'billing', 2_100, 3_000);
    const cause = rootCauseOf(trace);
    assert.equal(cause?.spanId, idOf('refund'));
    assert.match(cause!.message, /tool "issue_refund" failed/);
  });

  test('is the failing root itself when nothing under it failed', () => {
    const trace = new TraceBuilder();
    trace.agent('agent', null, 0, 5_000, 'support', { error: 'budget exceeded' });
    trace.llm('llm', 'agent', 10, 500, { outputPreview: '{"error": null, "answer": "ok"}' });
    assert.equal(rootCauseOf(trace)?.spanId, idOf('agent'));
  });

  test('says so when the failure was handled below a successful root', () => {
    const trace = new TraceBuilder();
    trace.agent('agent', null, 0, 5_000, 'support');
    trace.llm('first', 'agent', 10, 300, { error: '429 rate limited' });
    trace.llm('second', 'agent', 400, 900);
    const cause = rootCauseOf(trace);
    assert.equal(cause?.spanId, idOf('first'));
    assert.match(cause!.message, /handled/);
  });

  test('is null for a trace without failures, even with error-looking text', () => {
    const trace = new TraceBuilder();
    trace.agent('agent', null, 0, 5_000, 'support');
    trace.tool('t', 'agent', 10, 300, 'lint', '{"file":"a.ts"}', { outputPreview: 'error: 3 warnings found' });
    assert.equal(rootCauseOf(trace), null);
  });
});

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { buildAgentTrace } from '@cairn/storage/conformance';
import { buildSpanTree, detectFindings, type Finding } from '../src/index.js';
import { idsOf, TraceBuilder } from './support/trace-builder.js';

const findingsOf = (trace: TraceBuilder) => detectFindings(buildSpanTree(trace.spans));
const kinds = (findings: Finding[]) => findings.map((finding) => finding.kind);

/** agent → (llm → tool)* in sequence, the normal agent loop. */
function agentLoop(trace: TraceBuilder, parent: string, calls: { tool: string; args: string }[], start = 0): number {
  let cursor = start;
  calls.forEach((call, index) => {
    trace.llm(`l${parent}${index}`, parent, cursor, cursor + 800, { inputTokens: 400 + index * 50 });
    trace.tool(`t${parent}${index}`, parent, cursor + 810, cursor + 960, call.tool, call.args);
    cursor += 1000;
  });
  trace.llm(`l${parent}end`, parent, cursor, cursor + 800, { inputTokens: 400 + calls.length * 50 });
  return cursor + 800;
}

void describe('detectors on normal traces', () => {
  test('an ordinary agent trace has no findings', () => {
    const spans = buildAgentTrace({ llmCalls: 3 });
    assert.deepEqual(detectFindings(buildSpanTree(spans)), []);
  });

  test('an agent loop over different tools and arguments has no findings', () => {
    const trace = new TraceBuilder();
    trace.agent('a', null, 0, 10_000, 'support');
    agentLoop(trace, 'a', [
      { tool: 'lookup_order', args: '{"orderId":"48213"}' },
      { tool: 'search_docs', args: '{"query":"replacement policy for damaged furniture"}' },
      { tool: 'create_replacement_order', args: '{"orderId":"48213","items":["door-left","shelf"]}' },
    ]);
    assert.deepEqual(findingsOf(trace), []);
  });
});

void describe('tool_loop', () => {
  test('flags the same tool called with the same arguments three times in a row', () => {
    const trace = new TraceBuilder();
    trace.agent('a', null, 0, 10_000, 'support');
    agentLoop(trace, 'a', [
      { tool: 'lookup_order', args: '{"orderId":"48213"}' },
      { tool: 'search_docs', args: '{"query":"refund policy"}' },
      { tool: 'search_docs', args: '{ "query": "refund policy" }' },
      { tool: 'search_docs', args: '{"query":"refund policy"}' },
    ]);
    const findings = findingsOf(trace);
    assert.deepEqual(kinds(findings), ['tool_loop']);
    assert.deepEqual(findings[0]!.spanIds, idsOf('ta1', 'ta2', 'ta3'));
    assert.match(findings[0]!.message, /search_docs.*3 times in a row with the same arguments/);
  });

  test('flags nearly the same arguments (reworded long text), not different ids or pages', () => {
    const near = new TraceBuilder();
    near.agent('a', null, 0, 10_000, 'support');
    agentLoop(near, 'a', [
      { tool: 'search_docs', args: '{"query":"refund policy for damaged items"}' },
      { tool: 'search_docs', args: '{"query":"Refund policy for damaged item"}' },
      { tool: 'search_docs', args: '{"query":"refund policy for  damaged items?"}' },
    ]);
    assert.deepEqual(kinds(findingsOf(near)), ['tool_loop']);
    assert.match(findingsOf(near)[0]!.message, /nearly the same/);

    const paging = new TraceBuilder();
    paging.agent('a', null, 0, 10_000, 'support');
    agentLoop(paging, 'a', [
      { tool: 'list_orders', args: '{"customer":"c-1","page":1}' },
      { tool: 'list_orders', args: '{"customer":"c-1","page":2}' },
      { tool: 'list_orders', args: '{"customer":"c-1","page":3}' },
    ]);
    assert.deepEqual(findingsOf(paging), []);

    const orders = new TraceBuilder();
    orders.agent('a', null, 0, 10_000, 'support');
    agentLoop(orders, 'a', [
      { tool: 'lookup_order', args: '{"orderId":"48213"}' },
      { tool: 'lookup_order', args: '{"orderId":"48214"}' },
      { tool: 'lookup_order', args: '{"orderId":"48215"}' },
    ]);
    assert.deepEqual(findingsOf(orders), []);
  });

  test('does not flag a parallel fan-out of the same tool, nor two repeats, nor calls whose arguments are unknown', () => {
    const fanOut = new TraceBuilder();
    fanOut.agent('a', null, 0, 2_000, 'research');
    for (const [index, city] of ['Paris', 'Tokyo', 'Lima', 'Oslo'].entries()) {
      fanOut.tool(`w${index}`, 'a', 10 + index, 400 + index * 10, 'get_weather', `{"city":"${city}"}`);
    }
    assert.deepEqual(findingsOf(fanOut), []);

    const twice = new TraceBuilder();
    twice.agent('a', null, 0, 10_000, 'support');
    agentLoop(twice, 'a', [
      { tool: 'search_docs', args: '{"query":"refund policy"}' },
      { tool: 'search_docs', args: '{"query":"refund policy"}' },
    ]);
    assert.deepEqual(findingsOf(twice), []);

    const unknown = new TraceBuilder();
    unknown.agent('a', null, 0, 10_000, 'support');
    for (let index = 0; index < 4; index++) {
      unknown.add({ id: `u${index}`, parent: 'a', type: 'tool', toolName: 'ping', name: 'ping', at: index * 100, end: index * 100 + 50, attributes: {}, inputPreview: '' });
    }
    assert.deepEqual(findingsOf(unknown), []);
  });
});

void describe('straggler', () => {
  test('flags one parallel sibling far slower than the median', () => {
    const trace = new TraceBuilder();
    trace.agent('a', null, 0, 10_000, 'research');
    trace.tool('f0', 'a', 10, 1_010, 'fetch_page', '{"url":"https://a.example"}');
    trace.tool('f1', 'a', 12, 1_200, 'fetch_page', '{"url":"https://b.example"}');
    trace.tool('f2', 'a', 14, 9_500, 'fetch_page', '{"url":"https://c.example"}');
    trace.tool('f3', 'a', 16, 900, 'fetch_page', '{"url":"https://d.example"}');
    const findings = findingsOf(trace);
    assert.deepEqual(kinds(findings), ['straggler']);
    assert.equal(findings[0]!.spanIds[0], idsOf('f2')[0]);
    assert.equal(findings[0]!.spanIds.length, 4);
    assert.match(findings[0]!.message, /fetch_page.*9\.5 s.*4 parallel siblings/);
  });

  test('does not flag sequential calls, two parallel calls, uneven but close siblings, or short ones', () => {
    const sequential = new TraceBuilder();
    sequential.agent('a', null, 0, 20_000, 'research');
    sequential.tool('s0', 'a', 0, 1_000, 'fetch_page', '{"url":"a"}');
    sequential.tool('s1', 'a', 1_100, 2_000, 'fetch_page', '{"url":"b"}');
    sequential.tool('s2', 'a', 2_100, 12_000, 'fetch_page', '{"url":"c"}');
    assert.deepEqual(findingsOf(sequential), []);

    const two = new TraceBuilder();
    two.agent('a', null, 0, 20_000, 'research');
    two.tool('p0', 'a', 0, 1_000, 'fetch_page', '{"url":"a"}');
    two.tool('p1', 'a', 5, 9_000, 'fetch_page', '{"url":"b"}');
    assert.deepEqual(findingsOf(two), []);

    const close = new TraceBuilder();
    close.agent('a', null, 0, 20_000, 'research');
    close.tool('c0', 'a', 0, 1_000, 'fetch_page', '{"url":"a"}');
    close.tool('c1', 'a', 5, 1_500, 'fetch_page', '{"url":"b"}');
    close.tool('c2', 'a', 9, 2_800, 'fetch_page', '{"url":"c"}');
    assert.deepEqual(findingsOf(close), []);

    const short = new TraceBuilder();
    short.agent('a', null, 0, 20_000, 'research');
    short.tool('q0', 'a', 0, 50, 'fetch_page', '{"url":"a"}');
    short.tool('q1', 'a', 1, 60, 'fetch_page', '{"url":"b"}');
    short.tool('q2', 'a', 2, 800, 'fetch_page', '{"url":"c"}'); // 16× the median but only 0.75 s more
    assert.deepEqual(findingsOf(short), []);

    // A long model call next to two quick guardrails is different work, not a fan-out.
    const mixed = new TraceBuilder();
    mixed.agent('a', null, 0, 20_000, 'support');
    mixed.add({ id: 'g0', parent: 'a', type: 'guardrail', name: 'moderation', at: 0, end: 200 });
    mixed.add({ id: 'g1', parent: 'a', type: 'guardrail', name: 'pii', at: 0, end: 250 });
    mixed.llm('m', 'a', 0, 6_000);
    assert.deepEqual(findingsOf(mixed), []);
  });
});

void describe('retry_storm', () => {
  test('flags repeated failing calls to one model in a short window', () => {
    const trace = new TraceBuilder();
    trace.agent('a', null, 0, 20_000, 'support');
    for (let index = 0; index < 4; index++) {
      trace.llm(`r${index}`, 'a', index * 2_000, index * 2_000 + 300, { error: '429 Too Many Requests', model: 'gpt-4o' });
    }
    trace.llm('ok', 'a', 9_000, 10_000, { model: 'gpt-4o' });
    const findings = findingsOf(trace);
    assert.deepEqual(kinds(findings), ['retry_storm']);
    assert.deepEqual(findings[0]!.spanIds, idsOf('r0', 'r1', 'r2', 'r3'));
    assert.match(findings[0]!.message, /4 of 4 calls to model "gpt-4o" failed within 6\.0 s.*429/);
  });

  test('does not flag one retry that succeeds, nor failures far apart, nor failures of different tools', () => {
    const retry = new TraceBuilder();
    retry.agent('a', null, 0, 20_000, 'support');
    retry.llm('r0', 'a', 0, 300, { error: '429 Too Many Requests' });
    retry.llm('r1', 'a', 1_000, 1_300, { error: '429 Too Many Requests' });
    retry.llm('r2', 'a', 3_000, 3_800);
    assert.deepEqual(findingsOf(retry), []);

    const apart = new TraceBuilder();
    apart.agent('a', null, 0, 600_000, 'support');
    for (let index = 0; index < 3; index++) apart.llm(`x${index}`, 'a', index * 100_000, index * 100_000 + 300, { error: 'timeout' });
    assert.deepEqual(findingsOf(apart), []);

    const different = new TraceBuilder();
    different.agent('a', null, 0, 20_000, 'support');
    different.tool('d0', 'a', 0, 100, 'lookup_order', '{"orderId":"1"}', { error: 'not found' });
    different.tool('d1', 'a', 200, 300, 'search_docs', '{"query":"refund"}', { error: 'index offline' });
    different.tool('d2', 'a', 400, 500, 'send_email', '{"to":"a@b.c"}', { error: 'smtp down' });
    assert.deepEqual(findingsOf(different), []);
  });
});

void describe('handoff_ping_pong', () => {
  test('flags agents handing off back and forth as siblings', () => {
    const trace = new TraceBuilder();
    trace.add({ id: 'wf', parent: null, at: 0, end: 10_000, type: 'chain', name: 'Agent workflow' });
    ['triage', 'billing', 'triage', 'billing', 'triage'].forEach((name, index) => {
      trace.agent(`h${index}`, 'wf', index * 1_000, index * 1_000 + 900, name);
    });
    const findings = findingsOf(trace);
    assert.deepEqual(kinds(findings), ['handoff_ping_pong']);
    assert.deepEqual(findings[0]!.spanIds, idsOf('h0', 'h1', 'h2', 'h3', 'h4'));
    assert.match(findings[0]!.message, /"triage" and "billing" handed off to each other 4 times/);
  });

  test('flags hand-offs nested inside one another', () => {
    const trace = new TraceBuilder();
    const names = ['planner', 'coder', 'planner', 'coder', 'planner'];
    names.forEach((name, index) => trace.agent(`n${index}`, index === 0 ? null : `n${index - 1}`, index * 10, 1_000 - index * 10, name));
    assert.deepEqual(kinds(findingsOf(trace)), ['handoff_ping_pong']);
  });

  test('does not flag a normal hand-off, a three-agent relay, or a supervisor delegating in turn', () => {
    const normal = new TraceBuilder();
    normal.add({ id: 'wf', parent: null, at: 0, end: 10_000, type: 'chain', name: 'Agent workflow' });
    ['triage', 'billing', 'triage'].forEach((name, index) => normal.agent(`h${index}`, 'wf', index * 1_000, index * 1_000 + 900, name));
    assert.deepEqual(findingsOf(normal), []);

    const relay = new TraceBuilder();
    relay.add({ id: 'wf', parent: null, at: 0, end: 10_000, type: 'chain', name: 'Agent workflow' });
    ['triage', 'billing', 'refunds', 'billing', 'triage', 'refunds'].forEach((name, index) =>
      relay.agent(`h${index}`, 'wf', index * 1_000, index * 1_000 + 900, name),
    );
    assert.deepEqual(findingsOf(relay), []);

    const supervisor = new TraceBuilder();
    supervisor.agent('boss', null, 0, 10_000, 'supervisor');
    ['researcher', 'writer', 'researcher', 'writer', 'researcher', 'writer'].forEach((name, index) =>
      supervisor.agent(`w${index}`, 'boss', index * 1_000, index * 1_000 + 900, name),
    );
    assert.deepEqual(findingsOf(supervisor), []);
  });
});

void describe('context_blowup', () => {
  test('flags input tokens of one agent growing call after call', () => {
    const trace = new TraceBuilder();
    trace.agent('a', null, 0, 10_000, 'researcher');
    [2_000, 3_500, 6_000, 9_800, 15_000].forEach((tokens, index) => trace.llm(`c${index}`, 'a', index * 1_000, index * 1_000 + 900, { inputTokens: tokens }));
    const findings = findingsOf(trace);
    assert.deepEqual(kinds(findings), ['context_blowup']);
    assert.equal(findings[0]!.spanIds.length, 5);
    assert.match(findings[0]!.message, /"researcher" grew from 2000 to 15000 \(7\.5×\)/);
  });

  test('does not flag modest growth, a reset (summarized history), or growth spread over different agents', () => {
    const modest = new TraceBuilder();
    modest.agent('a', null, 0, 10_000, 'support');
    [2_000, 2_300, 2_700, 3_100, 3_600].forEach((tokens, index) => modest.llm(`c${index}`, 'a', index * 1_000, index * 1_000 + 900, { inputTokens: tokens }));
    assert.deepEqual(findingsOf(modest), []);

    const reset = new TraceBuilder();
    reset.agent('a', null, 0, 10_000, 'support');
    [2_000, 5_000, 9_000, 2_500, 6_000, 7_000].forEach((tokens, index) => reset.llm(`c${index}`, 'a', index * 1_000, index * 1_000 + 900, { inputTokens: tokens }));
    assert.deepEqual(findingsOf(reset), []);

    const spread = new TraceBuilder();
    spread.add({ id: 'wf', parent: null, at: 0, end: 10_000, type: 'chain', name: 'workflow' });
    [1_000, 2_000, 4_000, 8_000].forEach((tokens, index) => {
      spread.agent(`ag${index}`, 'wf', index * 1_000, index * 1_000 + 900, `agent-${index}`);
      spread.llm(`c${index}`, `ag${index}`, index * 1_000 + 10, index * 1_000 + 800, { inputTokens: tokens });
    });
    assert.deepEqual(findingsOf(spread), []);
  });
});

void describe('broken_trace', () => {
  test('flags orphans under a missing parent and several roots', () => {
    const trace = new TraceBuilder();
    trace.agent('root', null, 0, 5_000, 'support');
    trace.llm('ok', 'root', 10, 500);
    trace.tool('orphan1', 'gone', 600, 700, 'search', '{"q":"x"}');
    trace.llm('orphan2', 'gone', 800, 900);
    trace.add({ id: 'root2', parent: null, at: 1_000, end: 2_000, name: 'POST /charge' });
    const findings = findingsOf(trace);
    assert.deepEqual(kinds(findings), ['broken_trace', 'broken_trace']);
    // Sorted by their first span: the roots finding starts at the root.
    const [roots, orphans] = findings;
    assert.deepEqual(orphans!.spanIds, idsOf('orphan1', 'orphan2'));
    assert.match(orphans!.message, /2 spans .* point to 1 parent span missing/);
    assert.deepEqual(roots!.spanIds, idsOf('root', 'root2'));
  });

  test('survives a parent cycle and reports it as detached', () => {
    const trace = new TraceBuilder();
    trace.agent('root', null, 0, 5_000, 'support');
    trace.add({ id: 'x', parent: 'y', at: 10, end: 20 });
    trace.add({ id: 'y', parent: 'x', at: 11, end: 19 });
    const findings = findingsOf(trace);
    assert.deepEqual(kinds(findings), ['broken_trace']);
    assert.deepEqual(findings[0]!.spanIds, idsOf('x'));
  });
});

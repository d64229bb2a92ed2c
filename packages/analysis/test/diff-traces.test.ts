import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { diffTraces } from '../src/index.js';
import { idOf, TraceBuilder } from './support/trace-builder.js';

interface Step {
  tool: string;
  args: string;
}

/** One run of a support workflow: agent → (llm → tool)* → llm, with optional tweaks. */
function run(steps: Step[], options: { inputTokens?: number; model?: string; prefix?: string } = {}): TraceBuilder {
  const trace = new TraceBuilder();
  const prefix = options.prefix ?? '';
  trace.agent(`${prefix}root`, null, 0, 10_000, 'support');
  let cursor = 10;
  steps.forEach((step, index) => {
    trace.llm(`${prefix}l${index}`, `${prefix}root`, cursor, cursor + 800, {
      inputTokens: (options.inputTokens ?? 400) + index * 100,
      model: options.model ?? 'gpt-4o-mini',
      costUsd: 0.0001,
    });
    trace.tool(`${prefix}t${index}`, `${prefix}root`, cursor + 810, cursor + 960, step.tool, step.args);
    cursor += 1_000;
  });
  trace.llm(`${prefix}lend`, `${prefix}root`, cursor, cursor + 700, { model: options.model ?? 'gpt-4o-mini', costUsd: 0.0001 });
  return trace;
}

const STEPS: Step[] = [
  { tool: 'lookup_order', args: '{"orderId":"48213"}' },
  { tool: 'search_docs', args: '{"query":"replacement policy"}' },
  { tool: 'create_replacement_order', args: '{"orderId":"48213","items":["door-left"]}' },
];

void describe('trace diff', () => {
  test('two runs of the same workflow with one changed tool call show exactly that change', () => {
    const a = run(STEPS, { prefix: 'a' });
    const changedSteps = STEPS.map((step, index) => (index === 2 ? { ...step, args: '{"orderId":"48213","items":["door-left","shelf"]}' } : step));
    const b = run(changedSteps, { prefix: 'b' });
    const diff = diffTraces(a.spans, b.spans);
    assert.deepEqual(diff.added, []);
    assert.deepEqual(diff.removed, []);
    assert.equal(diff.changed.length, 1);
    const [change] = diff.changed;
    assert.equal(change!.a, idOf('at2'));
    assert.equal(change!.b, idOf('bt2'));
    assert.equal(change!.path, 'agent:support#0/tool:create_replacement_order#0');
    assert.deepEqual(change!.changes, [
      { field: 'arguments', a: '{"items":["door-left"],"orderId":"48213"}', b: '{"items":["door-left","shelf"],"orderId":"48213"}' },
    ]);
    assert.equal(diff.unchanged.length, a.spans.length - 1);
    assert.deepEqual(
      diff.toolCalls.b.map((call) => call.toolName),
      ['lookup_order', 'search_docs', 'create_replacement_order'],
    );
  });

  test('a tool swapped at one step is one change; an inserted call is one addition that shifts nothing', () => {
    const a = run(STEPS, { prefix: 'a' });
    const swapped = run(
      STEPS.map((step, index) => (index === 1 ? { tool: 'search_web', args: step.args } : step)),
      { prefix: 'b' },
    );
    const swapDiff = diffTraces(a.spans, swapped.spans);
    assert.deepEqual(swapDiff.added, []);
    assert.deepEqual(swapDiff.removed, []);
    assert.deepEqual(
      swapDiff.changed.map((change) => change.changes.map((field) => field.field)),
      [['name', 'toolName']],
    );

    const inserted = new TraceBuilder();
    inserted.agent('root', null, 0, 10_000, 'support');
    inserted.llm('l0', 'root', 10, 800);
    inserted.tool('t0', 'root', 810, 900, 'lookup_order', '{"orderId":"48213"}');
    inserted.tool('extra', 'root', 905, 990, 'lookup_order', '{"orderId":"99999"}');
    const base = new TraceBuilder();
    base.agent('root', null, 0, 10_000, 'support');
    base.llm('l0', 'root', 10, 800);
    base.tool('t0', 'root', 810, 900, 'lookup_order', '{"orderId":"48213"}');
    const insertDiff = diffTraces(base.spans, inserted.spans);
    assert.deepEqual(insertDiff.added.map((alignment) => alignment.b), [idOf('extra')]);
    assert.equal(insertDiff.changed.length, 0);
    assert.equal(insertDiff.totals.delta.toolCalls, 1);
  });

  test('reports token, cost and duration deltas per span and in total, and a model switch as a change', () => {
    const a = run(STEPS, { prefix: 'a' });
    const b = run(STEPS, { prefix: 'b', inputTokens: 1_400, model: 'gpt-4o' });
    const diff = diffTraces(a.spans, b.spans);
    assert.equal(diff.changed.length, 4);
    assert.ok(diff.changed.every((change) => change.changes.length === 1 && change.changes[0]!.field === 'model'));
    const first = diff.changed[0]!;
    assert.equal(first.deltas.inputTokens, 1_000);
    assert.equal(diff.totals.delta.inputTokens, 3_000);
    assert.equal(diff.totals.a.modelCalls, 4);

    // Dropping the last step removes one model call and its tool call, with negative deltas.
    const shorter = run(STEPS.slice(0, 2), { prefix: 'c' });
    const shortDiff = diffTraces(a.spans, shorter.spans);
    assert.deepEqual(
      shortDiff.removed.map((alignment) => alignment.path).sort(),
      ['agent:support#0/llm:chat#3', 'agent:support#0/tool:create_replacement_order#0'],
    );
    const removedTool = shortDiff.removed.find((alignment) => alignment.spanType === 'tool');
    assert.equal(removedTool!.deltas.durationMs, -150);
    assert.equal(shortDiff.totals.delta.modelCalls, -1);
    assert.equal(shortDiff.changed.length, 0);
  });

  test('aligns descendants of added spans as added, and of removed as removed', () => {
    const a = new TraceBuilder();
    a.agent('root', null, 0, 1_000, 'support');
    const b = new TraceBuilder();
    b.agent('root', null, 0, 1_000, 'support');
    b.agent('sub', 'root', 10, 900, 'researcher');
    b.llm('subllm', 'sub', 20, 800);
    const diff = diffTraces(a.spans, b.spans);
    assert.deepEqual(diff.added.map((alignment) => alignment.path), ['agent:support#0/agent:researcher#0', 'agent:support#0/agent:researcher#0/llm:chat#0']);
    assert.deepEqual(diffTraces(b.spans, a.spans).removed.length, 2);
  });
});

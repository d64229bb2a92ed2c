import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSpanTree } from '../src/model/span-tree.js';
import { computeSelfTimeMs } from '../src/model/self-time.js';
import { flattenVisibleRows, revealNode } from '../src/model/visible-rows.js';
import { searchTrace } from '../src/model/trace-search.js';
import { span } from './support/api-span.js';

describe('buildSpanTree', () => {
  it('nests children under parents in start order, with depth and relative start', () => {
    const tree = buildSpanTree([span('c', 'a', 20, 5), span('a', null, 0, 100), span('b', 'a', 10, 5)]);
    assert.deepEqual(tree.roots.map((node) => node.spanId), ['a']);
    assert.deepEqual(tree.roots[0]!.children.map((node) => node.spanId), ['b', 'c']);
    assert.equal(tree.byId.get('c')!.depth, 1);
    assert.equal(tree.byId.get('c')!.startMs, 20);
    assert.equal(tree.traceDurationMs, 100);
    assert.equal(tree.roots[0]!.descendantCount, 2);
  });

  it('hangs orphans under a placeholder spanning its children, listed by the API or not', () => {
    const tree = buildSpanTree(
      [span('root', null, 0, 50), span('x', 'missing1', 10, 10), span('y', 'missing1', 30, 10), span('z', 'missing2', 5, 1)],
      [{ spanId: 'missing1', childSpanIds: ['x', 'y'] }],
    );
    const placeholder = tree.byId.get('missing1')!;
    assert.equal(placeholder.span, null);
    assert.deepEqual(placeholder.children.map((node) => node.spanId), ['x', 'y']);
    assert.equal(placeholder.startMs, 10);
    assert.equal(placeholder.durationMs, 30);
    assert.ok(tree.byId.get('missing2'), 'a parent missing from the API list still gets a placeholder');
    assert.deepEqual(tree.roots.map((node) => node.spanId), ['root', 'missing2', 'missing1']);
  });

  it('breaks parent cycles instead of losing the spans', () => {
    const tree = buildSpanTree([span('a', 'b', 0, 10), span('b', 'a', 1, 5)]);
    const rows = flattenVisibleRows(tree, new Set());
    assert.deepEqual(rows.map((node) => node.spanId).sort(), ['a', 'b']);
  });

  it('marks error ancestry and self time', () => {
    const tree = buildSpanTree([
      span('a', null, 0, 30),
      span('b', 'a', 4, 7, { status: { code: 'error', message: 'boom' } }),
      span('c', 'a', 8, 8),
    ]);
    assert.equal(tree.byId.get('a')!.errorBelow, true);
    assert.equal(tree.byId.get('c')!.errorBelow, false);
    assert.equal(tree.byId.get('a')!.selfTimeMs, 30 - 12);
  });

  it('builds a 20,000-span tree quickly and without recursion limits', () => {
    const spans = [span('s0', null, 0, 20_000)];
    // A chain 5,000 deep plus 15,000 siblings: deep enough to overflow a recursive walk.
    for (let index = 1; index < 5000; index++) spans.push(span(`s${index}`, `s${index - 1}`, index, 1));
    for (let index = 5000; index < 20_000; index++) spans.push(span(`s${index}`, 's0', index, 1));
    const started = performance.now();
    const tree = buildSpanTree(spans);
    const rows = flattenVisibleRows(tree, new Set());
    const elapsed = performance.now() - started;
    assert.equal(rows.length, 20_000);
    assert.equal(tree.byId.get('s4999')!.depth, 4999);
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
  });
});

describe('computeSelfTimeMs', () => {
  it('subtracts the union of overlapping children clipped to the parent', () => {
    assert.equal(computeSelfTimeMs(0, 30, [{ startMs: 4, durationMs: 7 }, { startMs: 8, durationMs: 8 }, { startMs: 26, durationMs: 20 }]), 30 - 12 - 4);
  });
  it('is never negative', () => {
    assert.equal(computeSelfTimeMs(0, 10, [{ startMs: -5, durationMs: 30 }]), 0);
  });
});

describe('flattenVisibleRows and revealNode', () => {
  const tree = buildSpanTree([span('a', null, 0, 10), span('b', 'a', 1, 5), span('c', 'b', 2, 1), span('d', 'a', 6, 1)]);
  it('lists rows in pre-order and hides the children of collapsed nodes', () => {
    assert.deepEqual(flattenVisibleRows(tree, new Set()).map((node) => node.spanId), ['a', 'b', 'c', 'd']);
    assert.deepEqual(flattenVisibleRows(tree, new Set(['b'])).map((node) => node.spanId), ['a', 'b', 'd']);
  });
  it('expands the ancestors of a node to reveal it', () => {
    const collapsed = revealNode(new Set(['a', 'b', 'd']), tree.byId.get('c')!);
    assert.deepEqual([...collapsed], ['d']);
  });
});

describe('searchTrace', () => {
  it('finds spans by model, tool and error text in tree order', () => {
    const tree = buildSpanTree([
      span('a', null, 0, 10),
      span('b', 'a', 1, 2, { model: 'gpt-4o', spanType: 'llm' }),
      span('c', 'a', 3, 2, { toolName: 'web_search', status: { code: 'error', message: 'Timeout talking to search' } }),
    ]);
    assert.deepEqual(searchTrace(tree, 'GPT-4O'), ['b']);
    assert.deepEqual(searchTrace(tree, 'timeout'), ['c']);
    assert.deepEqual(searchTrace(tree, '  '), []);
  });
});

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { buildSpanTree, computeCriticalPath, computeSelfTimes, sanitizeIntervals } from '../src/index.js';
import { idOf, idsOf, ms, TraceBuilder } from './support/trace-builder.js';

const NS = 1_000_000n;

void describe('critical path', () => {
  void test('follows the last-finishing child, then the child that ended before it started', () => {
    // root |0=============================100|
    // A      |10====30|
    // B        |15=25|                          overlaps A, ends earlier: not on the path
    // C                  |40==========90|
    // C1                   |45==60|
    // C2                        |55===85|       last-finishing child of C
    const trace = new TraceBuilder();
    trace.agent('root', null, 0, 100, 'support');
    trace.llm('A', 'root', 10, 30);
    trace.tool('B', 'root', 15, 25, 'search', '{"q":"x"}');
    trace.add({ id: 'C', parent: 'root', at: 40, end: 90 });
    trace.llm('C1', 'C', 45, 60);
    trace.tool('C2', 'C', 55, 85, 'fetch', '{"url":"u"}');
    const path = computeCriticalPath(buildSpanTree(trace.spans));
    assert.deepEqual(path.spanIds, idsOf('root', 'A', 'C', 'C2'));
    assert.deepEqual(
      path.sections.map((section) => [section.spanId, Number((section.startUnixNano - ms(0)) / NS), Number((section.endUnixNano - ms(0)) / NS)]),
      [
        [idOf('root'), 0, 10],
        [idOf('A'), 10, 30],
        [idOf('root'), 30, 40],
        [idOf('C'), 40, 55],
        [idOf('C2'), 55, 85],
        [idOf('C'), 85, 90],
        [idOf('root'), 90, 100],
      ],
    );
  });

  void test('clamps children skewed outside their parent and drops children entirely outside, without touching the spans', () => {
    const trace = new TraceBuilder();
    trace.agent('root', null, 100, 200, 'support');
    // From a process whose clock runs 30 ms behind: starts before the root.
    const early = trace.llm('early', 'root', 80, 150);
    // Ends after the root (clock ahead): clamped to the root's end and becomes the LFC.
    trace.tool('late', 'root', 160, 230, 'search', '{"q":"x"}');
    // Entirely after the root: dropped from the computation with its child.
    trace.tool('outside', 'root', 250, 260, 'search', '{"q":"y"}');
    trace.add({ id: 'outside-child', parent: 'outside', at: 251, end: 259 });
    const before = structuredClone(trace.spans.map((span) => [span.startTimeUnixNano, span.endTimeUnixNano]));
    const tree = buildSpanTree(trace.spans);
    const intervals = sanitizeIntervals(tree);
    assert.equal(intervals.get(idOf('early'))?.startUnixNano, ms(100));
    assert.equal(intervals.get(idOf('late'))?.endUnixNano, ms(200));
    assert.equal(intervals.has(idOf('outside')), false);
    assert.equal(intervals.has(idOf('outside-child')), false);
    const path = computeCriticalPath(tree);
    assert.deepEqual(path.spanIds, idsOf('root', 'early', 'late'));
    for (const section of path.sections) {
      assert.ok(section.startUnixNano >= ms(100) && section.endUnixNano <= ms(200), 'every section inside the root');
    }
    assert.equal(early.startTimeUnixNano, ms(80));
    assert.deepEqual(trace.spans.map((span) => [span.startTimeUnixNano, span.endTimeUnixNano]), before);
  });

  void test('hangs orphans under the root so the path goes through them', () => {
    const trace = new TraceBuilder();
    trace.agent('root', null, 0, 100, 'support');
    trace.llm('first', 'root', 5, 20);
    // The parent "lost" was never received; its child ran last.
    trace.tool('orphan', 'lost', 30, 95, 'search', '{"q":"x"}');
    const path = computeCriticalPath(buildSpanTree(trace.spans));
    assert.deepEqual(path.spanIds, idsOf('root', 'first', 'orphan'));
  });

  void test('a trace without its root still gets a path from its earliest span', () => {
    const trace = new TraceBuilder();
    trace.llm('a', 'lost', 0, 10);
    trace.tool('b', 'lost', 12, 30, 'search', '{"q":"x"}');
    const path = computeCriticalPath(buildSpanTree(trace.spans));
    assert.equal(path.spanIds[0], idOf('a'));
    assert.deepEqual(computeCriticalPath(buildSpanTree([])), { spanIds: [], sections: [] });
  });

  void test('handles a 20,000-deep chain and a 20,000-wide fan-out without recursion', () => {
    const deep = new TraceBuilder();
    deep.add({ id: 'd0', parent: null, at: 0, end: 40_000 });
    for (let index = 1; index < 20_000; index++) deep.add({ id: `d${index}`, parent: `d${index - 1}`, at: index, end: 40_000 - index });
    const deepTree = buildSpanTree(deep.spans);
    const deepPath = computeCriticalPath(deepTree);
    assert.equal(deepPath.spanIds.length, 20_000);
    assert.equal(computeSelfTimes(deepTree).get(idOf('d19999')), 40_000n * NS - 2n * 19_999n * NS);

    const wide = new TraceBuilder();
    wide.add({ id: 'w', parent: null, at: 0, end: 30_000 });
    // Sequential children, 1 ms each with 0.5 ms gaps: all of them are on the path.
    for (let index = 0; index < 20_000; index++) wide.add({ id: `c${index}`, parent: 'w', at: index * 1.5, end: index * 1.5 + 1 });
    const started = performance.now();
    const widePath = computeCriticalPath(buildSpanTree(wide.spans));
    assert.equal(widePath.spanIds.length, 20_001);
    assert.ok(performance.now() - started < 8_000, 'linear-ish, not quadratic (quadratic takes minutes)');
  });
});

void describe('self time', () => {
  test('subtracts merged, clipped children and is never negative', () => {
    const trace = new TraceBuilder();
    trace.add({ id: 'span', parent: null, at: 0, end: 30 });
    trace.add({ id: 'A', parent: 'span', at: 3, end: 11 });
    trace.add({ id: 'B', parent: 'span', at: 6, end: 17 });
    trace.add({ id: 'C', parent: 'span', at: 25, end: 40 }); // skewed past the parent's end
    trace.add({ id: 'D', parent: 'A', at: -10, end: 50 }); // skewed on both sides: A is all waiting
    const selfTimes = computeSelfTimes(buildSpanTree(trace.spans));
    assert.equal(selfTimes.get(idOf('span')), 11n * NS); // 0-3 and 17-25
    assert.equal(selfTimes.get(idOf('A')), 0n);
    assert.equal(selfTimes.get(idOf('C')), 15n * NS);
    assert.equal(selfTimes.get(idOf('D')), 60n * NS);
  });
});

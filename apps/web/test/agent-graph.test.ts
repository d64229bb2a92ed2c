import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiSpan } from '../src/api/api-types.js';
import { buildAgentGraph, ENTRY_NODE_ID } from '../src/model/agent-graph.js';
import { graphColumns, layoutAgentGraph } from '../src/model/agent-graph-layout.js';
import { flattenFocusedRows } from '../src/model/focus-rows.js';
import { buildSpanTree } from '../src/model/span-tree.js';
import { span } from './support/api-span.js';

const agent = (id: string, parent: string | null, name: string, start: number, duration: number, extra: Partial<ApiSpan> = {}) =>
  span(id, parent, start, duration, { spanType: 'agent', agentName: name, name: `invoke_agent ${name}`, ...extra });
const tool = (id: string, parent: string, name: string, start: number, duration: number, extra: Partial<ApiSpan> = {}) =>
  span(id, parent, start, duration, { spanType: 'tool', toolName: name, name: `execute_tool ${name}`, ...extra });
const llm = (id: string, parent: string, model: string, start: number, duration: number) => span(id, parent, start, duration, { spanType: 'llm', model, name: `chat ${model}` });
const failed = { status: { code: 'error' as const, message: 'boom' } };

/** The demo's research run: an orchestrator handing off to a researcher (3 searches, one failed) and a writer. */
const researchRun = [
  agent('root', null, 'orchestrator', 0, 9_400),
  llm('plan', 'root', 'gpt-4o', 20, 1_130),
  agent('res', 'root', 'researcher', 1_200, 5_700),
  span('chain', 'res', 1_210, 5_000, { spanType: 'chain', name: 'search step' }),
  tool('ws0', 'chain', 'web_search', 1_500, 900),
  tool('ws1', 'chain', 'web_search', 1_500, 4_300, failed),
  tool('ws2', 'res', 'web_search', 1_500, 1_100),
  llm('sum', 'res', 'gpt-4o-mini', 5_850, 1_030),
  agent('wr', 'root', 'writer', 6_950, 2_400),
  llm('draft', 'wr', 'gpt-4o', 6_960, 2_340),
];

describe('buildAgentGraph', () => {
  it('makes agents, tools and models nodes, and hand-offs and calls edges with counts, durations and errors', () => {
    const graph = buildAgentGraph(researchRun);
    const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
    assert.deepEqual([...nodes.keys()].sort(), ['agent:orchestrator', 'agent:researcher', 'agent:writer', 'model:gpt-4o', 'model:gpt-4o-mini', 'tool:web_search']);
    const search = nodes.get('tool:web_search')!;
    assert.deepEqual(search.spanIds, ['ws0', 'ws1', 'ws2']);
    assert.equal(search.totalDurationMs, 6_300);
    assert.equal(search.errorCount, 1);

    const edges = new Map(graph.edges.map((edge) => [`${edge.from} ${edge.to}`, edge]));
    // The chain between researcher and two of the searches is transparent.
    assert.deepEqual(edges.get('agent:researcher tool:web_search'), { id: 'agent:researcher→tool:web_search', from: 'agent:researcher', to: 'tool:web_search', kind: 'call', count: 3, totalDurationMs: 6_300, errorCount: 1 });
    assert.equal(edges.get('agent:orchestrator agent:researcher')!.kind, 'handoff');
    assert.equal(edges.get('agent:orchestrator agent:writer')!.count, 1);
    // gpt-4o is one node called by two agents: two edges.
    assert.equal(edges.get('agent:orchestrator model:gpt-4o')!.count, 1);
    assert.equal(edges.get('agent:writer model:gpt-4o')!.totalDurationMs, 2_340);
    assert.equal(graph.edges.length, 6);
  });

  it('counts ping-pong hand-offs, ignores an agent nested in itself, and hangs agent-less calls off an entry node', () => {
    const spans = [
      span('http', null, 0, 100, { name: 'POST /chat' }),
      tool('t0', 'http', 'lookup', 1, 5),
      agent('a1', 'http', 'triage', 10, 80),
      agent('a1-inner', 'a1', 'triage', 11, 70),
      agent('b1', 'a1-inner', 'billing', 12, 20),
      agent('a2', 'b1', 'triage', 13, 5),
      agent('b2', 'a2', 'billing', 14, 2, failed),
    ];
    const graph = buildAgentGraph(spans);
    const edges = new Map(graph.edges.map((edge) => [`${edge.from} ${edge.to}`, edge]));
    assert.equal(edges.get('agent:triage agent:billing')!.count, 2);
    assert.equal(edges.get('agent:triage agent:billing')!.errorCount, 1);
    assert.equal(edges.get('agent:billing agent:triage')!.count, 1);
    assert.equal(edges.has('agent:triage agent:triage'), false);
    assert.equal(edges.get(`${ENTRY_NODE_ID} tool:lookup`)!.count, 1);
    assert.equal(graph.nodes.find((node) => node.id === 'agent:triage')!.spanIds.length, 3);
  });

  it('keeps agents and the most used nodes when over maxNodes', () => {
    const spans = [agent('root', null, 'solo', 0, 1_000)];
    for (let index = 0; index < 10; index++) for (let call = 0; call <= index; call++) spans.push(tool(`t${index}-${call}`, 'root', `tool${index}`, index, 1));
    const graph = buildAgentGraph(spans, { maxNodes: 4 });
    assert.deepEqual(graph.nodes.map((node) => node.id).sort(), ['agent:solo', 'tool:tool7', 'tool:tool8', 'tool:tool9']);
    assert.equal(graph.hiddenNodeCount, 7);
    assert.equal(graph.edges.length, 3);
  });

  it('handles a 20,000-span trace with a deep chain quickly', () => {
    const spans = [agent('a', null, 'deep', 0, 100)];
    for (let index = 1; index < 20_000; index++) spans.push(span(`c${index}`, index === 1 ? 'a' : `c${index - 1}`, 0, 1, { spanType: 'chain' }));
    spans.push(tool('leaf', 'c19999', 'deep_tool', 0, 1));
    const started = performance.now();
    const graph = buildAgentGraph(spans);
    assert.ok(performance.now() - started < 500);
    assert.equal(graph.edges[0]!.from, 'agent:deep');
    assert.equal(graph.edges[0]!.to, 'tool:deep_tool');
  });
});

describe('layoutAgentGraph', () => {
  it('puts callers left of callees, a shared model right of its deepest caller, and nodes inside the canvas', () => {
    const graph = buildAgentGraph(researchRun);
    const columns = graphColumns(graph);
    assert.equal(columns.get('agent:orchestrator'), 0);
    assert.equal(columns.get('agent:researcher'), 1);
    assert.equal(columns.get('agent:writer'), 1);
    assert.equal(columns.get('model:gpt-4o'), 2, 'called by the orchestrator and by the writer');
    assert.equal(columns.get('tool:web_search'), 2);
    const layout = layoutAgentGraph(graph);
    assert.ok(layout.edges.every((edge) => !edge.backward));
    for (const placed of layout.nodes) {
      assert.ok(placed.x >= 0 && placed.y >= 0 && placed.x < layout.width && placed.y < layout.height);
    }
    const ys = layout.nodes.filter((placed) => placed.column === 1).map((placed) => placed.y);
    assert.equal(new Set(ys).size, ys.length, 'no two nodes of a column overlap');
    // Within a column, nodes sit near their callers: the researcher's tools and model first, the
    // model shared by the orchestrator (row 0) and the writer (row 1) last.
    const column2 = layout.nodes.filter((placed) => placed.column === 2).sort((a, b) => a.y - b.y).map((placed) => placed.node.id);
    assert.deepEqual(column2, ['tool:web_search', 'model:gpt-4o-mini', 'model:gpt-4o']);
  });

  it('draws a hand-off back to an earlier agent as a backward arc', () => {
    const graph = buildAgentGraph([agent('a1', null, 'triage', 0, 50), agent('b1', 'a1', 'billing', 1, 20), agent('a2', 'b1', 'triage', 2, 5)]);
    const layout = layoutAgentGraph(graph);
    const back = layout.edges.find((edge) => edge.edge.from === 'agent:billing')!;
    assert.equal(back.backward, true);
    assert.ok(back.labelY > Math.max(...layout.nodes.map((placed) => placed.y)), 'the arc runs below the nodes');
    assert.ok(layout.height >= back.labelY);
  });
});

describe('flattenFocusedRows', () => {
  it('keeps the focused spans and their ancestors in tree order, even under collapsed parents', () => {
    const tree = buildSpanTree(researchRun);
    const rows = flattenFocusedRows(tree, new Set(['ws1', 'draft']));
    assert.deepEqual(rows.map((node) => node.spanId), ['root', 'res', 'chain', 'ws1', 'wr', 'draft']);
    assert.deepEqual(flattenFocusedRows(tree, new Set(['nope'])), []);
  });
});

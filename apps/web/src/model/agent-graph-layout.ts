// A layered, left-to-right layout of the agent graph for plain SVG: an agent's column is its
// shortest hop count from where the trace starts (agents nobody called, or the entry node), a
// tool's or model's is one right of its deepest caller, and within a column nodes stack near
// their callers, else in the order they first ran. Edges into a later column are
// S-curves; edges that go back or stay in a column (ping-pong hand-offs) arc below the nodes.

import type { AgentGraph, AgentGraphEdge, AgentGraphNode } from './agent-graph.js';

export const GRAPH_NODE_WIDTH = 168;
export const GRAPH_NODE_HEIGHT = 42;
const COLUMN_GAP = 124;
const ROW_GAP = 12;
const PADDING = 16;
/** Room under the last row for backward edges' arcs. */
const ARC_ROOM = 28;

export interface PlacedNode {
  node: AgentGraphNode;
  column: number;
  x: number;
  y: number;
}

export interface PlacedEdge {
  edge: AgentGraphEdge;
  /** SVG path data. */
  path: string;
  labelX: number;
  labelY: number;
  backward: boolean;
}

export interface AgentGraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/** Column of each node: breadth-first hop count from the start nodes. */
export function graphColumns(graph: AgentGraph): Map<string, number> {
  const incoming = new Set(graph.edges.filter((edge) => edge.from !== edge.to).map((edge) => edge.to));
  const outgoing = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const list = outgoing.get(edge.from) ?? [];
    list.push(edge.to);
    outgoing.set(edge.from, list);
  }
  const byStart = [...graph.nodes].sort(compareFirstStart);
  let starts = byStart.filter((node) => !incoming.has(node.id));
  // Everything is called by someone (a cycle): start from whatever ran first.
  if (starts.length === 0 && byStart.length > 0) starts = [byStart[0]!];
  const columns = new Map<string, number>();
  let frontier = starts.map((node) => node.id);
  for (const id of frontier) columns.set(id, 0);
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const target of outgoing.get(id) ?? []) {
        if (columns.has(target)) continue;
        columns.set(target, columns.get(id)! + 1);
        next.push(target);
      }
    }
    frontier = next;
  }
  // Nodes only reachable through a cycle among themselves: first column.
  for (const node of graph.nodes) if (!columns.has(node.id)) columns.set(node.id, 0);
  // Tools and models call no one: put each right of its deepest caller, so a model shared by an
  // agent and its sub-agent is not drawn beside the sub-agent with an edge looping back.
  for (const node of graph.nodes) {
    if (outgoing.has(node.id) || !incoming.has(node.id)) continue;
    let deepest = -1;
    for (const edge of graph.edges) if (edge.to === node.id && edge.from !== node.id) deepest = Math.max(deepest, columns.get(edge.from) ?? 0);
    if (deepest >= 0) columns.set(node.id, deepest + 1);
  }
  return columns;
}

export function layoutAgentGraph(graph: AgentGraph): AgentGraphLayout {
  const columns = graphColumns(graph);
  const perColumn = new Map<number, AgentGraphNode[]>();
  for (const node of [...graph.nodes].sort(compareFirstStart)) {
    const column = columns.get(node.id)!;
    const list = perColumn.get(column) ?? [];
    list.push(node);
    perColumn.set(column, list);
  }
  const placed = new Map<string, PlacedNode>();
  const rowOf = new Map<string, number>();
  let maxRows = 0;
  let maxColumn = 0;
  for (const column of [...perColumn.keys()].sort((a, b) => a - b)) {
    const list = perColumn.get(column)!;
    // Barycentre pass: a node sits near the average row of its callers in earlier columns, which
    // keeps a sub-agent's tools beside it and uncrosses most edges; ties keep run order.
    const meanCallerRow = new Map<string, number>();
    list.forEach((node, index) => {
      const rows = graph.edges.filter((edge) => edge.to === node.id && rowOf.has(edge.from)).map((edge) => rowOf.get(edge.from)!);
      meanCallerRow.set(node.id, rows.length === 0 ? index : rows.reduce((sum, row) => sum + row, 0) / rows.length);
    });
    list.sort((a, b) => meanCallerRow.get(a.id)! - meanCallerRow.get(b.id)!);
    maxRows = Math.max(maxRows, list.length);
    maxColumn = Math.max(maxColumn, column);
    list.forEach((node, row) => {
      rowOf.set(node.id, row);
      placed.set(node.id, { node, column, x: PADDING + column * (GRAPH_NODE_WIDTH + COLUMN_GAP), y: PADDING + row * (GRAPH_NODE_HEIGHT + ROW_GAP) });
    });
  }
  const contentHeight = maxRows === 0 ? 0 : maxRows * GRAPH_NODE_HEIGHT + (maxRows - 1) * ROW_GAP;
  const hasBackward = graph.edges.some((edge) => (columns.get(edge.to) ?? 0) <= (columns.get(edge.from) ?? 0));
  const height = PADDING * 2 + contentHeight + (hasBackward ? ARC_ROOM : 0);
  const width = PADDING * 2 + (perColumn.size === 0 ? 0 : (maxColumn + 1) * GRAPH_NODE_WIDTH + maxColumn * COLUMN_GAP);

  const edges: PlacedEdge[] = [];
  for (const edge of graph.edges) {
    const from = placed.get(edge.from);
    const to = placed.get(edge.to);
    if (!from || !to) continue;
    if (to.column > from.column) {
      const x1 = from.x + GRAPH_NODE_WIDTH;
      const y1 = from.y + GRAPH_NODE_HEIGHT / 2;
      const x2 = to.x;
      const y2 = to.y + GRAPH_NODE_HEIGHT / 2;
      const bend = (x2 - x1) / 2;
      // An edge that skips columns runs behind the nodes in between: label it near its target.
      const t = to.column - from.column > 1 ? 0.85 : 0.5;
      const labelX = cubic(x1, x1 + bend, x2 - bend, x2, t);
      const labelY = cubic(y1, y1, y2, y2, t) - 4;
      edges.push({ edge, path: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`, labelX, labelY, backward: false });
    } else {
      // Bottom of the caller to the bottom of the callee, dipping below the lower of the two.
      const x1 = from.x + GRAPH_NODE_WIDTH / 2 + 12;
      const y1 = from.y + GRAPH_NODE_HEIGHT;
      const x2 = to.x + GRAPH_NODE_WIDTH / 2 - 12;
      const y2 = to.y + GRAPH_NODE_HEIGHT;
      const dip = Math.max(y1, y2) + ARC_ROOM - 6;
      edges.push({ edge, path: `M${x1},${y1} C${x1},${dip} ${x2},${dip} ${x2},${y2}`, labelX: (x1 + x2) / 2, labelY: dip - 4, backward: true });
    }
  }
  return { width, height, nodes: [...placed.values()], edges };
}

function compareFirstStart(a: AgentGraphNode, b: AgentGraphNode): number {
  if (a.kind === 'entry' && b.kind !== 'entry') return -1;
  if (b.kind === 'entry' && a.kind !== 'entry') return 1;
  return a.firstStartNs < b.firstStartNs ? -1 : a.firstStartNs > b.firstStartNs ? 1 : a.id.localeCompare(b.id);
}

/** One coordinate of a cubic Bézier curve at parameter t. */
function cubic(p0: number, p1: number, p2: number, p3: number, t: number): number {
  const u = 1 - t;
  return u * u * u * p0 + 3 * u * u * t * p1 + 3 * u * t * t * p2 + t * t * t * p3;
}

// The agent graph of one trace: who called whom. Agents, tools and models are nodes; an edge
// runs from the nearest enclosing agent to each agent it handed off to (a nested agent span) and
// to each tool or model it called. Chains and other plumbing spans are transparent: a tool
// under agent → chain → tool still counts as the agent's call.
//
//   orchestrator ─┬─ handoff ×1 ─→ researcher ─┬─ call ×3 ─→ tool web_search
//                 │                            └─ call ×1 ─→ model gpt-4o-mini
//                 └─ call ×1 ─→ model gpt-4o
//
// Counts, summed durations and error counts are per edge (the callee spans on it) and per node.

import type { ApiSpan, SpanType } from '../api/api-types.js';

export type GraphNodeKind = 'agent' | 'tool' | 'model' | 'entry';

export interface AgentGraphNode {
  /** Stable id, e.g. "agent:researcher", "tool:web_search", "model:gpt-4o". */
  id: string;
  kind: GraphNodeKind;
  label: string;
  /** The spans this node stands for, in start order. */
  spanIds: string[];
  totalDurationMs: number;
  errorCount: number;
  /** Start of its first span, relative order only (nanoseconds as bigint). */
  firstStartNs: bigint;
}

export interface AgentGraphEdge {
  id: string;
  from: string;
  to: string;
  /** 'handoff' when the callee is an agent, 'call' for tools and models. */
  kind: 'handoff' | 'call';
  count: number;
  totalDurationMs: number;
  errorCount: number;
}

export interface AgentGraph {
  nodes: AgentGraphNode[];
  edges: AgentGraphEdge[];
  /** Nodes left out because the graph reached `maxNodes` (the least used ones). */
  hiddenNodeCount: number;
}

/** Calls made outside any agent hang off this node, so they still show up. */
export const ENTRY_NODE_ID = 'entry:trace';

const TOOL_TYPES: ReadonlySet<SpanType> = new Set(['tool', 'retrieval', 'reranker', 'memory']);
const MODEL_TYPES: ReadonlySet<SpanType> = new Set(['llm', 'embedding']);

/** The node a span belongs to, or null for transparent spans (chains, plumbing). */
export function graphNodeOf(span: ApiSpan): { id: string; kind: GraphNodeKind; label: string } | null {
  if (span.spanType === 'agent') {
    const label = span.agentName ?? span.name;
    return { id: `agent:${label}`, kind: 'agent', label };
  }
  if (TOOL_TYPES.has(span.spanType)) {
    const label = span.toolName ?? span.name;
    return { id: `tool:${label}`, kind: 'tool', label };
  }
  if (MODEL_TYPES.has(span.spanType)) {
    const label = span.model ?? span.name;
    return { id: `model:${label}`, kind: 'model', label };
  }
  return null;
}

export interface BuildAgentGraphOptions {
  /** Most nodes to keep; the least used beyond it are dropped (default 60). */
  maxNodes?: number;
}

export function buildAgentGraph(spans: readonly ApiSpan[], options: BuildAgentGraphOptions = {}): AgentGraph {
  const maxNodes = options.maxNodes ?? 60;
  const byId = new Map<string, ApiSpan>();
  for (const span of spans) if (!byId.has(span.spanId)) byId.set(span.spanId, span);

  // The nearest enclosing agent node of each span, memoized; iterative so deep traces are safe.
  const agentAbove = new Map<string, string | null>();
  const enclosingAgent = (span: ApiSpan): string | null => {
    const path: string[] = [];
    let result: string | null = null;
    let current = span.parentSpanId !== null ? byId.get(span.parentSpanId) : undefined;
    // A walk longer than the trace has spans is a parent cycle (no Set per span: this runs for
    // each of a big trace's spans).
    let steps = 0;
    while (current !== undefined && current.spanId !== span.spanId && steps++ <= byId.size) {
      const known = agentAbove.get(current.spanId);
      if (known !== undefined) {
        result = current.spanType === 'agent' ? `agent:${current.agentName ?? current.name}` : known;
        break;
      }
      if (current.spanType === 'agent') {
        result = `agent:${current.agentName ?? current.name}`;
        break;
      }
      path.push(current.spanId);
      current = current.parentSpanId !== null ? byId.get(current.parentSpanId) : undefined;
    }
    for (const id of path) agentAbove.set(id, result);
    agentAbove.set(span.spanId, result);
    return result;
  };

  const sorted = [...byId.values()].sort((a, b) => compareNs(a.startTimeUnixNano, b.startTimeUnixNano));
  const nodes = new Map<string, AgentGraphNode>();
  const edges = new Map<string, AgentGraphEdge>();
  for (const span of sorted) {
    const own = graphNodeOf(span);
    if (own === null) continue;
    const error = span.status.code === 'error' ? 1 : 0;
    const startNs = BigInt(span.startTimeUnixNano);
    let node = nodes.get(own.id);
    if (!node) {
      node = { ...own, spanIds: [], totalDurationMs: 0, errorCount: 0, firstStartNs: startNs };
      nodes.set(own.id, node);
    }
    node.spanIds.push(span.spanId);
    node.totalDurationMs += Math.max(0, span.durationMs);
    node.errorCount += error;

    const caller = enclosingAgent(span);
    // An agent span nested in the same agent (a framework's wrapper spans) is not a hand-off;
    // a top-level agent is where the trace starts and needs no edge.
    if (caller === own.id || (caller === null && own.kind === 'agent')) continue;
    const from = caller ?? ENTRY_NODE_ID;
    if (from === ENTRY_NODE_ID && !nodes.has(ENTRY_NODE_ID)) {
      nodes.set(ENTRY_NODE_ID, { id: ENTRY_NODE_ID, kind: 'entry', label: 'outside any agent', spanIds: [], totalDurationMs: 0, errorCount: 0, firstStartNs: startNs });
    }
    const edgeId = `${from}→${own.id}`;
    let edge = edges.get(edgeId);
    if (!edge) {
      edge = { id: edgeId, from, to: own.id, kind: own.kind === 'agent' ? 'handoff' : 'call', count: 0, totalDurationMs: 0, errorCount: 0 };
      edges.set(edgeId, edge);
    }
    edge.count++;
    edge.totalDurationMs += Math.max(0, span.durationMs);
    edge.errorCount += error;
  }

  let kept = [...nodes.values()];
  let hiddenNodeCount = 0;
  if (kept.length > maxNodes) {
    // Agents first (they carry the structure), then the most used tools and models.
    const ranked = [...kept].sort((a, b) => rank(a) - rank(b) || b.spanIds.length - a.spanIds.length);
    const keep = new Set(ranked.slice(0, maxNodes).map((node) => node.id));
    hiddenNodeCount = kept.length - keep.size;
    kept = kept.filter((node) => keep.has(node.id));
  }
  const keptIds = new Set(kept.map((node) => node.id));
  return {
    nodes: kept,
    edges: [...edges.values()].filter((edge) => keptIds.has(edge.from) && keptIds.has(edge.to)),
    hiddenNodeCount,
  };
}

function rank(node: AgentGraphNode): number {
  return node.kind === 'entry' ? 0 : node.kind === 'agent' ? 1 : 2;
}

/**
 * Orders two nanosecond times as the API writes them (decimal, no sign, no leading zeros): the
 * longer is later, else the text order is the number order. Parsing BigInts in the comparator
 * cost ~70 ms when sorting a 20,000-span trace.
 */
function compareNs(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

// Builds the span tree of one trace: parents before children, children in start order, spans
// whose parent never arrived hung under a placeholder node, and each node's self time.
// Iterative throughout, so a 20,000-span (or very deep) trace cannot overflow the stack.

import type { ApiPlaceholder, ApiSpan } from '../api/api-types.js';
import { computeSelfTimeMs } from './self-time.js';

export interface SpanNode {
  spanId: string;
  /** null for a placeholder: a parent referenced by spans but never received. */
  span: ApiSpan | null;
  parent: SpanNode | null;
  children: SpanNode[];
  depth: number;
  /** Start relative to the trace start, in milliseconds. */
  startMs: number;
  durationMs: number;
  /** Time not covered by any child, in milliseconds. */
  selfTimeMs: number;
  /** Number of nodes below this one. */
  descendantCount: number;
  /** True when this span or any span below it has status error. */
  errorBelow: boolean;
}

export interface SpanTree {
  roots: SpanNode[];
  byId: Map<string, SpanNode>;
  /** Earliest start of any span, as nanoseconds since the epoch. */
  traceStartNs: bigint;
  /** From the earliest start to the latest end, in milliseconds. */
  traceDurationMs: number;
}

/** Milliseconds between two nanosecond timestamps; exact to the microsecond. */
function millisBetween(fromNs: bigint, toNs: bigint): number {
  return Number((toNs - fromNs) / 1000n) / 1000;
}

function compareByStart(a: SpanNode, b: SpanNode): number {
  return a.startMs - b.startMs || a.spanId.localeCompare(b.spanId);
}

export function buildSpanTree(spans: readonly ApiSpan[], placeholders: readonly ApiPlaceholder[] = []): SpanTree {
  let traceStartNs: bigint | null = null;
  let traceEndNs: bigint | null = null;
  const startsNs: bigint[] = new Array<bigint>(spans.length);
  spans.forEach((span, index) => {
    const start = BigInt(span.startTimeUnixNano);
    const end = BigInt(span.endTimeUnixNano);
    startsNs[index] = start;
    if (traceStartNs === null || start < traceStartNs) traceStartNs = start;
    if (traceEndNs === null || end > traceEndNs) traceEndNs = end;
  });
  const originNs: bigint = traceStartNs ?? 0n;

  const byId = new Map<string, SpanNode>();
  spans.forEach((span, index) => {
    if (byId.has(span.spanId)) return; // duplicates: the first one wins
    byId.set(span.spanId, {
      spanId: span.spanId,
      span,
      parent: null,
      children: [],
      depth: -1,
      startMs: millisBetween(originNs, startsNs[index]!),
      durationMs: Math.max(0, span.durationMs),
      selfTimeMs: 0,
      descendantCount: 0,
      errorBelow: span.status.code === 'error',
    });
  });

  const placeholderFor = (spanId: string): SpanNode => {
    let node = byId.get(spanId);
    if (!node) {
      node = { spanId, span: null, parent: null, children: [], depth: -1, startMs: 0, durationMs: 0, selfTimeMs: 0, descendantCount: 0, errorBelow: false };
      byId.set(spanId, node);
    }
    return node;
  };
  // The API lists placeholders; parents missing for any other reason get one too.
  for (const placeholder of placeholders) placeholderFor(placeholder.spanId);

  const roots: SpanNode[] = [];
  for (const node of [...byId.values()]) {
    const parentId = node.span?.parentSpanId ?? null;
    if (node.span === null || parentId === null || parentId === node.spanId) {
      if (node.span !== null) roots.push(node);
      continue;
    }
    const parent = placeholderFor(parentId);
    node.parent = parent;
    parent.children.push(node);
  }
  for (const node of byId.values()) if (node.span === null) roots.push(node);

  // Spans in a parent cycle are reachable from no root: break the cycle at its earliest span.
  const reached = assignDepths(roots);
  if (reached < byId.size) {
    const stranded = [...byId.values()].filter((node) => node.depth < 0).sort(compareByStart);
    for (const node of stranded) {
      if (node.depth >= 0) continue;
      if (node.parent) node.parent.children = node.parent.children.filter((child) => child !== node);
      node.parent = null;
      roots.push(node);
      assignDepths([node]);
    }
  }

  finishNodes(roots);
  roots.sort(compareByStart);
  return {
    roots,
    byId,
    traceStartNs: originNs,
    traceDurationMs: traceStartNs === null || traceEndNs === null ? 0 : millisBetween(traceStartNs, traceEndNs),
  };
}

/** Sets depth on every node under `roots` (new nodes start at -1, unvisited); returns how many were reached. */
function assignDepths(roots: SpanNode[]): number {
  let reached = 0;
  const stack: SpanNode[] = [];
  for (const root of roots) {
    root.depth = 0;
    stack.push(root);
  }
  while (stack.length > 0) {
    const node = stack.pop()!;
    reached++;
    for (const child of node.children) {
      child.depth = node.depth + 1;
      stack.push(child);
    }
  }
  return reached;
}

/** Post-order pass: placeholder extents, child order, self time, counts and error flags. */
function finishNodes(roots: SpanNode[]): void {
  const order: SpanNode[] = [];
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop()!;
    order.push(node);
    for (const child of node.children) stack.push(child);
  }
  for (let index = order.length - 1; index >= 0; index--) {
    const node = order[index]!;
    if (node.span === null && node.children.length > 0) {
      let start = Infinity;
      let end = -Infinity;
      for (const child of node.children) {
        start = Math.min(start, child.startMs);
        end = Math.max(end, child.startMs + child.durationMs);
      }
      node.startMs = start;
      node.durationMs = end - start;
    }
    node.children.sort(compareByStart);
    let descendants = 0;
    for (const child of node.children) {
      descendants += 1 + child.descendantCount;
      if (child.errorBelow) node.errorBelow = true;
    }
    node.descendantCount = descendants;
    node.selfTimeMs = computeSelfTimeMs(node.startMs, node.durationMs, node.children);
  }
}

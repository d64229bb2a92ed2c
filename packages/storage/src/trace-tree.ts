// The lean read of a trace for its tree and waterfall (getTrace with { view: 'tree' }): per span
// only what the viewer draws, so a 20,000-span trace is read, shipped and parsed in a fraction
// of the full read's time. Attributes, links, resource and event attributes stay for getSpan.

import type { SpanEvent, TraceSummary } from '@cairn/model';
import type { StoredSpan, TraceDetail } from './trace-store.js';

/** An event as the waterfall marks it: when, and what (fallback, cache hit, retry, exception…). */
export type SpanEventMark = Pick<SpanEvent, 'timeUnixNano' | 'name'>;

/**
 * A span as the tree and waterfall need it. Every StoredSpan is one (the type is a subset), so a
 * store that ignores the view and returns full spans still answers correctly.
 */
export type TreeSpan = Pick<
  StoredSpan,
  | 'projectId'
  | 'traceId'
  | 'spanId'
  | 'parentSpanId'
  | 'name'
  | 'kind'
  | 'spanType'
  | 'serviceName'
  | 'startTimeUnixNano'
  | 'endTimeUnixNano'
  | 'status'
  | 'model'
  | 'provider'
  | 'operation'
  | 'agentName'
  | 'toolName'
  | 'sessionId'
  | 'userId'
  | 'usage'
  | 'costUsd'
  | 'inputPreview'
  | 'outputPreview'
  | 'live'
> & {
  /**
   * The span's events, names and times only: its own in the order they were sent (as the full
   * read has them), all by time once events that arrived apart are merged in.
   */
  events: readonly SpanEventMark[];
};

export interface TraceTreeDetail {
  summary: TraceSummary;
  /** Every span of the trace, ordered by start time (then span id). */
  spans: TreeSpan[];
}

/** What getTrace reads: everything but payloads ('full', the default) or the tree view. */
export type TraceView = 'full' | 'tree';

export interface GetTraceOptions {
  /** Default 'full'. */
  view?: TraceView;
}

/** The tree view of a full read (for stores and callers that hold full spans). */
export function toTraceTreeDetail(detail: TraceDetail): TraceTreeDetail {
  return { summary: detail.summary, spans: detail.spans };
}

/**
 * The cells of a tree row as the query API's tree view writes them (`?view=tree`, docs/api.md),
 * in order. A store that builds these rows itself (getTraceTreeView) writes them in this order.
 */
export const TREE_ROW_FIELDS = [
  'spanId', 'parentSpanId', 'name', 'kind', 'spanType', 'serviceName',
  'startTimeUnixNano', 'endTimeUnixNano', 'durationMs', 'statusCode', 'statusMessage',
  'model', 'provider', 'operation', 'agentName', 'toolName',
  'inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens', 'costUsd',
  'inputPreview', 'outputPreview', 'live', 'events',
] as const;

/** A parent that spans point to but that is not stored, with those children in span order. */
export interface MissingParent {
  spanId: string;
  childSpanIds: string[];
}

/**
 * The missing parents of orphans given as [missing parent id, child span id] in span order:
 * each parent once, in the order its first child appears, with its children in order.
 */
export function groupMissingParents(orphans: Iterable<readonly [string, string]>): MissingParent[] {
  const missing = new Map<string, string[]>();
  for (const [parent, child] of orphans) {
    const children = missing.get(parent);
    if (children === undefined) missing.set(parent, [child]);
    else children.push(child);
  }
  return [...missing].map(([spanId, childSpanIds]) => ({ spanId, childSpanIds }));
}

/**
 * A trace's tree view as JSON text built by the store (getTraceTreeView): the API's rows,
 * comma-separated without the enclosing brackets, ordered by start time then span id, each an
 * array of TREE_ROW_FIELDS cells; `missingParents` as the query API's placeholders.
 */
export interface TraceTreeRows {
  summary: TraceSummary;
  missingParents: MissingParent[];
  rowsJson: string;
}

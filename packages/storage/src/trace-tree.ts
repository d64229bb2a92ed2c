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
  /** The span's events (its own and those that arrived apart), by time; names and times only. */
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

// The one interface every store adapter implements (DuckDB embedded, ClickHouse scale-out).
// Adapters prove themselves by passing the conformance suite in ./conformance.

import type { SessionSummary, SpanEvent, SpanRecord, SpanType, TraceSummary } from '@cairn/model';

/** An event that arrived apart from its span (an OTLP log record with trace and span ids). */
export interface DetachedSpanEvent {
  projectId: string;
  traceId: string;
  spanId: string;
  event: SpanEvent;
}

export interface WriteBatch {
  spans: SpanRecord[];
  events: DetachedSpanEvent[];
}

export interface WriteResult {
  /** Spans newly stored. */
  accepted: number;
  /** Spans skipped because (trace id, span id) was already stored or repeated in the batch. */
  deduplicated: number;
  eventsAccepted: number;
}

export type TraceSortField = 'startTime' | 'duration' | 'cost' | 'tokens';

export interface TraceSort {
  field: TraceSortField;
  descending: boolean;
}

/** Filters of the trace list; every field narrows the result (AND). */
export interface TraceQuery {
  projectId: string;
  /** Traces that started in [fromUnixNano, toUnixNano). */
  fromUnixNano: bigint;
  toUnixNano: bigint;
  /** Service of any span of the trace. */
  service?: string;
  /** Root span name. */
  name?: string;
  /** Some span of the trace has this type / model / provider / agent / tool. */
  spanType?: SpanType;
  model?: string;
  provider?: string;
  agent?: string;
  tool?: string;
  status?: 'error' | 'ok';
  sessionId?: string;
  userId?: string;
  /** Case-insensitive substring of any span's input or output preview or name. */
  text?: string;
  /** Raw attribute equality on any span: the attribute's value rendered as text equals `value`. */
  attributes?: { key: string; value: string }[];
  minDurationMs?: number;
  minCostUsd?: number;
  sort: TraceSort;
  /** 1..500. */
  limit: number;
  /** Opaque; from a previous page's nextCursor. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface SessionQuery {
  projectId: string;
  fromUnixNano: bigint;
  toUnixNano: bigint;
  limit: number;
  cursor?: string;
}

/** A trace's spans are listed without their large payloads (input, output and big attributes). */
export type StoredSpan = Omit<SpanRecord, 'input' | 'output'>;

export interface TraceDetail {
  summary: TraceSummary;
  /** Every stored span of the trace, ordered by start time. Attributes exclude large values. */
  spans: StoredSpan[];
}

/** A span with everything: raw attributes (lossless, large ones included), events, input/output. */
export type SpanDetail = SpanRecord;

export interface StoreStats {
  spanCount: number;
  traceCount: number;
  storeBytes: number;
}

export interface TraceStore {
  /** Human name of the engine, e.g. "duckdb 1.5.6". */
  readonly description: string;
  /**
   * Stores the batch durably: when the promise resolves the data survives a crash of the process.
   * Spans whose (trace id, span id) is already stored are skipped and counted as deduplicated.
   */
  write(batch: WriteBatch): Promise<WriteResult>;
  listTraces(query: TraceQuery): Promise<Page<TraceSummary>>;
  /** null when the trace is unknown. */
  getTrace(projectId: string, traceId: string): Promise<TraceDetail | null>;
  /** null when the span is unknown. Includes events that arrived apart from the span. */
  getSpan(projectId: string, traceId: string, spanId: string): Promise<SpanDetail | null>;
  listSessions(query: SessionQuery): Promise<Page<SessionSummary>>;
  /** Traces of a session in time order; null when the session is unknown. */
  getSession(projectId: string, sessionId: string): Promise<{ session: SessionSummary; traces: TraceSummary[] } | null>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}

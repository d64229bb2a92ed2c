// The one interface every store adapter implements (DuckDB embedded, ClickHouse scale-out).
// Adapters prove themselves by passing the conformance suite in ./conformance.

import type { SessionSummary, SpanEvent, SpanRecord, SpanType, TraceSummary } from '@cairn/model';
import type {
  DueTrace,
  DueTracesQuery,
  FindingCount,
  MetricsQuery,
  MetricsRow,
  QualityQuery,
  ServiceQualityStats,
  SessionTracesQuery,
  SpanStructure,
  TraceFilter,
  TraceFindingsRecord,
} from './analytics-types.js';
import type { RetentionRequest, RetentionResult } from './retention-types.js';
import type { AttributeCatalog, AttributeCatalogQuery } from './attribute-catalog.js';
import type { GetTraceOptions, TraceTreeDetail, TraceTreeRows } from './trace-tree.js';
import type { SpanScanQuery, SpanSemanticsUpdateResult } from './span-rewrite-types.js';

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
  /**
   * Snapshots of spans still running (`cairn.live = true`), kept apart from finished spans: the
   * newest snapshot per span is shown until the finished span arrives and replaces it.
   */
  liveSpans?: SpanRecord[];
}

/** Live spans (started, not finished) of a project that started in [fromUnixNano, toUnixNano). */
export interface LiveSpanQuery {
  projectId: string;
  fromUnixNano: bigint;
  toUnixNano: bigint;
  /** 1..500. */
  limit: number;
}

/** A batch in a store's own write form (TraceStore.prepareWrite); opaque to callers. */
export interface PreparedWrite {
  readonly spanCount: number;
  readonly eventCount: number;
}

/**
 * Where a store's prepareWrite can run off the store's thread (TraceStore.writePreparer): a
 * module to import there, whose `createWritePreparer(options)` returns a WritePreparer.
 */
export interface WritePreparerSpec {
  /** URL of the module. */
  module: string;
  /** Structured-clone data handed to createWritePreparer. */
  options: unknown;
}

/** prepareWrite's work in another thread; TraceStore.adoptPrepared takes its result back. */
export interface WritePreparer {
  /** The batch in the store's write form as structured-clone data, and the buffers to move with it. */
  prepare(batch: WriteBatch): { prepared: unknown; transfer: ArrayBuffer[] };
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
  /** The trace's persisted analysis has a finding of this kind (see writeFindings). */
  finding?: string;
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
  /**
   * Optional, with writePrepared: turns a batch into the store's own write form at once (e.g.
   * encoded rows off the JS heap), so a caller that queues batches before writing them holds
   * compact data instead of the records. The batch may be dropped afterwards.
   */
  prepareWrite?(batch: WriteBatch): PreparedWrite;
  /**
   * Writes prepared batches (from this store's prepareWrite, each at most once) as one batch,
   * in order, with write's guarantees: durable when it resolves, stored spans deduplicated.
   */
  writePrepared?(batches: readonly PreparedWrite[]): Promise<WriteResult>;
  /**
   * Optional, with adoptPrepared and writePrepared: prepareWrite's work can run in another thread
   * (a server's ingest thread decodes, normalizes and prepares there, off the event loop).
   */
  readonly writePreparer?: WritePreparerSpec;
  /** A batch prepared by writePreparer's module in another thread, ready for writePrepared. */
  adoptPrepared?(prepared: unknown): PreparedWrite;
  listTraces(query: TraceQuery): Promise<Page<TraceSummary>>;
  /** null when the trace is unknown. */
  getTrace(projectId: string, traceId: string, options?: { view?: 'full' }): Promise<TraceDetail | null>;
  /**
   * The tree view (trace-tree.ts): per span only what the tree and waterfall draw, read from
   * those columns only. Stores may answer with full spans (a TreeSpan is a subset of a StoredSpan).
   */
  getTrace(projectId: string, traceId: string, options: GetTraceOptions): Promise<TraceTreeDetail | TraceDetail | null>;
  /**
   * Optional: getTrace's tree view, or for a trace the store chooses (a large one) the tree view
   * as JSON rows it wrote itself (trace-tree.ts TraceTreeRows), which cost less to pass through
   * than its spans cost to decode and serialize again. null when the trace is unknown.
   */
  getTraceTreeView?(projectId: string, traceId: string): Promise<TraceTreeRows | TraceTreeDetail | null>;
  /** Raw attribute keys, or the top values of a key or promoted field, seen in a time window. */
  catalogAttributes(query: AttributeCatalogQuery): Promise<AttributeCatalog>;
  /** null when the span is unknown. Includes events that arrived apart from the span. */
  getSpan(projectId: string, traceId: string, spanId: string): Promise<SpanDetail | null>;
  listSessions(query: SessionQuery): Promise<Page<SessionSummary>>;
  /** Traces of a session in time order; null when the session is unknown. */
  getSession(projectId: string, sessionId: string): Promise<{ session: SessionSummary; traces: TraceSummary[] } | null>;
  stats(): Promise<StoreStats>;
  /**
   * Spans reported started whose finished span is not stored, newest start first, each the newest
   * snapshot (live: true, endTimeUnixNano = when the snapshot was taken).
   */
  listLiveSpans(query: LiveSpanQuery): Promise<StoredSpan[]>;
  /** Dashboard aggregation over spans; rows ordered by bucket, then key (nulls last). */
  aggregateMetrics(query: MetricsQuery): Promise<MetricsRow[]>;
  /** Replaces the persisted analysis of each trace (an empty findings list records "analyzed, clean"). */
  writeFindings(records: TraceFindingsRecord[]): Promise<void>;
  /** Persisted analysis of a trace, or null when it was never analyzed. */
  getFindings(projectId: string, traceId: string): Promise<TraceFindingsRecord | null>;
  /**
   * Traces with spans received since receivedSince, quiet since quietBefore, and not analyzed
   * yet, analyzed by another version, or analyzed before their newest span arrived.
   */
  listDueTraces(query: DueTracesQuery): Promise<DueTrace[]>;
  /**
   * Optional bulk reads of the background analyzer (a store without them is read trace by trace
   * with getTrace and getSession). getTraces: what getTrace answers for each id, in the order
   * given, unknown ids left out. listSessionTraces: the summaries getSession lists for these
   * sessions, limited to traces overlapping the window, in time order. getSpanStructures: per
   * known trace id, the structural fields of the spans getTrace would return, by start time.
   */
  getTraces?(projectId: string, traceIds: readonly string[]): Promise<TraceDetail[]>;
  listSessionTraces?(query: SessionTracesQuery): Promise<TraceSummary[]>;
  getSpanStructures?(projectId: string, traceIds: readonly string[]): Promise<Map<string, SpanStructure[]>>;
  /** Traces per finding kind among the traces matching the filter (kinds with none are left out). */
  countFindings(filter: TraceFilter): Promise<FindingCount[]>;
  /** Per-service instrumentation statistics over spans starting in the window. */
  qualityStats(query: QualityQuery): Promise<ServiceQualityStats[]>;
  /**
   * Stored spans matching the query, in batches of at most query.batchSize, ordered by (start
   * time, trace id, span id), with lossless raw attributes (large ones included) and events (the
   * span's own and those that arrived apart, as getSpan returns them); no input/output. Sees each
   * span once even while updateSpanSemantics rewrites spans between batches.
   */
  scanSpans(query: SpanScanQuery): AsyncIterable<StoredSpan[]>;
  /**
   * Replaces the semantic fields (REWRITTEN_SPAN_FIELDS) of stored spans found by (projectId,
   * traceId, spanId) and records normalizerVersion for scanSpans' normalizerVersionBelow; raw
   * fields (ids, name, times, attributes, events, links, resource, scope, receivedUnixNano) and
   * stored input/output are kept. Trace list, trace summary and session aggregates reflect the
   * new values once the promise resolves. Unknown spans are skipped.
   */
  updateSpanSemantics(spans: readonly StoredSpan[], normalizerVersion: number): Promise<SpanSemanticsUpdateResult>;
  /**
   * Removes whole traces older than their project's retention (see retention-types.ts for the
   * exact rule) from every table, frees the space where the engine can, and says what went.
   */
  applyRetention(request: RetentionRequest): Promise<RetentionResult>;
  /**
   * Optional attribution cache of aggregateMetrics groupBy=agent (a store without one resolves
   * at read time). Stores the agent each unresolved model call received before the watermark
   * counts for (MetricsQuery's rule, agent spans looked up across the whole trace); returns how
   * many rows were set. aggregateMetrics returns the same rows before and after.
   */
  resolveCallAgents?(request: CallAgentResolveRequest): Promise<number>;
  /** Forgets the stored attribution of these traces' model calls (they changed); resolved again later. */
  resetCallAgents?(projectId: string, traceIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** What resolveCallAgents covers: model calls received before the watermark, at most `limit`. */
export interface CallAgentResolveRequest {
  receivedBeforeUnixNano: bigint;
  /** Only calls received since then (received times grow with the write order, so the scan skips older row groups); all when absent. */
  receivedSinceUnixNano?: bigint;
  limit?: number;
}

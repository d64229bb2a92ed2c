// TraceStore over one embedded DuckDB database, which lives in a worker thread (worker-client.ts):
// writes run one after another on the worker's writer connection, reads on its reader pool.

import { stat } from 'node:fs/promises';
import type { SessionSummary, SpanEvent, SpanType, TraceSummary } from '@cairn/model';
import { decodeStoredAttributes } from '@cairn/model';
import type {
  CallAgentResolveRequest,
  DueTrace,
  DueTracesQuery,
  FindingCount,
  MetricsQuery,
  MetricsRow,
  QualityQuery,
  ServiceQualityStats,
  TraceFilter,
  TraceFindingsRecord,
  Page,
  PreparedWrite,
  SessionQuery,
  SessionTracesQuery,
  SpanDetail,
  SpanEventMark,
  StoredSpan,
  StoreStats,
  TraceDetail,
  GetTraceOptions,
  AttributeCatalog,
  AttributeCatalogQuery,
  TraceTreeDetail,
  TraceTreeRows,
  LiveSpanQuery,
  SpanScanQuery,
  SpanSemanticsUpdateResult,
  SpanStructure,
  TraceQuery,
  TraceStore,
  WriteBatch,
  WritePreparerSpec,
  WriteResult,
  RetentionRequest,
  RetentionResult,
} from '@cairn/storage';
import { groupMissingParents, InvalidCursorError, StoreError } from '@cairn/storage';
import { deriveSpanContent } from '@cairn/semantic';
import { decodeCursor, encodeCursor, siblingModuleUrl } from '@cairn/storage/adapter-kit';
import { DuckDbAnalytics } from './duckdb-analytics.js';
import { resetCallAgents, resolveCallAgents } from './call-agents.js';
import { applyDuckDbRetention } from './duckdb-retention.js';
import { DuckDbLiveSpans } from './live-spans-sql.js';
import { DuckDbSpanRewrite } from './span-rewrite.js';
import { DuckDbPreviewRefresh } from './preview-refresh.js';
import { withLiveSpans } from '@cairn/storage/adapter-kit';
import { decodeEvent } from '@cairn/storage/adapter-kit';
import type { OriginRegistry } from './origin-registry.js';
import { ORIGIN_COLUMNS } from './origin-registry.js';
import { decodeStoredPayload } from '@cairn/storage/adapter-kit';
import { decodeSessionRow, SESSION_COLUMNS, sessionAggregateSql, sessionsInWindowSql } from './session-sql.js';
import { SqlParams } from './sql-params.js';
import type { TraceRead, TraceTreeRead } from './trace-tree-read.js';
import { byStart, readDetachedMarks, readTraceTree, summaryOfTraceRead, traceWindowSql } from './trace-tree-read.js';
import { withLiveTreeSpans } from '@cairn/storage/adapter-kit';
import { catalogAttributes } from './attribute-catalog-sql.js';
import { decodeSpanRow, SPAN_JSON_SELECT, SPAN_PLACE_POSITION, spanRowOfJson, spanRowsOfJsonList } from './span-row.js';
import type { SpanWriter, SpanWriterOptions } from './span-writer.js';
import { isEncodedBatch, PreparedSpanBatch } from './span-writer.js';
import { traceListSql, traceOrder } from './trace-list-sql.js';
import type { WorkerClient } from './worker-client.js';
import { decodeSummaryRow, SUMMARY_COLUMNS, traceAggregateSql } from './trace-summary-sql.js';
import { summarizeTraceParts, TRACE_PART_READ_COLUMNS, traceWindowOfParts, type TraceSpanWindow } from './trace-parts-summary.js';
import { keyedTraceIdFilter, spanWindowFilter, traceIdFilter } from './span-window-sql.js';
import type { KnownTracesState } from './worker-protocol.js';

export interface DuckDbTraceStoreParts {
  description: string;
  databasePath: string;
  worker: WorkerClient;
  writer: SpanWriter;
  origins: OriginRegistry;
  /** Whether detached_events / live_spans held rows at open. */
  hasDetachedEvents: boolean;
  hasLiveSpans: boolean;
  /** The first batch_seq whose spans rows carry their trace_key (trace-key.ts). */
  traceKeyFromSeq: bigint;
  onClose: () => void;
}

type Row = unknown[];

/** The module a server's ingest thread imports to prepare writes for this store (writePreparer). */
const WRITE_PREPARER_MODULE = siblingModuleUrl('../write-preparer', import.meta.url);

/** A stored span, with the events it arrived with (before detached events are merged in). */
interface ReadSpan {
  span: StoredSpan;
  hasPayload: boolean;
  contentDerived: boolean;
  /** How many events arrived apart from the span (merged into span.events). */
  detachedCount: number;
}

/**
 * The span with input/output derived again from its full attributes and all its events —
 * including events that arrived apart from it (OTLP log records such as gen_ai.user.message or
 * gen_ai.client.inference.operation.details), which were not there when the span was ingested.
 * Its previews follow the derived content (the stored ones were made before late events came).
 */
function withDerivedContent(span: StoredSpan, attributes: StoredSpan['attributes']): SpanDetail {
  const derived = deriveSpanContent({ ...span, attributes });
  return {
    ...span,
    attributes,
    input: derived.input,
    output: derived.output,
    inputPreview: derived.inputPreview === '' ? span.inputPreview : derived.inputPreview,
    outputPreview: derived.outputPreview === '' ? span.outputPreview : derived.outputPreview,
  };
}

/** True when events arrived apart from the span, so its content may be richer than at ingest. */
function hasDetachedEvents(entry: ReadSpan): boolean {
  return entry.detachedCount > 0;
}

/** Key of detachedEvents' map: span ids are unique within a trace only. */
function detachedKey(traceId: string, spanId: string): string {
  return `${traceId}\u0000${spanId}`;
}

function structureOf(span: StoredSpan): SpanStructure {
  const { traceId, spanId, parentSpanId, name, kind, spanType, startTimeUnixNano, endTimeUnixNano } = span;
  return { traceId, spanId, parentSpanId, name, kind, spanType, startTimeUnixNano, endTimeUnixNano };
}

function stableSortByTime(events: SpanEvent[]): SpanEvent[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => (a.event.timeUnixNano < b.event.timeUnixNano ? -1 : a.event.timeUnixNano > b.event.timeUnixNano ? 1 : a.index - b.index))
    .map((entry) => entry.event);
}

function writeFailure(error: unknown, spanCount: number): StoreError {
  return error instanceof StoreError ? error : new StoreError('store_failed', `writing ${spanCount} spans failed: ${String(error)}`, { cause: error });
}

export class DuckDbTraceStore implements TraceStore {
  readonly description: string;
  private writeChain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly analytics = new DuckDbAnalytics(
    (sql, params) => this.query(sql, params),
    // Analyses are written on the writer connection, queued behind span writes (never inside one).
    (sql, params) => {
      this.assertOpen();
      const result = this.writeChain.then(() => this.parts.worker.request<Row[]>({ op: 'query', sql, params: params.specs, writer: true }));
      this.writeChain = result.catch(() => undefined);
      return result;
    },
  );

  private readonly live = new DuckDbLiveSpans(
    (sql, params) => this.query(sql, params),
    // Runs inside writePrepared's turn on the write chain.
    (sql, params) => this.parts.worker.request<Row[]>({ op: 'query', sql, params: params.specs, writer: true }),
  );

  private readonly rewrite = new DuckDbSpanRewrite({
    read: (sql, params) => this.query(sql, params),
    // Runs inside a turn on the write chain (updateSpanSemantics).
    write: (sql, params) => this.parts.worker.request<Row[]>({ op: 'query', sql, params: params.specs, writer: true }),
    decodeRows: async (cells) => {
      const rows = cells.map((cell) => spanRowOfJson(cell[0] as string));
      await this.loadOrigins(rows.map((row) => row[13] as string));
      return rows.map((row) => decodeSpanRow(row, (key) => this.parts.origins.cachedDecoded(key)!));
    },
  });

  private readonly previews = new DuckDbPreviewRefresh(this.rewrite, (sql, params) =>
    this.parts.worker.request<Row[]>({ op: 'query', sql, params: params.specs, writer: true }),
  );

  /**
   * False until a write carries an event that arrived apart from its span (OTLP logs): reading a
   * trace skips the detached_events query, one of the statements on its critical path.
   */
  private mayHaveDetachedEvents: boolean;

  constructor(private readonly parts: DuckDbTraceStoreParts) {
    this.description = parts.description;
    this.mayHaveDetachedEvents = parts.hasDetachedEvents;
    this.live.mayHaveRows = parts.hasLiveSpans;
  }

  write(batch: WriteBatch): Promise<WriteResult> {
    // Encoded now, written in turn: the records need not outlive this call.
    let prepared: PreparedWrite;
    try {
      prepared = this.prepareWrite(batch);
    } catch (error) {
      return Promise.reject(writeFailure(error, batch.spans.length));
    }
    return this.writePrepared([prepared]);
  }

  prepareWrite(batch: WriteBatch): PreparedWrite {
    this.assertOpen();
    return this.adopt(this.parts.writer.prepare(batch));
  }

  get writePreparer(): WritePreparerSpec {
    const options: SpanWriterOptions = { ...this.parts.writer.options };
    return { module: WRITE_PREPARER_MODULE, options };
  }

  adoptPrepared(prepared: unknown): PreparedWrite {
    this.assertOpen();
    if (!isEncodedBatch(prepared)) throw new StoreError('store_failed', 'adoptPrepared takes what this store\'s write preparer made only');
    return this.adopt(new PreparedSpanBatch(prepared));
  }

  private adopt(prepared: PreparedSpanBatch): PreparedSpanBatch {
    if (prepared.eventCount > 0) this.mayHaveDetachedEvents = true;
    return prepared;
  }

  writePrepared(batches: readonly PreparedWrite[]): Promise<WriteResult> {
    if (this.closed) return Promise.reject(new StoreError('store_unavailable', 'the store is closed'));
    const own = batches.filter((batch): batch is PreparedSpanBatch => batch instanceof PreparedSpanBatch);
    const spanCount = batches.reduce((sum, batch) => sum + batch.spanCount, 0);
    if (own.length !== batches.length) return Promise.reject(new StoreError('store_failed', 'writePrepared takes batches from this store\'s prepareWrite only'));
    const result = this.writeChain.then(async () => {
      const written = await this.parts.writer.writePrepared(own);
      await this.live.writeRows(own.flatMap(({ encoded }) => encoded.liveRows));
      // The batch is durable already; stale previews only make search miss late messages (getSpan
      // derives them anyway), so a failure here does not fail the write.
      const candidates = own.flatMap(({ encoded }) => (encoded.previewCandidates === null ? [] : [encoded.previewCandidates]));
      if (candidates.length > 0) await this.previews.refresh(candidates).catch(() => undefined);
      return written;
    });
    this.writeChain = result.catch(() => undefined);
    return result.catch((error: unknown) => {
      throw writeFailure(error, spanCount);
    });
  }

  private query(sql: string, params?: SqlParams): Promise<Row[]> {
    return this.request<Row[]>({ op: 'query', sql, params: params?.specs ?? [], writer: false });
  }

  /** A read request to the worker; failures become StoreErrors. */
  private async request<T>(body: Parameters<WorkerClient['request']>[0]): Promise<T> {
    this.assertOpen();
    try {
      return await this.parts.worker.request<T>(body);
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StoreError('store_failed', `query failed: ${String(error)}`, { cause: error });
    }
  }

  async listTraces(query: TraceQuery): Promise<Page<TraceSummary>> {
    const params = new SqlParams();
    const sql = traceListSql(query, params);
    const rows = await this.query(sql, params);
    const limit = Math.max(1, Math.min(500, Math.trunc(query.limit)));
    const items = rows.slice(0, limit).map(decodeSummaryRow);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    const nextCursor = last
      ? encodeCursor({ order: traceOrder(query), key: last[last.length - 1] as bigint | number, id: last[0] as string })
      : null;
    return { items, nextCursor };
  }

  /** Where the trace's spans are (its trace_parts rows, the few columns this needs), or null. */
  private async spanWindow(projectId: string, traceId: string): Promise<TraceSpanWindow | null> {
    const params = new SqlParams();
    return traceWindowOfParts(await this.query(traceWindowSql(projectId, traceId, params), params));
  }

  getTrace(projectId: string, traceId: string, options?: { view?: 'full' }): Promise<TraceDetail | null>;
  getTrace(projectId: string, traceId: string, options: GetTraceOptions): Promise<TraceTreeDetail | TraceDetail | null>;
  async getTrace(projectId: string, traceId: string, options?: GetTraceOptions): Promise<TraceTreeDetail | TraceDetail | null> {
    if (options?.view === 'tree') return this.getTraceTree(projectId, traceId);
    // One worker round trip on the critical path (the trace's window from its parts, then its
    // spans, the summary made of them: trace-tree-read.ts); detached events and running spans are
    // read meanwhile.
    const detached = this.detachedEvents(projectId, traceId);
    detached.catch(() => undefined);
    const live = this.live.ofTrace(projectId, traceId);
    live.catch(() => undefined);
    const read = await this.request<TraceRead>({ op: 'readTrace', view: 'full', projectId, traceId });
    const rows = spanRowsOfJsonList(read.spans);
    const entries = await this.decodeSpans(rows, detached);
    const summary = summaryOfTraceRead(traceId, read, rows, SPAN_PLACE_POSITION, (index) => entries[index]!.span);
    if (!summary) return withLiveSpans(null, await live);
    const spans = entries.map((entry) => entry.span);
    return withLiveSpans({ summary, spans: read.sorted ? spans : spans.sort(byStart) }, await live);
  }

  /**
   * What a tree read merges into the stored spans, read meanwhile: the trace's running spans and
   * the event marks that arrived apart from their spans (when any exist).
   */
  private treeExtras(projectId: string, traceId: string): { live: Promise<StoredSpan[]>; detached: Promise<Map<string, SpanEventMark[]>> } {
    const live = this.live.ofTrace(projectId, traceId);
    live.catch(() => undefined);
    const run = (sql: string, params: SqlParams) => this.query(sql, params);
    const detached = this.mayHaveDetachedEvents ? readDetachedMarks(run, projectId, traceId) : Promise.resolve(new Map<string, SpanEventMark[]>());
    detached.catch(() => undefined);
    return { live, detached };
  }

  /** The tree view: the tree columns only (trace-tree-read.ts). */
  private async getTraceTree(projectId: string, traceId: string): Promise<TraceTreeDetail | null> {
    // One worker round trip on the critical path (summary and window, then the spans, run by the
    // worker back to back); running spans and detached events are read meanwhile, when any exist.
    const { live, detached } = this.treeExtras(projectId, traceId);
    const read = await this.request<TraceRead>({ op: 'readTrace', view: 'tree', projectId, traceId });
    return this.treeOfRead(read, projectId, traceId, live, detached);
  }

  /** The tree view of a worker's TraceRead, with the trace's running spans and detached events merged in. */
  private async treeOfRead(
    read: TraceRead,
    projectId: string,
    traceId: string,
    live: Promise<StoredSpan[]>,
    detached: Promise<Map<string, SpanEventMark[]>>,
  ): Promise<TraceTreeDetail | null> {
    const found = await readTraceTree(read, projectId, traceId, detached);
    if (!found) return withLiveTreeSpans(null, [], await live);
    return withLiveTreeSpans(found.summary, found.spans, await live);
  }

  /**
   * The tree view in one worker round trip (trace-tree-read.ts queryTraceTree): a large trace's
   * as the API's rows, built by DuckDB and passed through as text — for 20,000 spans this skips
   * parsing ~10 MB of JSON, decoding each span and writing it again — and any other trace's as
   * getTrace's. A large trace with running spans or events that arrived apart is read again as
   * spans, which getTrace merges them into.
   */
  async getTraceTreeView(projectId: string, traceId: string): Promise<TraceTreeRows | TraceTreeDetail | null> {
    const { live, detached } = this.treeExtras(projectId, traceId);
    const answer = await this.request<TraceTreeRead>({ op: 'readTraceTree', projectId, traceId });
    if ('read' in answer) return this.treeOfRead(answer.read, projectId, traceId, live, detached);
    const summary = summarizeTraceParts(traceId, answer.rows.parts)?.summary;
    if (summary && (await live).length === 0 && (await detached).size === 0) {
      return { summary, missingParents: groupMissingParents(answer.rows.orphans), rowsJson: answer.rows.rows };
    }
    const read = await this.request<TraceRead>({ op: 'readTrace', view: 'tree', projectId, traceId });
    return this.treeOfRead(read, projectId, traceId, live, detached);
  }

  catalogAttributes(query: AttributeCatalogQuery): Promise<AttributeCatalog> {
    return catalogAttributes((sql, params) => this.query(sql, params), query);
  }

  async getSpan(projectId: string, traceId: string, spanId: string): Promise<SpanDetail | null> {
    // The stored span is read first, then the running one, in two statements: a span whose
    // finished record committed in between is in neither (its live record then counts as
    // finished). Reading again finds it stored; a span that does not exist costs a second miss.
    return (await this.findSpan(projectId, traceId, spanId)) ?? (await this.findSpan(projectId, traceId, spanId));
  }

  private async findSpan(projectId: string, traceId: string, spanId: string): Promise<SpanDetail | null> {
    const detached = this.detachedEvents(projectId, traceId, spanId);
    detached.catch(() => undefined);
    const where = await this.spanWindow(projectId, traceId);
    if (!where) return this.live.unfinishedSpan(projectId, traceId, spanId);
    const [entry] = await this.readSpans(projectId, traceId, where, spanId, detached);
    if (!entry) return this.live.unfinishedSpan(projectId, traceId, spanId);
    const { span } = entry;
    if (!entry.hasPayload) {
      return entry.contentDerived || hasDetachedEvents(entry) ? withDerivedContent(span, span.attributes) : { ...span, input: null, output: null };
    }
    const payloadParams = new SqlParams();
    const rows = await this.query(
      `SELECT input, output, attributes FROM span_payloads
       WHERE batch_seq >= ${payloadParams.bigint(where.minSeq)} AND batch_seq <= ${payloadParams.bigint(where.maxSeq)}
         AND start_ns = ${payloadParams.bigint(span.startTimeUnixNano)} AND project_id = ${payloadParams.text(projectId)}
         AND trace_id = ${payloadParams.text(traceId)} AND span_id = ${payloadParams.text(spanId)} LIMIT 1`,
      payloadParams,
    );
    const row = rows[0];
    if (!row) throw new StoreError('store_failed', `payload of span ${spanId} in trace ${traceId} is missing from the store`);
    const attributesText = row[2] as string | null;
    const attributes = attributesText === null ? span.attributes : decodeStoredAttributes(attributesText);
    if (entry.contentDerived) return withDerivedContent(span, attributes);
    const input = decodeStoredPayload(row[0] as string | null, attributes);
    const output = decodeStoredPayload(row[1] as string | null, attributes);
    if (input === null && output === null && hasDetachedEvents(entry)) return withDerivedContent(span, attributes);
    return { ...span, attributes, input, output };
  }

  /** Spans of the traces inside `where`, by start time, detached events merged in. */
  private async readSpans(
    projectId: string,
    traceIds: string | readonly string[],
    where: TraceSpanWindow,
    spanId: string | undefined,
    detachedEvents: Promise<Map<string, SpanEvent[]>>,
  ): Promise<ReadSpan[]> {
    const params = new SqlParams();
    const spanFilter = spanId === undefined ? '' : ` AND span_id = ${params.text(spanId)}`;
    const filter = `${spanWindowFilter(projectId, traceIds, where, this.parts.traceKeyFromSeq, params)}${spanFilter}`;
    // Many traces (getTraces): one text cell of JSON arrays, not a cell per span to convert.
    const rows =
      typeof traceIds === 'string'
        ? (await this.query(`SELECT ${SPAN_JSON_SELECT} FROM spans WHERE ${filter} ORDER BY start_ns, span_id`, params)).map((cell) => spanRowOfJson(cell[0] as string))
        : spanRowsOfJsonList(((await this.query(`SELECT string_agg(${SPAN_JSON_SELECT}, ',' ORDER BY start_ns, span_id) FROM spans WHERE ${filter}`, params))[0]?.[0] as string | null | undefined) ?? null);
    return this.decodeSpans(rows, detachedEvents);
  }

  /** Rows of SPAN_COLUMNS as spans, their origins loaded and detached events merged in. */
  private async decodeSpans(rows: unknown[][], detachedEvents: Promise<Map<string, SpanEvent[]>>): Promise<ReadSpan[]> {
    if (rows.length === 0) return [];
    await this.loadOrigins(rows.map((row) => row[13] as string));
    const entries: ReadSpan[] = rows.map((row) => {
      const decoded = decodeSpanRow(row, (key) => this.parts.origins.cachedDecoded(key)!);
      return { ...decoded, detachedCount: 0 };
    });
    const detached = await detachedEvents;
    for (const entry of entries) {
      const extra = detached.get(detachedKey(entry.span.traceId, entry.span.spanId));
      if (!extra) continue;
      entry.span.events = stableSortByTime([...entry.span.events, ...extra]);
      entry.detachedCount = extra.length;
    }
    return entries;
  }

  private async loadOrigins(keys: string[]): Promise<void> {
    const missing = [...new Set(keys)].filter((key) => !this.parts.origins.cachedDecoded(key));
    if (missing.length === 0) return;
    const params = new SqlParams();
    const rows = await this.query(
      `SELECT ${ORIGIN_COLUMNS} FROM origins WHERE origin_key IN (SELECT unnest(${params.textList(missing)}))`,
      params,
    );
    for (const row of rows) this.parts.origins.decodeRow(row);
    for (const key of missing) {
      if (!this.parts.origins.cachedDecoded(key)) throw new StoreError('store_failed', `origin ${key} is missing from the store`);
    }
  }

  /** Events that arrived apart from their spans, by detachedKey. */
  private async detachedEvents(projectId: string, traceIds: string | readonly string[], spanId?: string): Promise<Map<string, SpanEvent[]>> {
    if (!this.mayHaveDetachedEvents) return new Map();
    const params = new SqlParams();
    const spanFilter = spanId === undefined ? '' : ` AND span_id = ${params.text(spanId)}`;
    const rows = await this.query(
      `SELECT trace_id, span_id, event FROM detached_events
       WHERE project_id = ${params.text(projectId)} AND ${traceIdFilter(traceIds, params)}${spanFilter}`,
      params,
    );
    const bySpan = new Map<string, SpanEvent[]>();
    for (const row of rows) {
      const event = decodeEvent(JSON.parse(row[2] as string) as Parameters<typeof decodeEvent>[0]);
      const key = detachedKey(row[0] as string, row[1] as string);
      const list = bySpan.get(key);
      if (list) list.push(event);
      else bySpan.set(key, [event]);
    }
    return bySpan;
  }

  /**
   * getTrace of many traces (the background analyzer's subjects): their parts in one query, the
   * spans of all of them in one scan of the batches that hold them.
   */
  async getTraces(projectId: string, traceIds: readonly string[]): Promise<TraceDetail[]> {
    const ids = [...new Set(traceIds)];
    if (ids.length === 0) return [];
    const detached = this.detachedEvents(projectId, ids);
    detached.catch(() => undefined);
    const live = this.live.ofTraces(projectId, ids);
    live.catch(() => undefined);
    const found = await this.summariesAndWindow(projectId, ids);
    const spansByTrace = new Map<string, StoredSpan[]>();
    if (found.window) {
      for (const { span } of await this.readSpans(projectId, [...found.summaries.keys()], found.window, undefined, detached)) {
        const spans = spansByTrace.get(span.traceId);
        if (spans) spans.push(span);
        else spansByTrace.set(span.traceId, [span]);
      }
    }
    const snapshots = await live;
    const details: TraceDetail[] = [];
    for (const traceId of ids) {
      const summary = found.summaries.get(traceId);
      const detail = withLiveSpans(summary ? { summary, spans: spansByTrace.get(traceId) ?? [] } : null, snapshots.get(traceId) ?? []);
      if (detail) details.push(detail);
    }
    return details;
  }

  /** Structural fields of the spans of many traces (session peers of the background analyzer). */
  async getSpanStructures(projectId: string, traceIds: readonly string[]): Promise<Map<string, SpanStructure[]>> {
    const ids = [...new Set(traceIds)];
    const structures = new Map<string, SpanStructure[]>();
    if (ids.length === 0) return structures;
    if (this.live.mayHaveRows) {
      // Running spans are merged as getTrace merges them; rare enough to take the full read.
      for (const detail of await this.getTraces(projectId, ids)) structures.set(detail.summary.traceId, detail.spans.map(structureOf));
      return structures;
    }
    const found = await this.summariesAndWindow(projectId, ids);
    if (!found.window) return structures;
    for (const traceId of found.summaries.keys()) structures.set(traceId, []);
    // One text cell of JSON arrays: converting thousands of rows cell by cell into JS values cost
    // several times the scan (as for the tree view, trace-tree-read.ts).
    const params = new SqlParams();
    const cells = await this.query(
      `SELECT string_agg(json_array(trace_id, span_id, parent_span_id, name, kind, span_type, start_ns::VARCHAR, end_ns::VARCHAR)::VARCHAR, ',' ORDER BY start_ns, span_id)
       FROM spans WHERE ${spanWindowFilter(projectId, [...found.summaries.keys()], found.window, this.parts.traceKeyFromSeq, params)}`,
      params,
    );
    const text = cells[0]?.[0] as string | null | undefined;
    const rows = text ? (JSON.parse(`[${text}]`) as [string, string, string | null, string, number, SpanType, string, string][]) : [];
    for (const [traceId, spanId, parentSpanId, name, kind, spanType, start, end] of rows) {
      structures.get(traceId)?.push({ traceId, spanId, parentSpanId, name, kind, spanType, startTimeUnixNano: BigInt(start), endTimeUnixNano: BigInt(end) });
    }
    return structures;
  }

  /** The summaries of the known traces among `traceIds`, and one window holding all their spans. */
  private async summariesAndWindow(projectId: string, traceIds: readonly string[]): Promise<{ summaries: Map<string, TraceSummary>; window: TraceSpanWindow | null }> {
    const params = new SqlParams();
    const rows = await this.query(
      `SELECT trace_id, ${TRACE_PART_READ_COLUMNS} FROM trace_parts
       WHERE project_id = ${params.text(projectId)} AND ${keyedTraceIdFilter(traceIds, params)}`,
      params,
    );
    const partsByTrace = new Map<string, Row[]>();
    for (const row of rows) {
      const parts = partsByTrace.get(row[0] as string);
      if (parts) parts.push(row.slice(1));
      else partsByTrace.set(row[0] as string, [row.slice(1)]);
    }
    const summaries = new Map<string, TraceSummary>();
    let window: TraceSpanWindow | null = null;
    for (const [traceId, parts] of partsByTrace) {
      const found = summarizeTraceParts(traceId, parts);
      if (!found) continue;
      summaries.set(traceId, found.summary);
      const own = found.window;
      window = window
        ? {
            from: own.from < window.from ? own.from : window.from,
            to: own.to > window.to ? own.to : window.to,
            minSeq: own.minSeq < window.minSeq ? own.minSeq : window.minSeq,
            maxSeq: own.maxSeq > window.maxSeq ? own.maxSeq : window.maxSeq,
          }
        : own;
    }
    return { summaries, window };
  }

  /** getSession's traces of several sessions at once, limited to those overlapping the window. */
  async listSessionTraces(query: SessionTracesQuery): Promise<TraceSummary[]> {
    if (query.sessionIds.length === 0) return [];
    const params = new SqlParams();
    const project = params.text(query.projectId);
    const sessions = params.textList([...new Set(query.sessionIds)]);
    const rows = await this.query(
      `SELECT ${SUMMARY_COLUMNS} FROM (${traceAggregateSql(
        `project_id = ${project} AND trace_id IN (SELECT trace_id FROM trace_parts WHERE project_id = ${project} AND session_id IN (SELECT unnest(${sessions})))`,
      )}) WHERE session_id IN (SELECT unnest(${sessions}))
         AND start_ns <= ${params.bigint(query.toUnixNano)} AND end_ns >= ${params.bigint(query.fromUnixNano)}
       ORDER BY start_ns, trace_id`,
      params,
    );
    return rows.map(decodeSummaryRow);
  }

  async listSessions(query: SessionQuery): Promise<Page<SessionSummary>> {
    const params = new SqlParams();
    const project = params.text(query.projectId);
    const where: string[] = [];
    const order = 'sessions:lastSeen:desc';
    if (query.cursor !== undefined) {
      const position = decodeCursor(query.cursor, order);
      if (typeof position.key !== 'bigint') throw new InvalidCursorError(query.cursor);
      const key = params.bigint(position.key);
      where.push(`(last_seen < ${key} OR (last_seen = ${key} AND session_id < ${params.text(position.id)}))`);
    }
    const limit = Math.max(1, Math.min(500, Math.trunc(query.limit)));
    const sessions = sessionAggregateSql(project, sessionsInWindowSql(project, query.fromUnixNano, query.toUnixNano, params));
    const rows = await this.query(
      `SELECT ${SESSION_COLUMNS} FROM (${sessions}) ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY last_seen DESC, session_id DESC LIMIT ${limit + 1}`,
      params,
    );
    const items = rows.slice(0, limit).map(decodeSessionRow);
    const last = rows.length > limit ? items[limit - 1] : undefined;
    return { items, nextCursor: last ? encodeCursor({ order, key: last.lastSeenUnixNano, id: last.sessionId }) : null };
  }

  async getSession(projectId: string, sessionId: string): Promise<{ session: SessionSummary; traces: TraceSummary[] } | null> {
    const params = new SqlParams();
    const project = params.text(projectId);
    const session = params.text(sessionId);
    const sessionRows = await this.query(`SELECT ${SESSION_COLUMNS} FROM (${sessionAggregateSql(project, `SELECT ${session}`)})`, params);
    const sessionRow = sessionRows[0];
    if (!sessionRow) return null;
    const traceParams = new SqlParams();
    const traceProject = traceParams.text(projectId);
    const traceSession = traceParams.text(sessionId);
    const traceRows = await this.query(
      `SELECT ${SUMMARY_COLUMNS} FROM (${traceAggregateSql(
        `project_id = ${traceProject} AND trace_id IN (SELECT trace_id FROM trace_parts WHERE project_id = ${traceProject} AND session_id = ${traceSession})`,
      )}) WHERE session_id = ${traceSession} ORDER BY start_ns, trace_id`,
      traceParams,
    );
    return { session: decodeSessionRow(sessionRow), traces: traceRows.map(decodeSummaryRow) };
  }

  listLiveSpans(query: LiveSpanQuery): Promise<StoredSpan[]> {
    return this.live.list(query);
  }

  async stats(): Promise<StoreStats> {
    const rows = await this.query(
      `SELECT (SELECT count(*) FROM spans), (SELECT count(*) FROM (SELECT DISTINCT project_id, trace_id FROM trace_parts))`,
    );
    const [spanCount, traceCount] = rows[0] as [bigint, bigint];
    let storeBytes = 0;
    for (const path of [this.parts.databasePath, `${this.parts.databasePath}.wal`]) {
      storeBytes += await stat(path).then(
        (info) => info.size,
        () => 0,
      );
    }
    return { spanCount: Number(spanCount), traceCount: Number(traceCount), storeBytes };
  }

  aggregateMetrics(query: MetricsQuery): Promise<MetricsRow[]> {
    return this.analytics.aggregateMetrics(query);
  }

  writeFindings(records: TraceFindingsRecord[]): Promise<void> {
    return this.analytics.writeFindings(records);
  }

  getFindings(projectId: string, traceId: string): Promise<TraceFindingsRecord | null> {
    return this.analytics.getFindings(projectId, traceId);
  }

  listDueTraces(query: DueTracesQuery): Promise<DueTrace[]> {
    return this.analytics.listDueTraces(query);
  }

  countFindings(filter: TraceFilter): Promise<FindingCount[]> {
    return this.analytics.countFindings(filter);
  }

  qualityStats(query: QualityQuery): Promise<ServiceQualityStats[]> {
    return this.analytics.qualityStats(query);
  }

  scanSpans(query: SpanScanQuery): AsyncIterable<StoredSpan[]> {
    this.assertOpen();
    return this.rewrite.scan(query);
  }

  /** One transaction over spans and trace_parts (span-rewrite.ts), queued behind span writes. */
  updateSpanSemantics(spans: readonly StoredSpan[], normalizerVersion: number): Promise<SpanSemanticsUpdateResult> {
    if (this.closed) return Promise.reject(new StoreError('store_unavailable', 'the store is closed'));
    const result = this.writeChain.then(() => this.rewrite.update(spans, normalizerVersion));
    this.writeChain = result.catch(() => undefined);
    return result;
  }

  /** Stores the agent of unresolved model calls (call-agents.ts) on the writer, queued behind span writes. */
  resolveCallAgents(request: CallAgentResolveRequest): Promise<number> {
    return this.inWriteTurn((run) => resolveCallAgents(run, request));
  }

  /** Marks these traces' model calls unresolved again (call-agents.ts), queued behind span writes. */
  resetCallAgents(projectId: string, traceIds: readonly string[]): Promise<void> {
    return this.inWriteTurn((run) => resetCallAgents(run, projectId, traceIds));
  }

  /** `work` on the writer connection, in turn after the writes queued before it. */
  private inWriteTurn<T>(work: (run: (sql: string, params: SqlParams) => Promise<Row[]>) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreError('store_unavailable', 'the store is closed'));
    const run = (sql: string, params: SqlParams) => this.parts.worker.request<Row[]>({ op: 'query', sql, params: params.specs, writer: true });
    const result = this.writeChain.then(() => work(run));
    this.writeChain = result.catch(() => undefined);
    return result;
  }

  /** Deletes expired traces (duckdb-retention.ts) on the writer, queued behind span writes. */
  applyRetention(request: RetentionRequest): Promise<RetentionResult> {
    if (this.closed) return Promise.reject(new StoreError('store_unavailable', 'the store is closed'));
    const run = (sql: string, params?: SqlParams) =>
      this.parts.worker.request<Row[]>({ op: 'query', sql, params: params?.specs ?? [], writer: true });
    const result = this.writeChain.then(() => applyDuckDbRetention(run, request));
    this.writeChain = result.catch(() => undefined);
    return result;
  }

  /** The writer's filter of stored trace ids (diagnostics; the tests of its growth). */
  knownTracesState(): Promise<KnownTracesState> {
    return this.request<KnownTracesState>({ op: 'knownTraces' });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writeChain;
    try {
      // Reads still running (a request whose client went away, say) finish first.
      await this.parts.worker.close();
    } finally {
      this.parts.onClose();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('store_unavailable', 'the store is closed');
  }
}

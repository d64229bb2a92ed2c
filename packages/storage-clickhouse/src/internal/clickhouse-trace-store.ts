// TraceStore over ClickHouse (one server or a sharded cluster). Stateless: everything is in
// ClickHouse; this object holds only connections and the batch being written, so any number of
// Cairn servers can share one database.

import { deriveSpanContent } from '@cairn/semantic';
import type { SessionSummary, SpanEvent, TraceSummary } from '@cairn/model';
import type {
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
  SessionQuery,
  SpanDetail,
  StoredSpan,
  StoreStats,
  TraceDetail,
  GetTraceOptions,
  TraceTreeDetail,
  AttributeCatalog,
  AttributeCatalogQuery,
  LiveSpanQuery,
  SpanScanQuery,
  SpanSemanticsUpdateResult,
  TraceQuery,
  TraceStore,
  WriteBatch,
  WriteResult,
} from '@cairn/storage';
import { StoreError } from '@cairn/storage';
import type { CallAgentResolveRequest, RetentionRequest, RetentionResult } from '@cairn/storage';
import { ClickHouseAnalytics } from './clickhouse-analytics.js';
import { ClickHouseLiveSpans } from './live-spans-sql.js';
import { readTreeSpans } from './trace-tree-read.js';
import { readTraceBounds } from './trace-bounds.js';
import { catalogAttributes } from './attribute-catalog-sql.js';
import { withLiveTreeSpans } from '@cairn/storage/adapter-kit';
import { withLiveSpans } from '@cairn/storage/adapter-kit';
import type { ClickHouseHttp } from './clickhouse-http.js';
import { decodeEvent } from '@cairn/storage/adapter-kit';
import { ClickHouseRetention } from './clickhouse-retention.js';
import { refreshPreviews } from './preview-refresh.js';
import { ClickHouseSpanRewrite } from './span-rewrite.js';
import type { TableNames } from './schema.js';
import type { ServerFeatures } from './server-features.js';
import { decodeSessionRow, SESSION_COLUMNS, sessionAggregateSql, sessionTraceIdsSql } from './session-sql.js';
import { text } from './sql-literal.js';
import { decodeListedSpan, LISTED_SPAN_COLUMNS, rowRecord, withPayload } from './span-row.js';
import type { SpanWriter } from './span-writer.js';
import { listTracesByParts } from './trace-list-read.js';
import { listSessionsByParts } from './session-list-read.js';
import { tracePartsTables } from './trace-parts.js';
import { decodeSummaryRow, SUMMARY_COLUMNS, traceAggregateSql } from './trace-summary-sql.js';

export interface ClickHouseTraceStoreParts {
  description: string;
  database: string;
  /** Where reads and inserts go. */
  entry: ClickHouseHttp;
  /** Every node holding data (the entry alone when not clustered). */
  nodes: ClickHouseHttp[];
  features: ServerFeatures;
  tables: TableNames;
  writer: SpanWriter;
}

type Row = unknown[];

function stableSortByTime(events: SpanEvent[]): SpanEvent[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => (a.event.timeUnixNano < b.event.timeUnixNano ? -1 : a.event.timeUnixNano > b.event.timeUnixNano ? 1 : a.index - b.index))
    .map((entry) => entry.event);
}

function clampLimit(limit: number): number {
  return Math.max(1, Math.min(500, Math.trunc(limit)));
}

export class ClickHouseTraceStore implements TraceStore {
  readonly description: string;
  private writeChain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly analytics: ClickHouseAnalytics;
  private readonly live: ClickHouseLiveSpans;
  private retention: ClickHouseRetention | null = null;
  private readonly rewrite: ClickHouseSpanRewrite;

  constructor(private readonly parts: ClickHouseTraceStoreParts) {
    this.description = parts.description;
    this.rewrite = new ClickHouseSpanRewrite({
      entry: () => {
        if (this.closed) throw new StoreError('store_unavailable', 'the store is closed');
        return parts.entry;
      },
      tables: parts.tables,
    });
    this.analytics = new ClickHouseAnalytics(() => {
      if (this.closed) throw new StoreError('store_unavailable', 'the store is closed');
      return parts.entry;
    }, parts.tables);
    this.live = new ClickHouseLiveSpans(
      () => {
        if (this.closed) throw new StoreError('store_unavailable', 'the store is closed');
        return parts.entry;
      },
      parts.tables,
      // Like span inserts: in a cluster, acknowledged only once the shard has the rows.
      parts.tables.spansLocal !== parts.tables.spans ? { insert_distributed_sync: 1 } : {},
    );
  }

  /** Server version and the optional features switched on for it. */
  get features(): ServerFeatures {
    return this.parts.features;
  }

  write(batch: WriteBatch): Promise<WriteResult> {
    if (this.closed) return Promise.reject(new StoreError('store_unavailable', 'the store is closed'));
    // One batch at a time per store, so the dedupe lookup of a batch sees the previous batch.
    const result = this.writeChain.then(async () => {
      const written = await this.parts.writer.write(batch);
      await this.live.write(batch.liveSpans);
      // The batch is stored already; stale previews only make search miss late messages (getSpan
      // derives them anyway), so a failure here does not fail the write.
      await refreshPreviews(this.rewrite, batch).catch(() => undefined);
      return written;
    });
    this.writeChain = result.catch(() => undefined);
    return result.catch((error: unknown) => {
      throw error instanceof StoreError ? error : new StoreError('store_failed', `writing ${batch.spans.length} spans failed: ${String(error)}`, { cause: error });
    });
  }

  private async query(sql: string): Promise<Row[]> {
    if (this.closed) throw new StoreError('store_unavailable', 'the store is closed');
    return this.parts.entry.query(sql);
  }

  private get spans(): string {
    return this.parts.tables.spans;
  }

  /** Candidates from the trace_parts index, summaries exact from the spans (trace-list-read.ts). */
  listTraces(query: TraceQuery): Promise<Page<TraceSummary>> {
    return listTracesByParts(query, { query: (sql) => this.query(sql), spans: this.spans, parts: this.partsIndex }, clampLimit(query.limit));
  }

  private get partsIndex(): string {
    return tracePartsTables(this.parts.tables).parts;
  }

  /** `bound`: the trace's day partitions (trace-bounds.ts), '' for all. */
  private async traceSummary(projectId: string, traceId: string, bound = ''): Promise<TraceSummary | null> {
    const rows = await this.query(
      `SELECT ${SUMMARY_COLUMNS} FROM (${traceAggregateSql(this.spans, `project_id = ${text(projectId)} AND trace_id = ${text(traceId)}${bound}`)})`,
    );
    return rows[0] ? decodeSummaryRow(rows[0]) : null;
  }

  /** The start_ns condition reading only the trace's day partitions ('' without index rows). */
  private traceBounds(projectId: string, traceId: string): Promise<string> {
    return readTraceBounds((sql) => this.query(sql), this.partsIndex, projectId, traceId);
  }

  getTrace(projectId: string, traceId: string, options?: { view?: 'full' }): Promise<TraceDetail | null>;
  getTrace(projectId: string, traceId: string, options: GetTraceOptions): Promise<TraceTreeDetail | TraceDetail | null>;
  async getTrace(projectId: string, traceId: string, options?: GetTraceOptions): Promise<TraceTreeDetail | TraceDetail | null> {
    if (options?.view === 'tree') return this.getTraceTree(projectId, traceId);
    const live = this.live.ofTrace(projectId, traceId);
    live.catch(() => undefined);
    const bound = await this.traceBounds(projectId, traceId);
    const spansSql = `SELECT ${LISTED_SPAN_COLUMNS.join(', ')} FROM ${this.spans}
       WHERE project_id = ${text(projectId)} AND trace_id = ${text(traceId)}${bound}
       ORDER BY start_ns, span_id, rewritten_ns DESC`;
    // With index rows the trace almost surely exists: summary, spans and detached events at once.
    const early = bound === '' ? null : this.query(spansSql);
    early?.catch(() => undefined);
    const earlyEvents = bound === '' ? undefined : this.detachedEventRows(projectId, traceId);
    earlyEvents?.catch(() => undefined);
    const summary = await this.traceSummary(projectId, traceId, bound);
    if (!summary) return withLiveSpans(null, await live);
    const rows = await (early ?? this.query(spansSql));
    const spans: StoredSpan[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
      const span = decodeListedSpan(rowRecord(LISTED_SPAN_COLUMNS, row));
      // Repeats of a retried span, or rows an update replaced (newest first), that merges have
      // not collapsed yet.
      if (seen.has(span.spanId)) continue;
      seen.add(span.spanId);
      spans.push(span);
    }
    await this.mergeDetachedEvents(projectId, traceId, spans, undefined, earlyEvents);
    return withLiveSpans({ summary, spans }, await live);
  }

  /** The tree view: the tree columns only (trace-tree-read.ts), running spans merged. */
  private async getTraceTree(projectId: string, traceId: string): Promise<TraceTreeDetail | null> {
    const live = this.live.ofTrace(projectId, traceId);
    live.catch(() => undefined);
    const bound = await this.traceBounds(projectId, traceId);
    const read = () => readTreeSpans((sql) => this.query(sql), { spans: this.spans, events: this.parts.tables.events }, projectId, traceId, bound);
    // With index rows the trace almost surely exists: summary and spans at once.
    const early = bound === '' ? null : read();
    early?.catch(() => undefined);
    const summary = await this.traceSummary(projectId, traceId, bound);
    if (!summary) return withLiveTreeSpans(null, [], await live);
    const spans = await (early ?? read());
    return withLiveTreeSpans(summary, spans, await live);
  }

  catalogAttributes(query: AttributeCatalogQuery): Promise<AttributeCatalog> {
    return catalogAttributes((sql) => this.query(sql), this.spans, query);
  }

  async getSpan(projectId: string, traceId: string, spanId: string): Promise<SpanDetail | null> {
    const columns = [...LISTED_SPAN_COLUMNS, 'attributes_full', 'input', 'output'];
    const bound = await this.traceBounds(projectId, traceId);
    const rows = await this.query(
      `SELECT ${columns.join(', ')} FROM ${this.spans}
       WHERE project_id = ${text(projectId)} AND trace_id = ${text(traceId)} AND span_id = ${text(spanId)}${bound}
       ORDER BY rewritten_ns DESC LIMIT 1`,
    );
    const row = rows[0];
    if (!row) return this.live.unfinishedSpan(projectId, traceId, spanId);
    const cells = rowRecord(columns, row);
    const span = decodeListedSpan(cells);
    await this.mergeDetachedEvents(projectId, traceId, [span], spanId);
    const detail = withPayload(span, {
      attributesFull: cells.attributes_full as string,
      input: cells.input as string | null,
      output: cells.output as string | null,
    });
    if (detail.input !== null || detail.output !== null || detail.events.length === 0) return detail;
    // Messages that arrived as OTLP log records (gen_ai.* events) after the span: derive them now.
    const derived = deriveSpanContent(detail);
    return {
      ...detail,
      input: derived.input,
      output: derived.output,
      inputPreview: derived.inputPreview === '' ? detail.inputPreview : derived.inputPreview,
      outputPreview: derived.outputPreview === '' ? detail.outputPreview : derived.outputPreview,
    };
  }

  private detachedEventRows(projectId: string, traceId: string, spanId?: string): Promise<Row[]> {
    const spanFilter = spanId === undefined ? '' : ` AND span_id = ${text(spanId)}`;
    return this.query(
      `SELECT span_id, time_ns, name, any(event) FROM ${this.parts.tables.events}
       WHERE project_id = ${text(projectId)} AND trace_id = ${text(traceId)}${spanFilter}
       GROUP BY span_id, time_ns, name`,
    );
  }

  /** `early`: the detached event rows, when already asked for. */
  private async mergeDetachedEvents(projectId: string, traceId: string, spans: StoredSpan[], spanId?: string, early?: Promise<Row[]>): Promise<void> {
    if (spans.length === 0) return;
    const rows = await (early ?? this.detachedEventRows(projectId, traceId, spanId));
    const bySpan = new Map<string, SpanEvent[]>();
    for (const row of rows) {
      const event = decodeEvent(JSON.parse(row[3] as string) as Parameters<typeof decodeEvent>[0]);
      const list = bySpan.get(row[0] as string);
      if (list) list.push(event);
      else bySpan.set(row[0] as string, [event]);
    }
    for (const span of spans) {
      const extra = bySpan.get(span.spanId);
      if (extra) span.events = stableSortByTime([...span.events, ...extra]);
    }
  }

  /** Sessions ordered through the trace_parts index, totals exact from the spans (session-list-read.ts). */
  listSessions(query: SessionQuery): Promise<Page<SessionSummary>> {
    return listSessionsByParts(query, { query: (sql) => this.query(sql), spans: this.spans, parts: this.partsIndex }, clampLimit(query.limit));
  }


  async getSession(projectId: string, sessionId: string): Promise<{ session: SessionSummary; traces: TraceSummary[] } | null> {
    const session = text(sessionId);
    const sessionRows = await this.query(`SELECT ${SESSION_COLUMNS} FROM (${sessionAggregateSql(this.spans, this.partsIndex, projectId, `SELECT ${session}`)})`);
    const sessionRow = sessionRows[0];
    if (!sessionRow) return null;
    const project = text(projectId);
    const traceRows = await this.query(
      `SELECT ${SUMMARY_COLUMNS} FROM (${traceAggregateSql(
        this.spans,
        `project_id = ${project} AND trace_id GLOBAL IN (${sessionTraceIdsSql(this.partsIndex, projectId, `SELECT ${session}`)})`,
      )}) WHERE t_has_session AND t_session = ${session} ORDER BY t_start, trace_id`,
    );
    return { session: decodeSessionRow(sessionRow), traces: traceRows.map(decodeSummaryRow) };
  }

  listLiveSpans(query: LiveSpanQuery): Promise<StoredSpan[]> {
    return this.live.list(query);
  }

  async stats(): Promise<StoreStats> {
    const rows = await this.query(
      `SELECT count(), uniqExact(project_id, trace_id) FROM (SELECT project_id, trace_id FROM ${this.spans} GROUP BY project_id, trace_id, span_id)`,
    );
    const [spanCount, traceCount] = rows[0] as [string, string];
    let storeBytes = 0;
    for (const node of this.parts.nodes) {
      const [bytes] = await node.query(`SELECT sum(bytes_on_disk) FROM system.parts WHERE database = ${text(this.parts.database)} AND active`);
      storeBytes += Number(bytes?.[0] ?? 0);
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
    if (this.closed) throw new StoreError('store_unavailable', 'the store is closed');
    return this.rewrite.scan(query);
  }

  /** Replacement rows (span-rewrite.ts), queued with the span writes of this store. */
  updateSpanSemantics(spans: readonly StoredSpan[], normalizerVersion: number): Promise<SpanSemanticsUpdateResult> {
    if (this.closed) return Promise.reject(new StoreError('store_unavailable', 'the store is closed'));
    const result = this.writeChain.then(() => this.rewrite.replace(spans, normalizerVersion));
    this.writeChain = result.catch(() => undefined);
    return result;
  }

  /**
   * No attribution cache here: ClickHouse resolves a model call's agent at read time (analytics-sql.ts,
   * all agents of the trace joined, which scales out), and rows are immutable between merges, so
   * storing it would mean a replacement row per model call. Nothing to resolve or reset.
   */
  resolveCallAgents(_request: CallAgentResolveRequest): Promise<number> {
    return Promise.resolve(0);
  }

  resetCallAgents(_projectId: string, _traceIds: readonly string[]): Promise<void> {
    return Promise.resolve();
  }

  /** Drops the partitions of expired traces on every node (clickhouse-retention.ts). */
  applyRetention(request: RetentionRequest): Promise<RetentionResult> {
    if (this.closed) return Promise.reject(new StoreError('store_unavailable', 'the store is closed'));
    this.retention ??= new ClickHouseRetention(this.parts.nodes, this.parts.database, this.parts.tables, this.parts.features);
    return this.retention.apply(request);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writeChain;
    for (const node of new Set([this.parts.entry, ...this.parts.nodes])) node.close();
  }
}

// Live records in DuckDB: snapshots of running spans in a small live_spans table, apart from the
// spans table. Newest snapshot per (project, trace, span) wins at read, and reads drop records
// whose finished span is stored (see @cairn/storage adapter-kit live-trace.ts), so ingest never
// deletes. A cleanup at most once a minute, queued with the writes, drops what reads ignore.
//
//   live_spans  project_id, trace_id, span_id, start_ns, snapshot_ns (the record's end time),
//               received_ns, record (adapter-kit live-span JSON). Added without a schema bump.

import type { SpanRecord } from '@cairn/model';
import type { LiveSpanQuery, StoredSpan } from '@cairn/storage';
import { decodeLiveSpan, encodeLiveSpan, liveSpanKey, unfinishedLiveSpans } from '@cairn/storage/adapter-kit';
import { SqlParams } from './sql-params.js';

export const LIVE_SPANS_SCHEMA_SQL = `CREATE TABLE IF NOT EXISTS live_spans (
    project_id VARCHAR, trace_id VARCHAR, span_id VARCHAR, start_ns BIGINT, snapshot_ns BIGINT,
    received_ns BIGINT, record VARCHAR
  )`;

type Row = unknown[];
type RunSql = (sql: string, params: SqlParams) => Promise<Row[]>;

/** A live record encoded at prepare, like the spans (the records may go then). */
export interface LiveRow {
  projectId: string;
  traceId: string;
  spanId: string;
  startUnixNano: bigint;
  snapshotUnixNano: bigint;
  receivedUnixNano: bigint;
  record: string;
}

export function liveRowsOf(liveSpans: readonly SpanRecord[] | undefined): LiveRow[] {
  return (liveSpans ?? []).map((span) => ({
    projectId: span.projectId,
    traceId: span.traceId,
    spanId: span.spanId,
    startUnixNano: span.startTimeUnixNano,
    snapshotUnixNano: span.endTimeUnixNano,
    receivedUnixNano: span.receivedUnixNano,
    record: encodeLiveSpan(span),
  }));
}

/** Rows per INSERT statement (7 parameters each). */
const INSERT_CHUNK = 200;
const CLEANUP_INTERVAL_MS = 60_000;

export class DuckDbLiveSpans {
  /**
   * False while live_spans is known to be empty (at open, until a write carries live spans): the
   * reads below skip their statement then, e.g. on every trace read's critical path.
   */
  mayHaveRows = true;
  private lastCleanupMs = 0;

  constructor(
    /** A read on the reader pool. */
    private readonly read: RunSql,
    /** A statement on the writer connection, already in order with the span writes. */
    private readonly write: RunSql,
  ) {}

  /** Inserts the live records of written batches (call in the write's turn; autocommit is durable). */
  async writeRows(rows: readonly LiveRow[]): Promise<void> {
    if (rows.length === 0) return;
    this.mayHaveRows = true;
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const params = new SqlParams();
      const values = rows
        .slice(start, start + INSERT_CHUNK)
        .map(
          (row) =>
            `(${params.text(row.projectId)}, ${params.text(row.traceId)}, ${params.text(row.spanId)}, ${params.bigint(row.startUnixNano)}, ` +
            `${params.bigint(row.snapshotUnixNano)}, ${params.bigint(row.receivedUnixNano)}, ${params.text(row.record)})`,
        );
      await this.write(`INSERT INTO live_spans VALUES ${values.join(', ')}`, params);
    }
    if (Date.now() - this.lastCleanupMs >= CLEANUP_INTERVAL_MS) {
      this.lastCleanupMs = Date.now();
      await this.cleanup();
    }
  }

  /** Drops snapshots a newer one replaced and records whose finished span is stored. */
  private async cleanup(): Promise<void> {
    await this.write(
      `DELETE FROM live_spans l WHERE EXISTS (
         SELECT 1 FROM live_spans n WHERE n.project_id = l.project_id AND n.trace_id = l.trace_id
           AND n.span_id = l.span_id AND (n.snapshot_ns > l.snapshot_ns OR (n.snapshot_ns = l.snapshot_ns AND n.received_ns > l.received_ns)))`,
      new SqlParams(),
    );
    const bounds = await this.write(`SELECT min(start_ns), max(start_ns) FROM live_spans`, new SqlParams());
    const [from, to] = (bounds[0] ?? [null, null]) as [bigint | null, bigint | null];
    if (from === null || to === null) return;
    const params = new SqlParams();
    await this.write(
      `DELETE FROM live_spans l WHERE EXISTS (
         SELECT 1 FROM spans s WHERE s.start_ns >= ${params.bigint(from)} AND s.start_ns <= ${params.bigint(to)}
           AND s.project_id = l.project_id AND s.trace_id = l.trace_id AND s.span_id = l.span_id)`,
      params,
    );
  }

  /** Every live record of a trace (getTrace filters out the finished ones). */
  async ofTrace(projectId: string, traceId: string): Promise<StoredSpan[]> {
    if (!this.mayHaveRows) return [];
    return (await this.records(projectId, traceId)).map(withoutPayload);
  }

  /** ofTrace of several traces in one statement, by trace id (traces without records left out). */
  async ofTraces(projectId: string, traceIds: readonly string[]): Promise<Map<string, StoredSpan[]>> {
    const byTrace = new Map<string, StoredSpan[]>();
    if (!this.mayHaveRows || traceIds.length === 0) return byTrace;
    const params = new SqlParams();
    const rows = await this.read(
      `SELECT record FROM live_spans WHERE project_id = ${params.text(projectId)} AND trace_id IN (SELECT unnest(${params.textList([...traceIds])}))`,
      params,
    );
    for (const record of decodeRows(rows)) {
      const spans = byTrace.get(record.traceId);
      if (spans) spans.push(withoutPayload(record));
      else byTrace.set(record.traceId, [withoutPayload(record)]);
    }
    return byTrace;
  }

  private async records(projectId: string, traceId: string, spanId?: string): Promise<SpanRecord[]> {
    const params = new SqlParams();
    const spanFilter = spanId === undefined ? '' : ` AND span_id = ${params.text(spanId)}`;
    const rows = await this.read(
      `SELECT record FROM live_spans WHERE project_id = ${params.text(projectId)} AND trace_id = ${params.text(traceId)}${spanFilter}`,
      params,
    );
    return decodeRows(rows);
  }

  /** The newest live record of a span whose finished span is not stored, or null. */
  async unfinishedSpan(projectId: string, traceId: string, spanId: string): Promise<SpanRecord | null> {
    if (!this.mayHaveRows) return null;
    const [running] = await this.withoutFinished(projectId, await this.records(projectId, traceId, spanId));
    return running ?? null;
  }

  async list(query: LiveSpanQuery): Promise<StoredSpan[]> {
    if (!this.mayHaveRows) return [];
    const params = new SqlParams();
    const rows = await this.read(
      `SELECT record FROM live_spans
       WHERE project_id = ${params.text(query.projectId)} AND start_ns >= ${params.bigint(query.fromUnixNano)} AND start_ns < ${params.bigint(query.toUnixNano)}
       QUALIFY row_number() OVER (PARTITION BY trace_id, span_id ORDER BY snapshot_ns DESC, received_ns DESC) = 1`,
      params,
    );
    const running = await this.withoutFinished(query.projectId, decodeRows(rows));
    running.sort((a, b) => (a.startTimeUnixNano === b.startTimeUnixNano ? (a.spanId < b.spanId ? -1 : 1) : a.startTimeUnixNano > b.startTimeUnixNano ? -1 : 1));
    return running.slice(0, Math.max(1, Math.min(500, Math.trunc(query.limit)))).map(withoutPayload);
  }

  /**
   * The records whose finished span is not stored. A finished span starts when its live record
   * does, so the lookup reads only the spans table's row groups in the records' start range.
   */
  private async withoutFinished(projectId: string, records: SpanRecord[]): Promise<SpanRecord[]> {
    if (records.length === 0) return [];
    let from = records[0]!.startTimeUnixNano;
    let to = from;
    for (const record of records) {
      if (record.startTimeUnixNano < from) from = record.startTimeUnixNano;
      if (record.startTimeUnixNano > to) to = record.startTimeUnixNano;
    }
    const params = new SqlParams();
    const finished = await this.read(
      `SELECT trace_id, span_id FROM spans
       WHERE start_ns >= ${params.bigint(from)} AND start_ns <= ${params.bigint(to)} AND project_id = ${params.text(projectId)}
         AND trace_id IN (SELECT unnest(${params.textList([...new Set(records.map((record) => record.traceId))])}))
         AND span_id IN (SELECT unnest(${params.textList(records.map((record) => record.spanId))}))`,
      params,
    );
    return unfinishedLiveSpans(records, new Set(finished.map((row) => liveSpanKey(projectId, row[0] as string, row[1] as string))));
  }
}

function decodeRows(rows: Row[]): SpanRecord[] {
  const records: SpanRecord[] = [];
  for (const row of rows) {
    const record = decodeLiveSpan(row[0] as string);
    if (record !== null) records.push(record);
  }
  return records;
}

function withoutPayload(record: SpanRecord): StoredSpan {
  const { input: _input, output: _output, ...stored } = record;
  return stored;
}

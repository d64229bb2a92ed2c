// Live records in ClickHouse: snapshots of running spans in their own live_spans table, keyed
// like spans. ReplacingMergeTree(snapshot_ns) collapses a span's snapshots to the newest in
// background merges; reads keep the newest themselves until then and drop records whose finished
// span is stored (adapter-kit live-trace.ts), so nothing is ever deleted (18.16 has no
// ALTER DELETE). The table is created at open with IF NOT EXISTS, beside the versioned
// migrations, and is sharded like spans (cityHash64(trace_id)) in a cluster.

import type { SpanRecord } from '@cairn/model';
import type { LiveSpanQuery, StoredSpan } from '@cairn/storage';
import { decodeLiveSpan, encodeLiveSpan, liveSpanKey, unfinishedLiveSpans } from '@cairn/storage/adapter-kit';
import type { ClickHouseHttp, Settings } from './clickhouse-http.js';
import { RowBinaryWriter } from './row-binary.js';
import type { ClusterDdl, TableNames } from './schema.js';
import { replicationOf } from './schema.js';
import { tableEngine } from './table-engine.js';
import { text, textList, uint64 } from './sql-literal.js';

const LIVE_COLUMNS = ['project_id', 'trace_id', 'span_id', 'start_ns', 'snapshot_ns', 'received_ns', 'record'];
/** Id lists are inlined into SQL; raise ClickHouse's 256 KiB statement limit. */
const LOOKUP_SETTINGS: Settings = { max_query_size: 64 * 1024 * 1024 };

interface LiveTables {
  /** Where reads and inserts go (Distributed in a cluster). */
  live: string;
  liveLocal: string;
}

function liveTables(tables: TableNames): LiveTables {
  const clustered = tables.spansLocal !== tables.spans;
  return { live: 'live_spans', liveLocal: clustered ? 'live_spans_local' : 'live_spans' };
}

/** DDL for one node (18.16-compatible); every statement is idempotent. */
export function liveSpansTableSql(tables: TableNames, cluster: ClusterDdl | null): string[] {
  const { live, liveLocal } = liveTables(tables);
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${liveLocal} (
      project_id String, trace_id String, span_id String, start_ns UInt64, snapshot_ns UInt64, received_ns UInt64, record String
    )
    ENGINE = ${tableEngine('ReplacingMergeTree', liveLocal, replicationOf(cluster), 'snapshot_ns')}
    ORDER BY (project_id, trace_id, span_id)`,
  ];
  if (cluster !== null) {
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${live} AS ${liveLocal}
      ENGINE = Distributed(${cluster.name}, ${cluster.database}, ${liveLocal}, cityHash64(trace_id))`,
    );
  }
  return statements;
}

export class ClickHouseLiveSpans {
  private readonly table: string;

  constructor(
    private readonly entry: () => ClickHouseHttp,
    private readonly tables: TableNames,
    private readonly insertSettings: Settings,
  ) {
    this.table = liveTables(tables).live;
  }

  async write(liveSpans: readonly SpanRecord[] | undefined): Promise<void> {
    if (!liveSpans || liveSpans.length === 0) return;
    const rows = new RowBinaryWriter(1 << 16);
    for (const span of liveSpans) {
      rows.string(span.projectId);
      rows.string(span.traceId);
      rows.string(span.spanId);
      rows.uint64(span.startTimeUnixNano);
      rows.uint64(span.endTimeUnixNano);
      rows.uint64(span.receivedUnixNano);
      rows.string(encodeLiveSpan(span));
    }
    await this.entry().insertRowBinary(this.table, LIVE_COLUMNS, rows.bytes(), this.insertSettings);
  }

  /** Every live record of a trace (getTrace filters out the finished ones). */
  async ofTrace(projectId: string, traceId: string): Promise<StoredSpan[]> {
    return (await this.records(`project_id = ${text(projectId)} AND trace_id = ${text(traceId)}`)).map(withoutPayload);
  }

  /** The newest live record of a span whose finished span is not stored, or null. */
  async unfinishedSpan(projectId: string, traceId: string, spanId: string): Promise<SpanRecord | null> {
    const records = await this.records(`project_id = ${text(projectId)} AND trace_id = ${text(traceId)} AND span_id = ${text(spanId)}`);
    const [running] = await this.withoutFinished(projectId, records);
    return running ?? null;
  }

  async list(query: LiveSpanQuery): Promise<StoredSpan[]> {
    const records = await this.records(
      `project_id = ${text(query.projectId)} AND start_ns >= ${uint64(query.fromUnixNano)} AND start_ns < ${uint64(query.toUnixNano)}`,
    );
    const running = await this.withoutFinished(query.projectId, records);
    running.sort((a, b) => (a.startTimeUnixNano === b.startTimeUnixNano ? (a.spanId < b.spanId ? -1 : 1) : a.startTimeUnixNano > b.startTimeUnixNano ? -1 : 1));
    return running.slice(0, Math.max(1, Math.min(500, Math.trunc(query.limit)))).map(withoutPayload);
  }

  private async records(where: string): Promise<SpanRecord[]> {
    const rows = await this.entry().query(`SELECT record FROM ${this.table} WHERE ${where}`);
    const records: SpanRecord[] = [];
    for (const row of rows) {
      const record = decodeLiveSpan(row[0] as string);
      if (record !== null) records.push(record);
    }
    return records;
  }

  /** The newest record of each span whose finished span is not stored (a primary-key seek on spans). */
  private async withoutFinished(projectId: string, records: SpanRecord[]): Promise<SpanRecord[]> {
    if (records.length === 0) return [];
    const finished = await this.entry().query(
      `SELECT trace_id, span_id FROM ${this.tables.spans}
       WHERE project_id = ${text(projectId)} AND trace_id IN (${textList(new Set(records.map((record) => record.traceId)))})
         AND span_id IN (${textList(new Set(records.map((record) => record.spanId)))})`,
      LOOKUP_SETTINGS,
    );
    return unfinishedLiveSpans(records, new Set(finished.map((row) => liveSpanKey(projectId, row[0] as string, row[1] as string))));
  }
}

function withoutPayload(record: SpanRecord): StoredSpan {
  const { input: _input, output: _output, ...stored } = record;
  return stored;
}

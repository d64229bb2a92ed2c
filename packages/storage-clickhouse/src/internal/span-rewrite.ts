// scanSpans and updateSpanSemantics on ClickHouse (what `cairn prices recompute` and `cairn
// renormalize` run), and the preview refresh for messages that arrive as log records.
//
// Update = insert a replacement row per span: the stored row's raw and payload columns as they
// are, the new semantic columns, rewritten_ns = now. The INSERT is synchronous (in a cluster with
// insert_distributed_sync, to the span's shard), so reads that take the newest row per span
// (latest-row-sql.ts) see the update when it resolves; background merges later keep only that
// row. An ALTER UPDATE mutation was not used: mutations run asynchronously and rewrite whole parts.
//
// Scan = keyset pages on (start_ns, project_id, trace_id, span_id): phase 1 picks the next keys
// whose newest row matches the filters (so a span already rewritten to the current version is
// not found through its older row), phase 2 reads those rows.

import type { SpanEvent } from '@cairn/model';
import { decodeStoredAttributes } from '@cairn/model';
import type { SpanScanQuery, SpanSemanticsUpdateResult, StoredSpan } from '@cairn/storage';
import { decodeEvent, semanticColumnValues, sortEventsByTime } from '@cairn/storage/adapter-kit';
import type { ClickHouseHttp, Settings } from './clickhouse-http.js';
import { latestSql } from './latest-row-sql.js';
import { RowBinaryWriter } from './row-binary.js';
import type { TableNames } from './schema.js';
import { text, textList, uint64 } from './sql-literal.js';
import { decodeListedSpan, rowRecord, SPAN_COLUMN_NAMES, SPAN_COLUMNS } from './span-row.js';
import type { PartSpan } from './trace-parts.js';
import { partSpanOfCells, tracePartsTables, writeTraceParts } from './trace-parts.js';

export interface SpanKey {
  projectId: string;
  traceId: string;
  spanId: string;
}

export interface SpanRewriteParts {
  entry(): ClickHouseHttp;
  tables: TableNames;
}

/** Id lists are inlined into SQL; raise ClickHouse's 256 KiB statement limit for large batches. */
const LOOKUP_SETTINGS: Settings = { max_query_size: 64 * 1024 * 1024 };

export function spanKey(projectId: string, traceId: string, spanId: string): string {
  return `${projectId}\u0000${traceId}\u0000${spanId}`;
}

/** The semantic columns of a replacement row, from the span (SpanRewriteTypes' fields). */
function semanticCells(span: StoredSpan): Record<string, unknown> {
  const cells = semanticColumnValues(span);
  return { ...cells, has_usage: cells.has_usage ? 1 : 0, semantics: cells.semantics ?? '' };
}

/** One JSONCompact cell (64-bit integers as strings) in RowBinary, by the column's baseline type. */
function writeCell(out: RowBinaryWriter, type: string, value: unknown): void {
  switch (type) {
    case 'String':
      return out.string(value as string);
    case 'Nullable(String)':
      return out.nullableString(value as string | null);
    case 'UInt8':
      return out.uint8(Number(value));
    case 'UInt32':
      return out.uint32(Number(value));
    case 'UInt64':
      return out.uint64(BigInt(value as string | number | bigint));
    case 'Float64':
      return out.float64(Number(value));
    case 'Nullable(Float64)':
      return out.nullableFloat64(value === null ? null : Number(value));
    case 'Array(String)':
      return out.stringArray(value as string[]);
    default:
      throw new Error(`no RowBinary writer for column type ${type}`);
  }
}


export class ClickHouseSpanRewrite {
  constructor(private readonly parts: SpanRewriteParts) {}

  private get spans(): string {
    return this.parts.tables.spans;
  }

  async *scan(query: SpanScanQuery): AsyncIterable<StoredSpan[]> {
    const batchSize = Math.max(1, Math.min(10_000, Math.trunc(query.batchSize)));
    const where = [`start_ns >= ${uint64(query.fromUnixNano)}`, `start_ns < ${uint64(query.toUnixNano)}`];
    if (query.projectId !== undefined) where.push(`project_id = ${text(query.projectId)}`);
    const having: string[] = [];
    if (query.spanTypes !== undefined) having.push(query.spanTypes.length === 0 ? '0' : `${latestSql('span_type')} IN (${textList(query.spanTypes)})`);
    if (query.normalizerVersionBelow !== undefined) having.push(`${latestSql('normalizer_version')} < ${Math.max(0, Math.trunc(query.normalizerVersionBelow))}`);
    let after: SpanKey & { start: bigint } | null = null;
    for (;;) {
      const page = [...where];
      if (after !== null) {
        const [start, project, trace, span] = [uint64(after.start), text(after.projectId), text(after.traceId), text(after.spanId)];
        page.push(
          `(start_ns > ${start} OR (start_ns = ${start} AND (project_id > ${project} OR (project_id = ${project}
            AND (trace_id > ${trace} OR (trace_id = ${trace} AND span_id > ${span}))))))`,
        );
      }
      const keys = await this.parts.entry().query(
        `SELECT project_id, trace_id, span_id, any(start_ns) AS k_start FROM ${this.spans}
         WHERE ${page.join(' AND ')}
         GROUP BY project_id, trace_id, span_id ${having.length > 0 ? `HAVING ${having.join(' AND ')}` : ''}
         ORDER BY k_start, project_id, trace_id, span_id LIMIT ${batchSize}`,
      );
      if (keys.length === 0) return;
      const wanted = keys.map((row) => ({ projectId: row[0] as string, traceId: row[1] as string, spanId: row[2] as string }));
      const found = new Map((await this.readByKeys(wanted)).map((span) => [spanKey(span.projectId, span.traceId, span.spanId), span]));
      const spans = wanted.map((key) => found.get(spanKey(key.projectId, key.traceId, key.spanId))).filter((span) => span !== undefined);
      const last = keys[keys.length - 1]!;
      after = { projectId: last[0] as string, traceId: last[1] as string, spanId: last[2] as string, start: BigInt(last[3] as string) };
      if (spans.length > 0) yield spans;
      if (keys.length < batchSize) return;
    }
  }

  /** The newest row of each span found, all columns, as JSONCompact cells by column name. */
  private async newestRows(keys: readonly SpanKey[]): Promise<Map<string, Record<string, unknown>>> {
    const rows = new Map<string, Record<string, unknown>>();
    if (keys.length === 0) return rows;
    const answer = await this.parts.entry().query(
      `SELECT ${SPAN_COLUMN_NAMES.join(', ')} FROM ${this.spans}
       WHERE project_id IN (${textList(new Set(keys.map((key) => key.projectId)))})
         AND trace_id IN (${textList(new Set(keys.map((key) => key.traceId)))})
         AND span_id IN (${textList(new Set(keys.map((key) => key.spanId)))})
       ORDER BY rewritten_ns DESC
       LIMIT 1 BY project_id, trace_id, span_id`,
      LOOKUP_SETTINGS,
    );
    const wanted = new Set(keys.map((key) => spanKey(key.projectId, key.traceId, key.spanId)));
    for (const row of answer) {
      const cells = rowRecord(SPAN_COLUMN_NAMES, row);
      const key = spanKey(cells.project_id as string, cells.trace_id as string, cells.span_id as string);
      if (wanted.has(key)) rows.set(key, cells);
    }
    return rows;
  }

  /** Stored spans by key (those found), with all attributes and their detached events; no input/output. */
  async readByKeys(keys: readonly SpanKey[]): Promise<StoredSpan[]> {
    const rows = await this.newestRows(keys);
    if (rows.size === 0) return [];
    const events = await this.detachedEvents([...new Set([...rows.values()].map((cells) => cells.trace_id as string))]);
    const spans: StoredSpan[] = [];
    for (const [key, cells] of rows) {
      const span = decodeListedSpan(cells);
      if (cells.attributes_full !== '') span.attributes = decodeStoredAttributes(cells.attributes_full as string);
      const extra = events.get(key);
      if (extra) span.events = sortEventsByTime([...span.events, ...extra]);
      spans.push(span);
    }
    return spans;
  }

  /** Detached events of these traces by span key. */
  async detachedEvents(traceIds: readonly string[]): Promise<Map<string, SpanEvent[]>> {
    const bySpan = new Map<string, SpanEvent[]>();
    if (traceIds.length === 0) return bySpan;
    const rows = await this.parts.entry().query(
      `SELECT project_id, trace_id, span_id, time_ns, name, any(event) FROM ${this.parts.tables.events}
       WHERE trace_id IN (${textList(traceIds)})
       GROUP BY project_id, trace_id, span_id, time_ns, name`,
      LOOKUP_SETTINGS,
    );
    for (const row of rows) {
      const key = spanKey(row[0] as string, row[1] as string, row[2] as string);
      const event = decodeEvent(JSON.parse(row[5] as string) as Parameters<typeof decodeEvent>[0]);
      const list = bySpan.get(key);
      if (list) list.push(event);
      else bySpan.set(key, [event]);
    }
    return bySpan;
  }

  /**
   * Inserts a replacement row for each stored span: its semantic columns from `spans`, the rest
   * as stored. normalizerVersion null keeps the stored version (a preview refresh).
   */
  async replace(spans: readonly StoredSpan[], normalizerVersion: number | null): Promise<SpanSemanticsUpdateResult> {
    const unique = new Map<string, StoredSpan>();
    for (const span of spans) unique.set(spanKey(span.projectId, span.traceId, span.spanId), span);
    const stored = await this.newestRows([...unique.values()]);
    if (stored.size === 0) return { updated: 0 };
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const out = new RowBinaryWriter(Math.max(1 << 16, stored.size * 2048));
    const partSpans: PartSpan[] = [];
    for (const [key, cells] of stored) {
      const row = { ...cells, ...semanticCells(unique.get(key)!) };
      if (normalizerVersion !== null) row.normalizer_version = normalizerVersion;
      // Strictly newer than the row it replaces, even when clocks differ between Cairn servers.
      const previous = BigInt(cells.rewritten_ns as string);
      row.rewritten_ns = nowNs > previous ? nowNs : previous + 1n;
      for (const [name, type] of SPAN_COLUMNS) writeCell(out, type, row[name]);
      partSpans.push(partSpanOfCells(row));
    }
    const clustered = this.parts.tables.spans !== this.parts.tables.spansLocal;
    // The new values join the trace's index row (trace-parts.ts) before the rows that carry them.
    await writeTraceParts(this.parts.entry(), tracePartsTables(this.parts.tables).parts, partSpans, clustered ? { insert_distributed_sync: 1 } : {});
    await this.parts.entry().insertRowBinary(this.spans, SPAN_COLUMN_NAMES, out.bytes(), clustered ? { insert_distributed_sync: 1 } : {});
    return { updated: stored.size };
  }
}

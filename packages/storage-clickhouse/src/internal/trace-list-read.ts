// listTraces through the trace_parts index (trace-parts.ts) instead of aggregating every span of
// every trace that has a span in the window (at 5M spans a 7-day list aggregated nearly the whole
// table and ran past the request timeout).
//
//   1. candidates: the index rows of the window's traces, merged per trace (min start, max end,
//      value sets), filtered on what the sets can rule out (a superset of the answer), plus the
//      exact finding / text / attribute conditions; for startTime and duration sorts taken in
//      sort order after the cursor, `batch` at a time
//   2. exact: the summaries of those candidates aggregated from their spans (primary-key seeks,
//      trace-summary-sql.ts) with every filter and the cursor, as before
//   3. next batch until the page is full or no candidate is left
//
// Start and end in the index are exact (replacement rows never move times), so the candidates
// come in the order of the exact sort key and the concatenated batches are the page; every
// listed row is checked against its index times, and a difference (an index row lost, e.g. on
// a server upgraded in a rolling restart) falls back to the full span aggregation for the
// request. Cost and token sorts have no key in the index: their candidates come in exact sort
// order from a per-trace pass over the spans (trace-rank-read.ts), then the same exact batches.

import type { TraceSummary } from '@cairn/model';
import type { Page, TraceFilter, TraceQuery } from '@cairn/storage';
import type { CursorPosition } from '@cairn/storage/adapter-kit';
import { decodeCursor, encodeCursor } from '@cairn/storage/adapter-kit';
import { text, textList, uint64 } from './sql-literal.js';
import { candidateConditions, cursorCondition, cursorKey, SORT_EXPRESSIONS, spanFilters, summaryConditions, traceListSql, traceOrder } from './trace-list-sql.js';
import { positionOf, rankedCandidates } from './trace-rank-read.js';
import { decodeSummaryRow, SUMMARY_COLUMN_COUNT, SUMMARY_COLUMNS, traceAggregateSql } from './trace-summary-sql.js';
import { millisToNanos } from '@cairn/model';

type Row = unknown[];

export interface TraceListSource {
  query(sql: string): Promise<Row[]>;
  spans: string;
  parts: string;
}

const FIRST_BATCH_MIN = 64;
const BATCH_MAX = 4_000;
const FIRST_SLICE_MIN = 8;

/** Index-side sort keys (aliases differ from column names: ClickHouse substitutes aliases). */
const PART_KEYS = { startTime: 'p_start', duration: '(p_end - p_start)' } as const;

/** Per-trace merged index rows of the window's traces, with what they can rule out applied. */
function partCandidatesSql(query: TraceFilter, source: TraceListSource): { sql: string; where: string[] } {
  const project = text(query.projectId);
  const checks: [string | undefined, string][] = [
    [query.service, 'services'],
    [query.spanType, 'types'],
    [query.model, 'models'],
    [query.provider, 'providers'],
    [query.agent, 'agents'],
    [query.tool, 'tools'],
    [query.name, 'root_names'],
    [query.sessionId, 'sessions'],
    [query.userId, 'users'],
  ];
  const columns: string[] = [];
  for (const [value, column] of checks) if (value !== undefined) columns.push(`max(has(${column}, ${text(value)})) AS pf_${columns.length}`);
  if (query.status === 'error') columns.push(`max(has_error) AS pf_${columns.length}`);
  const where = [`p_start >= ${uint64(query.fromUnixNano)}`, `p_start < ${uint64(query.toUnixNano)}`, ...columns.map((_, index) => `pf_${index} = 1`)];
  if (query.minDurationMs !== undefined) where.push(`(p_end - p_start) >= ${uint64(millisToNanos(Math.max(0, query.minDurationMs)))}`);
  // The exact trace-set conditions (finding, text, attributes) keep selective searches from
  // walking every candidate.
  where.push(...candidateConditions(query, source.spans, null));
  const sql = `SELECT trace_id, min(start_ns) AS p_start, max(end_ns) AS p_end${columns.map((column) => `, ${column}`).join('')}
    FROM ${source.parts}
    WHERE project_id = ${project} AND trace_id GLOBAL IN (SELECT trace_id FROM ${source.parts} WHERE project_id = ${project}
      AND start_ns >= ${uint64(query.fromUnixNano)} AND start_ns < ${uint64(query.toUnixNano)})
    GROUP BY trace_id`;
  return { sql, where };
}

/** SELECT trace_id of a superset of the traces `filter` selects, from the index. */
export function candidateTraceIdsSql(filter: TraceFilter, source: TraceListSource): string {
  const { sql, where } = partCandidatesSql(filter, source);
  return `SELECT trace_id FROM (${sql}) WHERE ${where.join(' AND ')}`;
}

/** Exact summaries of `ids` with every filter and the cursor, in sort order, at most `limit`. */
function exactBatchSql(query: TraceQuery, source: TraceListSource, ids: readonly string[], limit: number, position: CursorPosition | null): string {
  const filters = spanFilters(query);
  const where = [...summaryConditions(query), ...filters.conditions];
  if (position !== null) where.push(cursorCondition(position, query));
  const direction = query.sort.descending ? 'DESC' : 'ASC';
  const sortKey = SORT_EXPRESSIONS[query.sort.field];
  const inner = traceAggregateSql(
    source.spans,
    [`project_id = ${text(query.projectId)}`, `trace_id IN (${textList(ids)})`, ...candidateConditions(query, source.spans, null)].join(' AND '),
    filters.columns,
  );
  return `SELECT ${SUMMARY_COLUMNS}, ${sortKey} AS sort_key FROM (${inner})
    WHERE ${where.join(' AND ')}
    ORDER BY sort_key ${direction}, trace_id ${direction}
    LIMIT ${limit}`;
}

function page(query: TraceQuery, rows: Row[], limit: number): Page<TraceSummary> {
  const items = rows.slice(0, limit).map(decodeSummaryRow);
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  const nextCursor = last ? encodeCursor({ order: traceOrder(query), key: cursorKey(query, last[SUMMARY_COLUMN_COUNT]), id: last[0] as string }) : null;
  return { items, nextCursor };
}

/**
 * Cost and token sorts: candidates in exact sort order from the spans (trace-rank-read.ts), a
 * batch at a time, then the exact summaries of each batch with every filter and the cursor.
 */
async function listTracesByRank(query: TraceQuery, source: TraceListSource, limit: number, position: CursorPosition | null): Promise<Page<TraceSummary>> {
  const candidates = candidateTraceIdsSql(query, source);
  const rows: Row[] = [];
  let after = position;
  let batch = Math.max(FIRST_BATCH_MIN, 2 * (limit + 1));
  for (;;) {
    const ranked = await rankedCandidates(query, source, candidates, after, batch);
    if (ranked.length === 0) break;
    // Summaries read whole granules of every listed trace: ask for what the page needs first
    // (without filters every candidate is listed), twice as many each time filters drop some.
    let size = Math.max(limit + 1 - rows.length, FIRST_SLICE_MIN);
    for (let next = 0; next < ranked.length && rows.length <= limit; size *= 2) {
      const slice = ranked.slice(next, next + size);
      next += slice.length;
      rows.push(...(await source.query(exactBatchSql(query, source, slice.map((trace) => trace.id), limit + 1 - rows.length, position))));
    }
    if (rows.length > limit || ranked.length < batch) break;
    after = positionOf(query, ranked[ranked.length - 1]!);
    batch = Math.min(BATCH_MAX, batch * 2);
  }
  return page(query, rows, limit);
}

/** The page of listTraces (limit already clamped to 1..500). */
export async function listTracesByParts(query: TraceQuery, source: TraceListSource, limit: number): Promise<Page<TraceSummary>> {
  const position = query.cursor === undefined ? null : decodeCursor(query.cursor, traceOrder(query));
  const field = query.sort.field;
  if (field !== 'startTime' && field !== 'duration') return listTracesByRank(query, source, limit, position);
  const { sql, where } = partCandidatesSql(query, source);
  const key = PART_KEYS[field];
  const direction = query.sort.descending ? 'DESC' : 'ASC';
  const rows: Row[] = [];
  let after = position;
  let batch = Math.max(FIRST_BATCH_MIN, 2 * (limit + 1));
  for (;;) {
    const conditions = after === null ? where : [...where, cursorCondition(after, query, key)];
    const candidates = await source.query(
      `SELECT trace_id, p_start, p_end, ${key} AS p_key FROM (${sql}) WHERE ${conditions.join(' AND ')}
       ORDER BY p_key ${direction}, trace_id ${direction} LIMIT ${batch}`,
    );
    if (candidates.length === 0) break;
    const times = new Map(candidates.map((row) => [row[0] as string, `${row[1] as string}/${row[2] as string}`]));
    const exact = await source.query(exactBatchSql(query, source, [...times.keys()], limit + 1 - rows.length, position));
    for (const row of exact) {
      if (times.get(row[0] as string) !== `${row[1] as string}/${row[2] as string}`) {
        // The index disagrees with the spans: answer from the spans alone.
        return page(query, await source.query(traceListSql(query, source.spans, limit)), limit);
      }
      rows.push(row);
    }
    if (rows.length > limit || candidates.length < batch) break;
    const last = candidates[candidates.length - 1]!;
    after = { order: traceOrder(query), key: BigInt(last[3] as string), id: last[0] as string };
    batch = Math.min(BATCH_MAX, batch * 2);
  }
  return page(query, rows, limit);
}

// SQL of listTraces. Candidates are traces with a span starting inside the window (partition and
// minmax pruning on start_ns); their summaries are aggregated from all their spans (primary-key
// seeks on trace_id) and filtered on the trace's own start, since a trace with an earlier span
// started before the window. Conditions on individual spans (text, attributes) scan spans from
// the window start on: every span of a trace starts at or after the trace's start.
// GLOBAL IN: in a cluster the candidate set is computed once and shipped to every shard.

import { attributeNeedles } from '@cairn/storage/adapter-kit';
import { millisToNanos } from '@cairn/model';
import type { TraceFilter, TraceQuery, TraceSortField } from '@cairn/storage';
import type { CursorPosition } from '@cairn/storage/adapter-kit';
import { decodeCursor } from '@cairn/storage/adapter-kit';
import { float64, int64, text, uint64 } from './sql-literal.js';
import { SUMMARY_COLUMNS, traceAggregateSql } from './trace-summary-sql.js';

/** Sort keys over a traceAggregateSql relation. */
export const SORT_EXPRESSIONS: Record<TraceSortField, string> = {
  startTime: 't_start',
  duration: '(t_end - t_start)',
  cost: 't_cost_pico',
  tokens: '(t_in + t_out)',
};

/** Literal of a cursor key in the type of the sort expression. */
const SORT_LITERALS: Record<TraceSortField, (key: bigint | number) => string> = {
  startTime: (key) => uint64(BigInt(key)),
  duration: (key) => uint64(BigInt(key)),
  cost: (key) => int64(BigInt(key)),
  tokens: (key) => float64(Number(key)),
};

export function traceOrder(query: TraceQuery): string {
  return `traces:${query.sort.field}:${query.sort.descending ? 'desc' : 'asc'}`;
}

/** Cursor key of a listed row: sort_key arrives as a string for 64-bit integers. */
export function cursorKey(query: TraceQuery, sortKey: unknown): bigint | number {
  return query.sort.field === 'tokens' ? Number(sortKey) : BigInt(sortKey as string);
}

/**
 * Trace-set conditions: the window's candidates (or `candidates`, a SELECT trace_id of a superset
 * of them, or null for none), then the finding, text and attribute conditions.
 */
export function candidateConditions(query: TraceFilter, table: string, candidates?: string | null): string[] {
  const project = text(query.projectId);
  const conditions: string[] = [];
  if (candidates === undefined) {
    conditions.push(`trace_id GLOBAL IN (SELECT trace_id FROM ${table} WHERE project_id = ${project}
      AND start_ns >= ${uint64(query.fromUnixNano)} AND start_ns < ${uint64(query.toUnixNano)})`);
  } else if (candidates !== null) {
    conditions.push(`trace_id GLOBAL IN (${candidates})`);
  }
  if (query.finding !== undefined) {
    // The latest analysis of each trace decides (older rows wait for a background merge).
    conditions.push(
      `trace_id GLOBAL IN (SELECT trace_id FROM ${ANALYSES_TABLE} WHERE project_id = ${project}
        GROUP BY trace_id HAVING has(argMax(kinds, analyzed_ns), ${text(query.finding)}))`,
    );
  }
  const spansFrom = `SELECT trace_id FROM ${table} WHERE project_id = ${project} AND start_ns >= ${uint64(query.fromUnixNano)}`;
  if (query.text !== undefined && query.text !== '') {
    const needle = text(query.text);
    conditions.push(
      `trace_id GLOBAL IN (${spansFrom} AND (positionCaseInsensitiveUTF8(name, ${needle}) > 0
        OR positionCaseInsensitiveUTF8(input_preview, ${needle}) > 0 OR positionCaseInsensitiveUTF8(output_preview, ${needle}) > 0))`,
    );
  }
  const attributes = query.attributes ?? [];
  if (attributes.length > 0) {
    const perAttribute = attributes.map(({ key, value }) => `(${attributeNeedles(key, value).map((needle) => `position(attributes, ${text(needle)}) > 0`).join(' OR ')})`);
    conditions.push(`trace_id GLOBAL IN (${spansFrom} AND ${perAttribute.join(' AND ')})`);
  }
  return conditions;
}

/** "Some span of the trace has …" filters, as extra aggregate columns and their conditions. */
export function spanFilters(query: TraceFilter): { columns: string[]; conditions: string[] } {
  const columns: string[] = [];
  const checks: [string | undefined, string][] = [
    [query.service, 's_service'],
    [query.spanType, 's_type'],
    [query.model, 's_model'],
    [query.provider, 's_provider'],
    [query.agent, 's_agent'],
    [query.tool, 's_tool'],
  ];
  for (const [value, column] of checks) {
    if (value !== undefined) columns.push(`countIf(${column} = ${text(value)}) > 0 AS f_${columns.length}`);
  }
  return { columns, conditions: columns.map((_, index) => `f_${index}`) };
}

export function summaryConditions(query: TraceFilter): string[] {
  const conditions = [`t_start >= ${uint64(query.fromUnixNano)}`, `t_start < ${uint64(query.toUnixNano)}`];
  if (query.name !== undefined) conditions.push(`t_has_root AND t_root_name = ${text(query.name)}`);
  if (query.status === 'error') conditions.push('t_error_count > 0');
  if (query.status === 'ok') conditions.push('t_error_count = 0');
  if (query.sessionId !== undefined) conditions.push(`t_has_session AND t_session = ${text(query.sessionId)}`);
  if (query.userId !== undefined) conditions.push(`t_has_user AND t_user = ${text(query.userId)}`);
  if (query.minDurationMs !== undefined) conditions.push(`(t_end - t_start) >= ${uint64(millisToNanos(Math.max(0, query.minDurationMs)))}`);
  if (query.minCostUsd !== undefined) conditions.push(`t_cost_pico >= ${int64(BigInt(Math.round(query.minCostUsd * 1e12)))}`);
  return conditions;
}

export function cursorCondition(position: CursorPosition, query: TraceQuery, key = SORT_EXPRESSIONS[query.sort.field]): string {
  const operator = query.sort.descending ? '<' : '>';
  const value = SORT_LITERALS[query.sort.field](position.key);
  const id = text(position.id);
  return `(${key} ${operator} ${value} OR (${key} = ${value} AND trace_id ${operator} ${id}))`;
}

/** Table of persisted analyses: the same name single-node and clustered (Distributed). */
export const ANALYSES_TABLE = 'trace_analyses';

/**
 * The listTraces statement; selects SUMMARY_COLUMNS then sort_key, limit + 1 rows. `candidates`
 * replaces the window's candidate set (see candidateConditions).
 */
export function traceListSql(query: TraceQuery, table: string, limit: number, candidates?: string | null): string {
  const filters = spanFilters(query);
  const where = [...summaryConditions(query), ...filters.conditions];
  if (query.cursor !== undefined) where.push(cursorCondition(decodeCursor(query.cursor, traceOrder(query)), query));
  const direction = query.sort.descending ? 'DESC' : 'ASC';
  const inner = traceAggregateSql(table, [`project_id = ${text(query.projectId)}`, ...candidateConditions(query, table, candidates)].join(' AND '), filters.columns);
  return `SELECT ${SUMMARY_COLUMNS}, ${SORT_EXPRESSIONS[query.sort.field]} AS sort_key FROM (${inner})
    WHERE ${where.join(' AND ')}
    ORDER BY sort_key ${direction}, trace_id ${direction}
    LIMIT ${limit + 1}`;
}

/** SELECT trace_id of the traces listTraces would return for `filter` (no paging). */
export function traceIdsSql(filter: TraceFilter, table: string): string {
  const filters = spanFilters(filter);
  const where = [...summaryConditions(filter), ...filters.conditions];
  const inner = traceAggregateSql(table, [`project_id = ${text(filter.projectId)}`, ...candidateConditions(filter, table)].join(' AND '), filters.columns);
  return `SELECT trace_id FROM (${inner}) WHERE ${where.join(' AND ')}`;
}

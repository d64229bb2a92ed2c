// SQL of listTraces. Candidates come from trace_parts rows that started inside the window (small
// table); conditions on individual spans (text, attributes) scan spans from the window start on,
// since every span of a trace starts at or after the trace's start.

import { attributeNeedles } from '@cairn/storage/adapter-kit';
import { millisToNanos } from '@cairn/model';
import type { TraceFilter, TraceQuery, TraceSortField } from '@cairn/storage';
import type { CursorPosition } from '@cairn/storage/adapter-kit';
import { decodeCursor } from '@cairn/storage/adapter-kit';
import type { SqlParams } from './sql-params.js';
import { SUMMARY_COLUMNS, traceAggregateSql } from './trace-summary-sql.js';

const SORT_EXPRESSIONS: Record<TraceSortField, string> = {
  startTime: 'start_ns',
  duration: '(end_ns - start_ns)',
  cost: 'cost_usd',
  tokens: '(input_tokens + output_tokens)',
};

export function traceOrder(query: TraceQuery): string {
  return `traces:${query.sort.field}:${query.sort.descending ? 'desc' : 'asc'}`;
}

function spanConditions(query: TraceFilter, params: SqlParams): string[] {
  const conditions: string[] = [];
  if (query.finding !== undefined) {
    conditions.push(
      `trace_id IN (SELECT trace_id FROM trace_analyses WHERE project_id = ${params.text(query.projectId)} AND list_contains(kinds, ${params.text(query.finding)}))`,
    );
  }
  // Built on use: DuckDB rejects a statement with a bound parameter it does not reference.
  const spansFrom = () =>
    `SELECT trace_id FROM spans WHERE project_id = ${params.text(query.projectId)} AND start_ns >= ${params.bigint(query.fromUnixNano)}`;
  if (query.text !== undefined && query.text !== '') {
    const text = params.text(query.text.toLowerCase());
    conditions.push(
      `trace_id IN (${spansFrom()} AND (contains(lower(name), ${text}) OR contains(lower(input_preview), ${text}) OR contains(lower(output_preview), ${text})))`,
    );
  }
  const attributes = query.attributes ?? [];
  if (attributes.length > 0) {
    const perAttribute = attributes.map(({ key, value }) => {
      const needles = attributeNeedles(key, value).map((needle) => `contains(attributes, ${params.text(needle)})`);
      return `(${needles.join(' OR ')})`;
    });
    conditions.push(`trace_id IN (${spansFrom()} AND ${perAttribute.join(' AND ')})`);
  }
  return conditions;
}

function summaryConditions(query: TraceFilter, params: SqlParams): string[] {
  const conditions = [`start_ns >= ${params.bigint(query.fromUnixNano)}`, `start_ns < ${params.bigint(query.toUnixNano)}`];
  const listFilters: [string | undefined, string][] = [
    [query.service, 'services'],
    [query.spanType, 'span_types'],
    [query.model, 'models'],
    [query.provider, 'providers'],
    [query.agent, 'agents'],
    [query.tool, 'tools'],
  ];
  for (const [value, column] of listFilters) {
    if (value !== undefined) conditions.push(`list_contains(${column}, ${params.text(value)})`);
  }
  if (query.name !== undefined) conditions.push(`has_root AND root_name = ${params.text(query.name)}`);
  if (query.status === 'error') conditions.push('error_count > 0');
  if (query.status === 'ok') conditions.push('error_count = 0');
  if (query.sessionId !== undefined) conditions.push(`session_id = ${params.text(query.sessionId)}`);
  if (query.userId !== undefined) conditions.push(`user_id = ${params.text(query.userId)}`);
  if (query.minDurationMs !== undefined) {
    conditions.push(`(end_ns - start_ns) >= ${params.bigint(millisToNanos(query.minDurationMs))}`);
  }
  if (query.minCostUsd !== undefined) conditions.push(`cost_usd >= ${params.double(query.minCostUsd)}`);
  return conditions;
}

function cursorCondition(position: CursorPosition, query: TraceQuery, params: SqlParams): string {
  const key = SORT_EXPRESSIONS[query.sort.field];
  const operator = query.sort.descending ? '<' : '>';
  const value = typeof position.key === 'bigint' ? params.bigint(position.key) : params.double(position.key);
  const id = params.text(position.id);
  return `(${key} ${operator} ${value} OR (${key} = ${value} AND trace_id ${operator} ${id}))`;
}

/** The aggregated traces that may match `filter`, and the conditions a summary must meet. */
function matchingTraces(filter: TraceFilter, params: SqlParams): { traces: string; where: string[] } {
  const project = params.text(filter.projectId);
  const candidates = [
    `project_id = ${project}`,
    `min_start_ns >= ${params.bigint(filter.fromUnixNano)}`,
    `min_start_ns < ${params.bigint(filter.toUnixNano)}`,
    ...spanConditions(filter, params),
  ];
  const traces = traceAggregateSql(
    `project_id = ${project} AND trace_id IN (SELECT trace_id FROM trace_parts WHERE ${candidates.join(' AND ')})`,
  );
  return { traces, where: summaryConditions(filter, params) };
}

/** The listTraces statement; selects SUMMARY_COLUMNS then sort_key, limit + 1 rows. */
export function traceListSql(query: TraceQuery, params: SqlParams): string {
  const { traces, where } = matchingTraces(query, params);
  if (query.cursor !== undefined) where.push(cursorCondition(decodeCursor(query.cursor, traceOrder(query)), query, params));
  const direction = query.sort.descending ? 'DESC' : 'ASC';
  const key = SORT_EXPRESSIONS[query.sort.field];
  const limit = Math.max(1, Math.min(500, Math.trunc(query.limit)));
  return `WITH traces AS (${traces})
    SELECT ${SUMMARY_COLUMNS}, ${key} AS sort_key FROM traces
    WHERE ${where.join(' AND ')}
    ORDER BY sort_key ${direction}, trace_id ${direction}
    LIMIT ${limit + 1}`;
}

/** SELECT trace_id of the traces listTraces would return for `filter` (no paging). */
export function traceIdsSql(filter: TraceFilter, params: SqlParams): string {
  const { traces, where } = matchingTraces(filter, params);
  return `SELECT trace_id FROM (${traces}) WHERE ${where.join(' AND ')}`;
}

// SQL of the analytics reads on ClickHouse (18.16 baseline: no CTEs, no window functions, no
// JSON functions beyond visitParam*). Every statement reads spans deduplicated first, like the
// trace summaries (trace-summary-sql.ts): one row per (trace_id, span_id) with the values of its
// newest row (a retried span has identical rows; a rewritten one a newer replacement row, see
// latest-row-sql.ts), so dashboards see a recompute at once, not after the next merge.
//
// aggregateMetrics builds fact rows and groups them once (see @cairn/storage MetricsQuery):
// `counted` facts make calls, errors and latency; `model_call` facts make tokens and cost.
// Under agent a model call counts for its own agent name, else its parent when that is an agent
// span, else the innermost agent span enclosing its start (all agents of the trace are joined:
// fine for ClickHouse's scale-out, see duckdb-analytics for the single-node variant).

import type { MetricsGroupBy, MetricsQuery, MetricsRow } from '@cairn/storage';
import { hasTraceFilter, PROMPT_VERSION_ATTRIBUTES } from '@cairn/storage';
import { latestNullableSql, latestSql } from './latest-row-sql.js';
import { text, uint64 } from './sql-literal.js';
import { traceIdsSql } from './trace-list-sql.js';

const MODEL_CALL = `s_type IN ('llm', 'embedding')`;

/** The prompt version from the stored attributes JSON (strings, or ints stored as {"$int": "…"}). */
export function promptVersionSql(column: string): string {
  const reads = PROMPT_VERSION_ATTRIBUTES.flatMap((key) => [
    `nullIf(visitParamExtractString(${column}, ${text(key)}), '')`,
    `nullIf(visitParamExtractString(visitParamExtractRaw(${column}, ${text(key)}), '$int'), '')`,
  ]);
  return `coalesce(${reads.join(', ')})`;
}

/** One row per distinct span matching `where`: trace_id, span_id and each expression of its newest row. */
export function spansOnceSql(table: string, where: string, columns: readonly (readonly [expression: string, alias: string])[]): string {
  const latest = (expression: string) => (/^[a-z_]+$/.test(expression) ? latestSql(expression) : latestNullableSql(expression));
  const selected = columns.map(([expression, alias]) => `${latest(expression)} AS ${alias}`).join(', ');
  return `SELECT trace_id, span_id, ${selected} FROM ${table} WHERE ${where} GROUP BY trace_id, span_id`;
}

const METRIC_COLUMNS = [
  ['start_ns', 's_start'],
  ['end_ns', 's_end'],
  ['status_code', 's_status'],
  ['span_type', 's_type'],
  ['input_tokens', 's_in'],
  ['output_tokens', 's_out'],
  ['cost_usd', 's_cost'],
] as const;

const KEY_COLUMNS: Record<Exclude<MetricsGroupBy, 'agent' | 'user'>, readonly [string, string]> = {
  model: ['coalesce(model, request_model)', 's_key'],
  provider: ['provider', 's_key'],
  tool: ['tool_name', 's_key'],
  promptVersion: [promptVersionSql('attributes'), 's_key'],
  service: ['toNullable(service_name)', 's_key'],
};

export function metricsSql(query: MetricsQuery, table: string): string {
  const where = [`project_id = ${text(query.projectId)}`, `start_ns >= ${uint64(query.fromUnixNano)}`, `start_ns < ${uint64(query.toUnixNano)}`];
  if (hasTraceFilter(query)) where.push(`trace_id GLOBAL IN (${traceIdsSql(query, table)})`);
  const bucket = query.bucketNanos === undefined ? 'toUInt64(0)' : `intDiv(s_start, ${uint64(query.bucketNanos)}) * ${uint64(query.bucketNanos)}`;
  const columns = `${bucket} AS bucket, s_status, (s_end - s_start) / 1e6 AS duration_ms, s_in, s_out, s_cost`;
  const baseWith = (extra: readonly (readonly [string, string])[]) => spansOnceSql(table, where.join(' AND '), [...METRIC_COLUMNS, ...extra]);
  let facts: string;
  if (query.groupBy === 'agent') {
    const base = baseWith([
      ['agent_name', 's_agent'],
      ['parent_span_id', 's_parent'],
    ]);
    // The parent when it is an agent span, else the innermost agent enclosing the call in time.
    // c_parent != '': a root call has parent '', as has an unmatched LEFT JOIN row (no agents).
    const parent = "c_parent != '' AND a_span = c_parent";
    const inside = 'a_start <= c_start AND c_start < a_end';
    const calls = `SELECT trace_id, span_id,
        if(countIf(${parent}) > 0, anyIf(ifNull(a_agent, ''), ${parent}), if(countIf(${inside}) > 0, argMaxIf(ifNull(a_agent, ''), a_start, ${inside}), NULL)) AS enclosing
      FROM (SELECT trace_id, span_id, s_parent AS c_parent, s_start AS c_start FROM (${base}) WHERE ${MODEL_CALL})
      ALL LEFT JOIN (SELECT trace_id, span_id AS a_span, s_agent AS a_agent, s_start AS a_start, s_end AS a_end FROM (${base}) WHERE s_type = 'agent') USING trace_id
      GROUP BY trace_id, span_id`;
    facts = `SELECT s_agent AS key, toUInt8(1) AS counted, toUInt8(0) AS model_call, ${columns} FROM (${base}) WHERE s_type = 'agent'
      UNION ALL
      SELECT coalesce(s_agent, enclosing) AS key, toUInt8(0) AS counted, toUInt8(1) AS model_call, ${columns}
      FROM (${base}) ALL INNER JOIN (${calls}) USING (trace_id, span_id) WHERE ${MODEL_CALL}`;
  } else if (query.groupBy === 'user') {
    const base = baseWith([['user_id', 's_user']]);
    facts = `SELECT if(has_user, trace_user, NULL) AS key, toUInt8(1) AS counted, toUInt8(1) AS model_call, ${columns}
      FROM (${base}) ALL LEFT JOIN (
        SELECT trace_id, countIf(isNotNull(s_user)) > 0 AS has_user, argMinIf(ifNull(s_user, ''), s_start, isNotNull(s_user)) AS trace_user
        FROM (${base}) GROUP BY trace_id
      ) USING trace_id WHERE ${MODEL_CALL}`;
  } else {
    const base = baseWith([KEY_COLUMNS[query.groupBy]]);
    const subject = query.groupBy === 'tool' ? `s_type = 'tool'` : MODEL_CALL;
    facts = `SELECT s_key AS key, toUInt8(1) AS counted, ${MODEL_CALL} AS model_call, ${columns} FROM (${base}) WHERE ${subject}`;
  }
  return `SELECT key, bucket, countIf(counted) AS calls, countIf(counted AND s_status = 2) AS errors,
      sumIf(s_in, model_call) AS input_tokens, sumIf(s_out, model_call) AS output_tokens,
      round(sumIf(ifNull(s_cost, 0), model_call), 12) AS cost_usd,
      quantilesIf(0.5, 0.95, 0.99)(duration_ms, counted) AS percentiles
    FROM (${facts})
    GROUP BY key, bucket
    ORDER BY bucket, isNull(key), key`;
}

function percentile(values: unknown, index: number, calls: number): number | null {
  if (calls === 0 || !Array.isArray(values)) return null;
  const value = values[index] as unknown;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function decodeMetricsRow(row: readonly unknown[], bucketed: boolean): MetricsRow {
  const calls = Number(row[2]);
  return {
    key: row[0] as string | null,
    bucketUnixNano: bucketed ? BigInt(row[1] as string) : null,
    calls,
    errors: Number(row[3]),
    inputTokens: Number(row[4]),
    outputTokens: Number(row[5]),
    costUsd: Number(row[6]),
    p50Ms: percentile(row[7], 0, calls),
    p95Ms: percentile(row[7], 1, calls),
    p99Ms: percentile(row[7], 2, calls),
  };
}

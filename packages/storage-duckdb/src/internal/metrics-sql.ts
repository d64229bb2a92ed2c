// SQL of aggregateMetrics: one fact row per counted span, then one GROUP BY (key, bucket).
//
//   spans in window ──(trace filter)──▶ facts(key, bucket, counted, model_call, …) ──▶ rows
//
// `counted` facts make calls, errors and latency; `model_call` facts make tokens and cost. For
// every dimension but agent they are the same spans. For agent, agent spans are counted and each
// model call adds its tokens to one agent: its own agent name, else its parent when that is an
// agent span, else the innermost agent span enclosing it in time — so summed tokens equal the
// sum over single model calls.

import type { DuckDBListValue } from '@duckdb/node-api';
import type { MetricsGroupBy, MetricsQuery, MetricsRow } from '@cairn/storage';
import { hasTraceFilter, PROMPT_VERSION_ATTRIBUTES } from '@cairn/storage';
import type { SqlParams } from './sql-params.js';
import { traceIdsSql } from './trace-list-sql.js';

const MODEL_CALL = `span_type IN ('llm', 'embedding')`;

/** The prompt version from the stored attributes JSON (ints are stored as {"$int": "…"}). */
export function promptVersionSql(params: SqlParams): string {
  const reads = PROMPT_VERSION_ATTRIBUTES.flatMap((key) => {
    const path = `$.${JSON.stringify(key)}`;
    return [`json_extract_string(attributes, ${params.text(`${path}."$int"`)})`, `json_extract_string(attributes, ${params.text(path)})`];
  });
  return `coalesce(${reads.join(', ')})`;
}

function keyExpression(groupBy: Exclude<MetricsGroupBy, 'agent'>, params: SqlParams): string {
  switch (groupBy) {
    case 'model':
      return 'coalesce(model, request_model)';
    case 'provider':
      return 'provider';
    case 'tool':
      return 'tool_name';
    case 'promptVersion':
      return promptVersionSql(params);
    case 'service':
      return 'service_name';
    case 'user':
      return 'trace_user';
  }
}

/** The statement; columns: key, bucket, calls, errors, input, output, cost, [p50, p95, p99]. */
export function metricsSql(query: MetricsQuery, params: SqlParams): string {
  const project = params.text(query.projectId);
  const where = [`project_id = ${project}`, `start_ns >= ${params.bigint(query.fromUnixNano)}`, `start_ns < ${params.bigint(query.toUnixNano)}`];
  if (hasTraceFilter(query)) where.push(`trace_id IN (${traceIdsSql(query, params)})`);
  const bucket = query.bucketNanos === undefined ? 'NULL::BIGINT' : `(start_ns - start_ns % ${params.bigint(query.bucketNanos)})`;
  const duration = '(end_ns - start_ns) / 1e6';
  const columns = `${bucket} AS bucket, status_code, ${duration} AS duration_ms, input_tokens, output_tokens, cost_usd`;
  let base = `SELECT * FROM spans WHERE ${where.join(' AND ')}`;
  if (query.groupBy === 'user') {
    // The trace's user: the earliest span that named one (as the trace summary does).
    base = `SELECT s.*, u.trace_user FROM (${base}) s LEFT JOIN (
        SELECT trace_id, arg_min(user_id, user_start_ns) FILTER (WHERE user_id IS NOT NULL) AS trace_user
        FROM trace_parts WHERE project_id = ${project} GROUP BY trace_id
      ) u USING (trace_id)`;
  }
  let facts: string;
  if (query.groupBy === 'agent') {
    // Model calls are first summed per (trace, parent span, own agent, bucket): a call counts for
    // its own agent name when it carries one, else for its parent when that is an agent span (one
    // hash join on the much smaller grouped relation), else for the innermost agent span that
    // encloses the group's first call in time (a range join over the few groups left).
    facts = `WITH base AS (${base}),
      agents AS (SELECT trace_id, span_id, agent_name, start_ns, end_ns FROM base WHERE span_type = 'agent'),
      grouped AS (
        SELECT trace_id, parent_span_id, agent_name AS own_agent, ${bucket} AS bucket, min(start_ns) AS first_start,
          sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd
        FROM base WHERE ${MODEL_CALL} GROUP BY ALL
      ),
      by_parent AS (
        SELECT g.*, a.agent_name AS parent_agent, a.span_id IS NULL AND g.own_agent IS NULL AS unresolved, row_number() OVER () AS group_id
        FROM grouped g LEFT JOIN agents a ON a.trace_id = g.trace_id AND a.span_id = g.parent_span_id
      ),
      by_time AS (
        SELECT p.group_id, arg_max(a.agent_name, a.start_ns) AS enclosing_agent
        FROM by_parent p JOIN agents a ON a.trace_id = p.trace_id AND a.start_ns <= p.first_start AND p.first_start < a.end_ns
        WHERE p.unresolved GROUP BY p.group_id
      )
      SELECT agent_name AS key, true AS counted, false AS model_call, ${columns} FROM base WHERE span_type = 'agent'
      UNION ALL
      SELECT coalesce(p.own_agent, p.parent_agent, t.enclosing_agent) AS key, false AS counted, true AS model_call, p.bucket,
        NULL::UTINYINT AS status_code, NULL::DOUBLE AS duration_ms, p.input_tokens, p.output_tokens, p.cost_usd
      FROM by_parent p LEFT JOIN by_time t USING (group_id)`;
  } else {
    const subject = query.groupBy === 'tool' ? `span_type = 'tool'` : MODEL_CALL;
    facts = `SELECT ${keyExpression(query.groupBy, params)} AS key, true AS counted, ${MODEL_CALL} AS model_call, ${columns}
      FROM (${base}) WHERE ${subject}`;
  }
  return `SELECT key, bucket,
      count(*) FILTER (WHERE counted) AS calls,
      count(*) FILTER (WHERE counted AND status_code = 2) AS errors,
      coalesce(sum(input_tokens) FILTER (WHERE model_call), 0) AS input_tokens,
      coalesce(sum(output_tokens) FILTER (WHERE model_call), 0) AS output_tokens,
      round(coalesce(sum(cost_usd) FILTER (WHERE model_call), 0), 12) AS cost_usd,
      quantile_cont(duration_ms, [0.5, 0.95, 0.99]) FILTER (WHERE counted) AS percentiles
    FROM (${facts}) facts
    GROUP BY key, bucket
    ORDER BY bucket NULLS FIRST, key NULLS LAST`;
}

export function decodeMetricsRow(row: readonly unknown[]): MetricsRow {
  const percentiles = row[7] === null ? [] : ((row[7] as DuckDBListValue).items as number[]);
  return {
    key: row[0] as string | null,
    bucketUnixNano: row[1] as bigint | null,
    calls: Number(row[2]),
    errors: Number(row[3]),
    inputTokens: row[4] as number,
    outputTokens: row[5] as number,
    costUsd: row[6] as number,
    p50Ms: percentiles[0] ?? null,
    p95Ms: percentiles[1] ?? null,
    p99Ms: percentiles[2] ?? null,
  };
}

// SQL of aggregateMetrics: one fact row per counted span, then one GROUP BY (key, bucket).
//
//   spans in window ──(trace filter)──▶ facts(key, bucket, counted, model_call, …) ──▶ rows
//
// `counted` facts make calls, errors and latency; `model_call` facts make tokens and cost. For
// every dimension but agent they are the same spans. For agent, agent spans are counted and each
// model call adds its tokens to one agent: its own agent name, else its parent when that is an
// agent span, else the innermost agent span enclosing it in time — so summed tokens equal the
// sum over single model calls.
// Under agent the attribution is mostly read from spans.call_agent (resolved in the background once
// a trace is quiet, call-agents.ts); only calls not resolved yet are joined with agent spans here.
//
// Every read names its columns: a scan of spans reads only those, and what is carried between
// steps stays narrow (at 5M spans, wide intermediate rows spill past the store's memory limit).

import type { DuckDBListValue } from '@duckdb/node-api';
import type { MetricsGroupBy, MetricsQuery, MetricsRow } from '@cairn/storage';
import { hasTraceFilter, PROMPT_VERSION_ATTRIBUTES } from '@cairn/storage';
import type { SqlParams } from './sql-params.js';
import { traceIdsSql } from './trace-list-sql.js';

const MODEL_CALL = `span_type IN ('llm', 'embedding')`;

/** The longest text every one of `texts` ends with. */
function sharedSuffix(texts: readonly string[]): string {
  let suffix = texts[0] ?? '';
  for (const text of texts) while (!text.endsWith(suffix)) suffix = suffix.slice(1);
  return suffix;
}

/**
 * The prompt version from the stored attributes JSON (ints are stored as {"$int": "…"}), first
 * match wins. Parsing ~1.5 KB of attributes per model call is what costs, and most spans carry
 * no prompt version: the JSON is parsed only when its text holds what every key's JSON string
 * ends with (`version"`; a cheap substring search), and then once for all paths.
 */
export function promptVersionSql(params: SqlParams): string {
  const paths = PROMPT_VERSION_ATTRIBUTES.flatMap((key) => {
    const path = `$.${JSON.stringify(key)}`;
    return [params.text(`${path}."$int"`), params.text(path)];
  });
  // Keys are stored as their JSON strings, so a stored key's text ends with this suffix.
  const suffix = sharedSuffix(PROMPT_VERSION_ATTRIBUTES.map((key) => JSON.stringify(key)));
  const mayHoldKey = suffix.length >= 4
    ? `contains(attributes, ${params.text(suffix)})`
    : PROMPT_VERSION_ATTRIBUTES.map((key) => `contains(attributes, ${params.text(JSON.stringify(key))})`).join(' OR ');
  return `CASE WHEN ${mayHoldKey} THEN list_filter(json_extract_string(attributes, [${paths.join(', ')}]), value -> value IS NOT NULL)[1] END`;
}

function keyExpression(groupBy: Exclude<MetricsGroupBy, 'agent' | 'user'>, params: SqlParams): string {
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
  }
}

/** Spans starting in the window (and of the filtered traces), as SQL conditions on `spans`. */
function windowSql(query: MetricsQuery, params: SqlParams): string {
  const where = [`project_id = ${params.text(query.projectId)}`, `start_ns >= ${params.bigint(query.fromUnixNano)}`, `start_ns < ${params.bigint(query.toUnixNano)}`];
  if (hasTraceFilter(query)) where.push(`trace_id IN (${traceIdsSql(query, params)})`);
  return where.join(' AND ');
}

/**
 * Facts under agent. Agent spans are counted. Model calls whose agent is stored (call_agent, filled
 * in the background by call-agents.ts; '' = none) take it from one scan. The others — calls of
 * traces not yet quiet, or changed since — are resolved here by the same rule: their own agent
 * name, else their parent's when it is an agent span (one hash join with the agent spans); the few
 * calls left (`unresolved`) take the innermost agent span of their trace enclosing their start (a
 * range join of just those calls with the agent spans of just their traces). Unlike the stored
 * attribution, this path sees only the agent spans starting in the window.
 */
function agentFactsSql(inWindow: () => string, bucket: string): string {
  // agents is not materialized: scanning spans again costs less than holding a copy of every
  // agent span in memory (at 5M spans that copy, with the calls, spills).
  return `WITH agents AS NOT MATERIALIZED (
      SELECT trace_id, span_id, agent_name, start_ns, end_ns, status_code FROM spans WHERE ${inWindow()} AND span_type = 'agent'
    ),
    calls AS (
      SELECT coalesce(c.agent_name, a.agent_name) AS key, c.agent_name IS NULL AND a.span_id IS NULL AS unresolved,
        -- Only unresolved calls need their trace and start again: NULL elsewhere keeps this narrow.
        CASE WHEN unresolved THEN c.trace_id END AS trace_id, CASE WHEN unresolved THEN c.start_ns END AS start_ns,
        c.bucket, c.input_tokens, c.output_tokens, c.cost_usd
      FROM (
        SELECT trace_id, parent_span_id, agent_name, start_ns, ${bucket} AS bucket, input_tokens, output_tokens, cost_usd
        FROM spans WHERE ${inWindow()} AND ${MODEL_CALL} AND call_agent IS NULL
      ) c LEFT JOIN agents a ON a.trace_id = c.trace_id AND a.span_id = c.parent_span_id
    ),
    unresolved AS (SELECT row_number() OVER () AS call_id, * FROM calls WHERE unresolved),
    by_time AS (
      SELECT arg_max(a.agent_name, a.start_ns) AS key, any_value(u.bucket) AS bucket,
        any_value(u.input_tokens) AS input_tokens, any_value(u.output_tokens) AS output_tokens, any_value(u.cost_usd) AS cost_usd
      FROM unresolved u
      LEFT JOIN (SELECT * FROM agents WHERE trace_id IN (SELECT trace_id FROM unresolved)) a
        ON a.trace_id = u.trace_id AND a.start_ns <= u.start_ns AND u.start_ns < a.end_ns
      GROUP BY u.call_id
    )
    SELECT agent_name AS key, true AS counted, false AS model_call, ${bucket} AS bucket, status_code, (end_ns - start_ns) / 1e6 AS duration_ms,
      NULL::DOUBLE AS input_tokens, NULL::DOUBLE AS output_tokens, NULL::DOUBLE AS cost_usd
    FROM agents
    UNION ALL
    SELECT key, false, true, bucket, NULL, NULL, input_tokens, output_tokens, cost_usd FROM calls WHERE NOT unresolved
    UNION ALL
    SELECT key, false, true, bucket, NULL, NULL, input_tokens, output_tokens, cost_usd FROM by_time
    UNION ALL
    SELECT NULLIF(call_agent, ''), false, true, ${bucket}, NULL, NULL, input_tokens, output_tokens, cost_usd
    FROM spans WHERE ${inWindow()} AND ${MODEL_CALL} AND call_agent IS NOT NULL`;
}

/** The statement; columns: key, bucket, calls, errors, input, output, cost, [p50, p95, p99]. */
export function metricsSql(query: MetricsQuery, params: SqlParams): string {
  // A function: every use binds its own parameters (the trace filter's included).
  const inWindow = () => windowSql(query, params);
  const bucket = query.bucketNanos === undefined ? 'NULL::BIGINT' : `(start_ns - start_ns % ${params.bigint(query.bucketNanos)})`;
  const measures = `${bucket} AS bucket, status_code, (end_ns - start_ns) / 1e6 AS duration_ms, input_tokens, output_tokens, cost_usd`;
  let facts: string;
  if (query.groupBy === 'agent') {
    facts = agentFactsSql(inWindow, bucket);
  } else if (query.groupBy === 'user') {
    // The trace's user: the earliest span that named one (as the trace summary does).
    facts = `SELECT u.trace_user AS key, true AS counted, true AS model_call, s.* EXCLUDE (trace_id)
      FROM (SELECT trace_id, ${measures} FROM spans WHERE ${inWindow()} AND ${MODEL_CALL}) s LEFT JOIN (
        SELECT trace_id, arg_min(user_id, user_start_ns) FILTER (WHERE user_id IS NOT NULL) AS trace_user
        FROM trace_parts WHERE project_id = ${params.text(query.projectId)} GROUP BY trace_id
      ) u USING (trace_id)`;
  } else {
    const subject = query.groupBy === 'tool' ? `span_type = 'tool'` : MODEL_CALL;
    facts = `SELECT ${keyExpression(query.groupBy, params)} AS key, true AS counted, ${MODEL_CALL} AS model_call, ${measures}
      FROM spans WHERE ${inWindow()} AND ${subject}`;
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

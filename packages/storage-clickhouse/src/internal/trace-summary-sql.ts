// Trace summaries are aggregated at read time from the spans themselves, deduplicated first:
//
//   spans rows ──GROUP BY (trace_id, span_id), any()──▶ one row per span ──GROUP BY trace_id──▶ summary
//
// Retried spans that two Cairn servers both inserted (or that background merges of the
// ReplacingMergeTree have not collapsed yet) are identical rows with the same key, and rows that
// updateSpanSemantics inserted replace older ones (latest-row-sql.ts), so the inner GROUP BY
// makes every count and total exact whatever the merge state. Why not FINAL: on 18.16
// FINAL merges all parts of the table in one stream and skips no partition by the sorting key;
// GROUP BY on the key is exact and runs in parallel on every shard (a trace lives on one shard).
// The same SQL serves the list, a single trace and sessions, so they always agree.

import type { TraceSummary } from '@cairn/model';
import { MISSING_ROOT_NAME } from '@cairn/model';
import { latestSql } from './latest-row-sql.js';

const MODEL_CALL = `s_type IN ('llm', 'embedding')`;

/** One row per distinct span of `table` matching `where`, with what summaries need (s_* names). */
export function dedupedSpansSql(table: string, where: string): string {
  // Aliases differ from column names: ClickHouse substitutes aliases anywhere in the query.
  // Raw columns are the same in every row of a span; semantic ones from its newest row.
  return `SELECT trace_id, span_id,
      any(parent_span_id) AS s_parent, any(start_ns) AS s_start, any(end_ns) AS s_end, any(name) AS s_name,
      any(service_name) AS s_service, ${latestSql('status_code')} AS s_status, ${latestSql('span_type')} AS s_type,
      ${latestSql('model')} AS s_model, ${latestSql('provider')} AS s_provider, ${latestSql('agent_name')} AS s_agent,
      ${latestSql('tool_name')} AS s_tool, ${latestSql('session_id')} AS s_session, ${latestSql('user_id')} AS s_user,
      ${latestSql('input_tokens')} AS s_in, ${latestSql('output_tokens')} AS s_out, ${latestSql('cost_usd')} AS s_cost
    FROM ${table} WHERE ${where}
    GROUP BY trace_id, span_id`;
}

/**
 * Aggregates per trace (t_* names). Cost is summed in integer picodollars (t_cost_pico) so sums
 * and cursor comparisons are exact and independent of aggregation order.
 */
export function traceAggregateSql(table: string, where: string, extraColumns: readonly string[] = []): string {
  return `SELECT trace_id,
      min(s_start) AS t_start, max(s_end) AS t_end,
      max(s_parent = '') AS t_has_root,
      argMinIf(s_name, s_start, s_parent = '') AS t_root_name,
      argMinIf(s_service, s_start, s_parent = '') AS t_root_service,
      argMin(s_service, s_start) AS t_first_service,
      count() AS t_span_count, countIf(s_status = 2) AS t_error_count,
      countIf(s_type = 'llm') AS t_llm_calls, countIf(s_type = 'tool') AS t_tool_calls,
      sumIf(s_in, ${MODEL_CALL}) AS t_in, sumIf(s_out, ${MODEL_CALL}) AS t_out,
      toInt64(round(sumIf(ifNull(s_cost, 0), ${MODEL_CALL}) * 1000000000000)) AS t_cost_pico,
      arraySort(groupUniqArray(s_model)) AS t_models, arraySort(groupUniqArray(s_agent)) AS t_agents,
      countIf(isNotNull(s_session)) > 0 AS t_has_session,
      argMinIf(ifNull(s_session, ''), s_start, isNotNull(s_session)) AS t_session,
      countIf(isNotNull(s_user)) > 0 AS t_has_user,
      argMinIf(ifNull(s_user, ''), s_start, isNotNull(s_user)) AS t_user${extraColumns.map((column) => `,\n      ${column}`).join('')}
    FROM (${dedupedSpansSql(table, where)})
    GROUP BY trace_id`;
}

/** Columns to select from a traceAggregateSql relation, in the order decodeSummaryRow reads. */
export const SUMMARY_COLUMNS =
  'trace_id, t_start, t_end, t_has_root, t_root_name, t_root_service, t_first_service, t_span_count, t_error_count, ' +
  't_llm_calls, t_tool_calls, t_in, t_out, t_cost_pico, t_models, t_agents, t_has_session, t_session, t_has_user, t_user';

export const SUMMARY_COLUMN_COUNT = 20;

export function picoToUsd(pico: unknown): number {
  return Number(pico) / 1e12;
}

export function decodeSummaryRow(row: readonly unknown[]): TraceSummary {
  const hasRoot = Number(row[3]) === 1;
  return {
    traceId: row[0] as string,
    rootName: hasRoot ? (row[4] as string) : MISSING_ROOT_NAME,
    serviceName: hasRoot ? (row[5] as string) : (row[6] as string),
    startTimeUnixNano: BigInt(row[1] as string),
    endTimeUnixNano: BigInt(row[2] as string),
    spanCount: Number(row[7]),
    errorCount: Number(row[8]),
    llmCallCount: Number(row[9]),
    toolCallCount: Number(row[10]),
    inputTokens: Number(row[11]),
    outputTokens: Number(row[12]),
    costUsd: picoToUsd(row[13]),
    models: row[14] as string[],
    agents: row[15] as string[],
    sessionId: Number(row[16]) === 1 ? (row[17] as string) : null,
    userId: Number(row[18]) === 1 ? (row[19] as string) : null,
    hasRoot,
  };
}

// Trace summaries are aggregated at read time from trace_parts (one row per trace and written
// batch), the same way for the list, a single trace and sessions, so they always agree.

import type { DuckDBListValue } from '@duckdb/node-api';
import type { TraceSummary } from '@cairn/model';
import { MISSING_ROOT_NAME } from '@cairn/model';

/**
 * SELECT producing one aggregated row per trace of the trace_parts rows matching `where`.
 * Costs are rounded to 1e-12 USD so the sum does not depend on aggregation order (cursors
 * compare them exactly).
 */
export function traceAggregateSql(where: string): string {
  return `SELECT project_id, trace_id,
      min(min_start_ns) AS start_ns, max(max_end_ns) AS end_ns, max(max_start_ns) AS max_start_ns,
      bool_or(has_root) AS has_root,
      arg_min(root_name, min_start_ns) FILTER (WHERE has_root) AS root_name,
      arg_min(root_service, min_start_ns) FILTER (WHERE has_root) AS root_service,
      arg_min(first_service, min_start_ns) AS first_service,
      sum(span_count)::BIGINT AS span_count, sum(error_count)::BIGINT AS error_count,
      sum(llm_calls)::BIGINT AS llm_calls, sum(tool_calls)::BIGINT AS tool_calls,
      sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
      round(sum(cost_usd), 12) AS cost_usd,
      list_sort(list_distinct(flatten(list(models)))) AS models,
      list_sort(list_distinct(flatten(list(agents)))) AS agents,
      list_distinct(flatten(list(tools))) AS tools,
      list_distinct(flatten(list(services))) AS services,
      list_distinct(flatten(list(span_types))) AS span_types,
      list_distinct(flatten(list(providers))) AS providers,
      arg_min(session_id, session_start_ns) FILTER (WHERE session_id IS NOT NULL) AS session_id,
      arg_min(user_id, user_start_ns) FILTER (WHERE user_id IS NOT NULL) AS user_id,
      min(batch_seq) AS min_seq, max(batch_seq) AS max_seq
    FROM trace_parts WHERE ${where}
    GROUP BY project_id, trace_id`;
}

/** Columns to select from a traceAggregateSql relation, in the order decodeSummaryRow reads. */
export const SUMMARY_COLUMNS =
  'trace_id, start_ns, end_ns, has_root, root_name, root_service, first_service, span_count, error_count, ' +
  'llm_calls, tool_calls, input_tokens, output_tokens, cost_usd, models, agents, session_id, user_id';

function strings(value: unknown): string[] {
  return value === null ? [] : ((value as DuckDBListValue).items as string[]);
}

export function decodeSummaryRow(row: readonly unknown[]): TraceSummary {
  const hasRoot = row[3] as boolean;
  return {
    traceId: row[0] as string,
    rootName: hasRoot ? (row[4] as string) : MISSING_ROOT_NAME,
    serviceName: hasRoot ? (row[5] as string) : (row[6] as string),
    startTimeUnixNano: row[1] as bigint,
    endTimeUnixNano: row[2] as bigint,
    spanCount: Number(row[7]),
    errorCount: Number(row[8]),
    llmCallCount: Number(row[9]),
    toolCallCount: Number(row[10]),
    inputTokens: row[11] as number,
    outputTokens: row[12] as number,
    costUsd: row[13] as number,
    models: strings(row[14]),
    agents: strings(row[15]),
    sessionId: row[16] as string | null,
    userId: row[17] as string | null,
    hasRoot,
  };
}

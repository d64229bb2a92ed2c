// Sessions are groups of traces by the trace's session id (that of its earliest span carrying
// one). Totals run over all traces of a session, so a listed session equals getSession's.

import type { SessionSummary } from '@cairn/model';
import type { SqlParams } from './sql-params.js';
import { traceAggregateSql } from './trace-summary-sql.js';

/** Aggregates the sessions in `sessionIdsSql` (a SELECT of session ids). */
export function sessionAggregateSql(project: string, sessionIdsSql: string): string {
  return `WITH traces AS (${traceAggregateSql(
    `project_id = ${project} AND trace_id IN (SELECT trace_id FROM trace_parts WHERE project_id = ${project} AND session_id IN (${sessionIdsSql}))`,
  )})
    SELECT session_id, count(*)::BIGINT AS trace_count, min(start_ns) AS first_seen, max(end_ns) AS last_seen,
      sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, round(sum(cost_usd), 12) AS cost_usd
    FROM traces WHERE session_id IN (${sessionIdsSql})
    GROUP BY session_id`;
}

export const SESSION_COLUMNS = 'session_id, trace_count, first_seen, last_seen, input_tokens, output_tokens, cost_usd';

export function decodeSessionRow(row: readonly unknown[]): SessionSummary {
  return {
    sessionId: row[0] as string,
    traceCount: Number(row[1]),
    firstSeenUnixNano: row[2] as bigint,
    lastSeenUnixNano: row[3] as bigint,
    inputTokens: row[4] as number,
    outputTokens: row[5] as number,
    costUsd: row[6] as number,
  };
}

/** Session ids with a trace part starting inside the window. */
export function sessionsInWindowSql(project: string, from: bigint, to: bigint, params: SqlParams): string {
  return `SELECT DISTINCT session_id FROM trace_parts WHERE project_id = ${project} AND session_id IS NOT NULL
    AND min_start_ns >= ${params.bigint(from)} AND min_start_ns < ${params.bigint(to)}`;
}

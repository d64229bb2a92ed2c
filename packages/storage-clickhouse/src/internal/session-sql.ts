// Sessions are groups of traces by the trace's session id (that of its earliest span carrying
// one). Totals run over all traces of a session, so a listed session equals getSession's.

import type { SessionSummary } from '@cairn/model';
import { text, uint64 } from './sql-literal.js';
import { picoToUsd, traceAggregateSql } from './trace-summary-sql.js';

/**
 * SELECT trace_id of every trace with a span of one of these sessions, from the trace_parts
 * index (trace-parts.ts; its session sets may hold a few more, never fewer), instead of a scan of
 * the session_id column of all spans.
 */
export function sessionTraceIdsSql(partsTable: string, projectId: string, sessionIdsSql: string): string {
  return `SELECT trace_id FROM ${partsTable} ARRAY JOIN sessions AS p_session
    WHERE project_id = ${text(projectId)} AND p_session GLOBAL IN (${sessionIdsSql})`;
}

/**
 * Session rows (SESSION_COLUMNS) of the sessions whose ids `sessionIdsSql` selects. `bound` (with
 * a leading AND) may limit the spans read to the partitions those sessions' traces live in.
 */
export function sessionAggregateSql(table: string, partsTable: string, projectId: string, sessionIdsSql: string, bound = ''): string {
  const project = text(projectId);
  const traces = traceAggregateSql(table, `project_id = ${project} AND trace_id GLOBAL IN (${sessionTraceIdsSql(partsTable, projectId, sessionIdsSql)})${bound}`);
  return `SELECT t_session AS session, count() AS trace_count, min(t_start) AS first_seen, max(t_end) AS last_seen,
      sum(t_in) AS input_tokens, sum(t_out) AS output_tokens, sum(t_cost_pico) AS cost_pico
    FROM (${traces}) WHERE t_has_session AND t_session IN (${sessionIdsSql})
    GROUP BY t_session`;
}

export const SESSION_COLUMNS = 'session, trace_count, first_seen, last_seen, input_tokens, output_tokens, cost_pico';

export function decodeSessionRow(row: readonly unknown[]): SessionSummary {
  return {
    sessionId: row[0] as string,
    traceCount: Number(row[1]),
    firstSeenUnixNano: BigInt(row[2] as string),
    lastSeenUnixNano: BigInt(row[3] as string),
    inputTokens: Number(row[4]),
    outputTokens: Number(row[5]),
    costUsd: picoToUsd(row[6]),
  };
}

/** Session ids with a span starting inside the window. */
export function sessionsInWindowSql(table: string, projectId: string, from: bigint, to: bigint): string {
  return `SELECT DISTINCT assumeNotNull(session_id) FROM ${table} WHERE project_id = ${text(projectId)} AND isNotNull(session_id)
    AND start_ns >= ${uint64(from)} AND start_ns < ${uint64(to)}`;
}

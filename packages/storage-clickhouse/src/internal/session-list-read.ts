// listSessions through the trace_parts index (trace-parts.ts), like trace-list-read.ts: the
// sessions with a span starting in the window (from the spans, partition-pruned) are ordered by
// the latest end of a trace whose index rows name the session — the session's last_seen, exact
// while the index agrees with the spans — and taken a batch at a time; each batch's totals are
// aggregated exactly from the spans of its sessions' traces (session-sql.ts), with the cursor.
// A listed session whose exact last_seen differs from the index answers the request from the
// spans alone, as before the index existed.

import type { SessionSummary } from '@cairn/model';
import type { Page, SessionQuery } from '@cairn/storage';
import type { CursorPosition } from '@cairn/storage/adapter-kit';
import { decodeCursor, encodeCursor } from '@cairn/storage/adapter-kit';
import { InvalidCursorError } from '@cairn/storage';
import { decodeSessionRow, SESSION_COLUMNS, sessionAggregateSql, sessionsInWindowSql, sessionTraceIdsSql } from './session-sql.js';
import { text, textList, uint64 } from './sql-literal.js';

type Row = unknown[];

export interface SessionListSource {
  query(sql: string): Promise<Row[]>;
  spans: string;
  parts: string;
}

const ORDER = 'sessions:lastSeen:desc';
const FIRST_BATCH_MIN = 64;
const BATCH_MAX = 4_000;

function before(position: CursorPosition, key: string, id: string): string {
  const value = uint64(BigInt(position.key));
  return `(${key} < ${value} OR (${key} = ${value} AND ${id} < ${text(position.id)}))`;
}

function page(rows: Row[], limit: number): Page<SessionSummary> {
  const items = rows.slice(0, limit).map(decodeSessionRow);
  const last = rows.length > limit ? items[limit - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor({ order: ORDER, key: last.lastSeenUnixNano, id: last.sessionId }) : null };
}

/** The exact session rows of `ids` (a SELECT of session ids) after `position`, newest first. */
function exactSql(source: SessionListSource, projectId: string, ids: string, position: CursorPosition | null, limit: number): string {
  return `SELECT ${SESSION_COLUMNS} FROM (${sessionAggregateSql(source.spans, source.parts, projectId, ids)})
    ${position === null ? '' : `WHERE ${before(position, 'last_seen', 'session')}`}
    ORDER BY last_seen DESC, session DESC LIMIT ${limit}`;
}

/** The page of listSessions (limit already clamped to 1..500). */
export async function listSessionsByParts(query: SessionQuery, source: SessionListSource, limit: number): Promise<Page<SessionSummary>> {
  let position: CursorPosition | null = null;
  if (query.cursor !== undefined) {
    position = decodeCursor(query.cursor, ORDER);
    if (typeof position.key !== 'bigint') throw new InvalidCursorError(query.cursor);
  }
  const project = text(query.projectId);
  const inWindow = sessionsInWindowSql(source.spans, query.projectId, query.fromUnixNano, query.toUnixNano);
  // Per trace naming one of the window's sessions: its latest end and every session it names.
  const perSession = `SELECT p_session, max(p_end) AS p_last FROM (
      SELECT trace_id, max(end_ns) AS p_end, groupUniqArrayArray(sessions) AS p_sessions FROM ${source.parts}
      WHERE project_id = ${project} AND trace_id GLOBAL IN (${sessionTraceIdsSql(source.parts, query.projectId, inWindow)})
      GROUP BY trace_id
    ) ARRAY JOIN p_sessions AS p_session
    WHERE p_session GLOBAL IN (${inWindow})
    GROUP BY p_session`;
  const rows: Row[] = [];
  let after = position;
  let batch = Math.max(FIRST_BATCH_MIN, 2 * (limit + 1));
  for (;;) {
    const candidates = await source.query(
      `SELECT p_session, p_last FROM (${perSession}) ${after === null ? '' : `WHERE ${before(after, 'p_last', 'p_session')}`}
       ORDER BY p_last DESC, p_session DESC LIMIT ${batch}`,
    );
    if (candidates.length === 0) break;
    const last = new Map(candidates.map((row) => [row[0] as string, row[1] as string]));
    const exact = await source.query(exactSql(source, query.projectId, `SELECT arrayJoin([${textList(last.keys())}])`, position, limit + 1 - rows.length));
    for (const row of exact) {
      if (last.get(row[0] as string) !== (row[3] as string)) {
        // The index disagrees with the spans: answer from the spans alone.
        return page(await source.query(exactSql(source, query.projectId, inWindow, position, limit + 1)), limit);
      }
      rows.push(row);
    }
    if (rows.length > limit || candidates.length < batch) break;
    const end = candidates[candidates.length - 1]!;
    after = { order: ORDER, key: BigInt(end[1] as string), id: end[0] as string };
    batch = Math.min(BATCH_MAX, batch * 2);
  }
  return page(rows, limit);
}

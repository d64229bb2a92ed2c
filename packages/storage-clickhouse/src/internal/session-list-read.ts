// listSessions through the trace_parts index (trace-parts.ts), like trace-list-read.ts:
//
//   1. candidates: the sessions named by index rows of the window's days (a row holds the spans of
//      one trace starting on one UTC day, its start_ns their first start, so every span starting
//      in the window has a row with start_ns in [day of `from`, `to`): a superset of the sessions
//      with a span starting in the window), each ordered by the latest end of a trace whose index
//      rows name it — the session's last_seen, exact while the index agrees with the spans
//   2. a batch at a time in that order: which candidates really have a span starting in the
//      window, read from the spans of their own traces only (primary-key seeks, not a DISTINCT
//      over every span of the window), and their exact totals (session-sql.ts), with the cursor;
//      both read only the day partitions the index gives for the batch's traces
//   3. next batch until the page is full or no candidate is left
//
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
const FIRST_BATCH_MIN = 16;
const NS_PER_DAY = 86_400n * 1_000_000_000n;
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
function exactSql(source: SessionListSource, projectId: string, ids: string, position: CursorPosition | null, limit: number, bound = ''): string {
  return `SELECT ${SESSION_COLUMNS} FROM (${sessionAggregateSql(source.spans, source.parts, projectId, ids, bound)})
    ${position === null ? '' : `WHERE ${before(position, 'last_seen', 'session')}`}
    ORDER BY last_seen DESC, session DESC LIMIT ${limit}`;
}

/** Of the sessions `batch`, those with a span (any of its rows) starting in the window. */
function inWindowOfBatchSql(source: SessionListSource, query: SessionQuery, batch: string, bound: string): string {
  const list = `arrayJoin([${batch}])`;
  return `SELECT DISTINCT assumeNotNull(session_id) FROM ${source.spans}
    WHERE project_id = ${text(query.projectId)} AND trace_id GLOBAL IN (${sessionTraceIdsSql(source.parts, query.projectId, `SELECT ${list}`)})${bound}
      AND start_ns >= ${uint64(query.fromUnixNano)} AND start_ns < ${uint64(query.toUnixNano)}
      AND isNotNull(session_id) AND assumeNotNull(session_id) IN (SELECT ${list})`;
}

/**
 * start_ns bounds (leading AND): the whole UTC days from that of `first` to that of
 * `lastRowStart`, the day partitions of traces whose index rows start in between (whole days as
 * in trace-bounds.ts).
 */
function daysBound(first: bigint, lastRowStart: bigint): string {
  return ` AND start_ns >= ${((first / NS_PER_DAY) * NS_PER_DAY).toString()} AND start_ns < ${((lastRowStart / NS_PER_DAY + 1n) * NS_PER_DAY).toString()}`;
}

/** The page of listSessions (limit already clamped to 1..500). */
export async function listSessionsByParts(query: SessionQuery, source: SessionListSource, limit: number): Promise<Page<SessionSummary>> {
  let position: CursorPosition | null = null;
  if (query.cursor !== undefined) {
    position = decodeCursor(query.cursor, ORDER);
    if (typeof position.key !== 'bigint') throw new InvalidCursorError(query.cursor);
  }
  const project = text(query.projectId);
  const from = query.fromUnixNano < 0n ? 0n : query.fromUnixNano;
  const candidates = `SELECT DISTINCT p_s FROM ${source.parts} ARRAY JOIN sessions AS p_s
    WHERE project_id = ${project} AND start_ns >= ${uint64((from / NS_PER_DAY) * NS_PER_DAY)} AND start_ns < ${uint64(query.toUnixNano)}`;
  // Per trace naming a candidate: its latest end, first and last row start, every session it names.
  const perSession = `SELECT p_session, max(p_end) AS p_last, min(p_first) AS p_first_start, max(p_last_row) AS p_last_row_start FROM (
      SELECT trace_id, max(end_ns) AS p_end, min(start_ns) AS p_first, max(start_ns) AS p_last_row, groupUniqArrayArray(sessions) AS p_sessions
      FROM ${source.parts}
      WHERE project_id = ${project} AND trace_id GLOBAL IN (${sessionTraceIdsSql(source.parts, query.projectId, candidates)})
      GROUP BY trace_id
    ) ARRAY JOIN p_sessions AS p_session
    WHERE p_session GLOBAL IN (${candidates})
    GROUP BY p_session`;
  const rows: Row[] = [];
  let after = position;
  let batch = Math.max(FIRST_BATCH_MIN, limit + 1 + Math.ceil((limit + 1) / 4));
  for (;;) {
    const found = await source.query(
      `SELECT p_session, p_last, p_first_start, p_last_row_start FROM (${perSession}) ${after === null ? '' : `WHERE ${before(after, 'p_last', 'p_session')}`}
       ORDER BY p_last DESC, p_session DESC LIMIT ${batch}`,
    );
    if (found.length === 0) break;
    const last = new Map(found.map((row) => [row[0] as string, row[1] as string]));
    let first = BigInt(found[0]![2] as string);
    let lastRowStart = BigInt(found[0]![3] as string);
    for (const row of found) {
      const start = BigInt(row[2] as string);
      const rowStart = BigInt(row[3] as string);
      if (start < first) first = start;
      if (rowStart > lastRowStart) lastRowStart = rowStart;
    }
    const bound = daysBound(first, lastRowStart);
    // Apart, not as a subquery of the totals: ClickHouse would run it once per use there.
    const inWindow = await source.query(inWindowOfBatchSql(source, query, textList(last.keys()), bound));
    const ids = `SELECT arrayJoin([${textList(inWindow.map((row) => row[0] as string))}])`;
    const exact = inWindow.length === 0 ? [] : await source.query(exactSql(source, query.projectId, ids, position, limit + 1 - rows.length, bound));
    for (const row of exact) {
      if (last.get(row[0] as string) !== (row[3] as string)) {
        // The index disagrees with the spans: answer from the spans alone.
        const inWindow = sessionsInWindowSql(source.spans, query.projectId, query.fromUnixNano, query.toUnixNano);
        return page(await source.query(exactSql(source, query.projectId, inWindow, position, limit + 1)), limit);
      }
      rows.push(row);
    }
    if (rows.length > limit || found.length < batch) break;
    const end = found[found.length - 1]!;
    after = { order: ORDER, key: BigInt(end[1] as string), id: end[0] as string };
    batch = Math.min(BATCH_MAX, batch * 2);
  }
  return page(rows, limit);
}

// trace_key: a trace id's last 8 hex digits as a number (UINTEGER), stored beside trace_id in
// spans and trace_parts. A lookup of one trace compares it before the 32-character id: an integer
// compare narrows the scan to the trace's own rows (and, rarely, another trace's with the same
// digits — the trace_id compare that follows keeps the answer exact), where comparing every row's
// id text grows with the table: one trace's trace_parts rows among 1M took 54 ms by id, 5 ms by
// key first (BENCHMARKS.md). The last digits are the random ones: W3C trace context's random flag
// covers the rightmost 7 bytes, and ids that start with a timestamp (AWS X-Ray's) vary at the end.
//
// Stores written before the column existed: their trace_parts rows get their keys at open
// (cheap: one row per trace and write), their spans rows keep NULL — spans are read by key only
// in batches from TRACE_KEY_FROM_SEQ on, the first batch written with keys (cairn_meta).

/** The trace_key of a trace id (lowercase hex; anything else gets a key all the same). */
export function traceKeyOf(traceId: string): number {
  return parseInt(traceId.slice(-8), 16) >>> 0;
}

/** traceKeyOf in SQL, for rows written before the column existed (ids are lowercase hex). */
const TRACE_KEY_SQL = `coalesce(try_cast('0x' || right(trace_id, 8) AS UINTEGER), 0)`;

/** cairn_meta key of the first batch_seq whose spans rows carry their trace_key. */
export const TRACE_KEY_FROM_SEQ = 'trace_key_from_seq';

/** Added without a schema bump, last in both tables (the appender writes columns by position). */
export const TRACE_KEY_SCHEMA_SQL = [
  `ALTER TABLE spans ADD COLUMN IF NOT EXISTS trace_key UINTEGER`,
  `ALTER TABLE trace_parts ADD COLUMN IF NOT EXISTS trace_key UINTEGER`,
];

/** Keys the trace_parts rows written before the column existed. */
export const BACKFILL_PART_KEYS_SQL = `UPDATE trace_parts SET trace_key = ${TRACE_KEY_SQL} WHERE trace_key IS NULL`;

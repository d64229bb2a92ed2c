// Partition pruning for reads of one trace (getTrace, the tree view, getSpan). spans is
// partitioned by (project, UTC day of start_ns), so a seek on (project_id, trace_id) alone opens
// every day partition of the project (8 at 5M spans over a week: ~70 ms of a trace read). The
// trace_parts index (trace-parts.ts) holds one row per (trace, UTC day of a span's start): a
// primary-key seek on a small table gives the first and the last of those days, and
//
//   start_ns >= start of the first day  AND  start_ns < end of the last day
//
// is exactly the day partitions the trace lives in (ClickHouse prunes the others by the
// partition minmax index on start_ns): usually one, two across midnight. Whole days, not
// [min start, max end]: a span may end before it starts (its start would lie past every end),
// and a span that a server without the index wrote into a trace (during a rolling upgrade) is
// still read as long as the trace has an index row on its day.
//
// Replacement rows of updateSpanSemantics keep the times, so they stay inside the bounds. A trace
// with no index row at all (written by a server that predates the index) is read unbounded, as
// before.

import { text } from './sql-literal.js';

type Row = unknown[];
type RunSql = (sql: string) => Promise<Row[]>;

const NS_PER_DAY = 86_400n * 1_000_000_000n;

/** SQL selecting the trace's first row start, last row start and row count from the index. */
export function traceBoundsSql(partsTable: string, projectId: string, traceId: string): string {
  return `SELECT toString(min(start_ns)), toString(max(start_ns)), count() FROM ${partsTable}
    WHERE project_id = ${text(projectId)} AND trace_id = ${text(traceId)}`;
}

/**
 * The condition (with a leading AND) bounding start_ns to the trace's day partitions, or '' when
 * the index has no row for the trace (read every partition).
 */
export function traceBoundsCondition(row: Row | undefined): string {
  if (row === undefined || Number(row[2]) === 0) return '';
  const firstDayStart = (BigInt(row[0] as string) / NS_PER_DAY) * NS_PER_DAY;
  const lastDayEnd = (BigInt(row[1] as string) / NS_PER_DAY + 1n) * NS_PER_DAY;
  return ` AND start_ns >= ${firstDayStart.toString()} AND start_ns < ${lastDayEnd.toString()}`;
}

/** Reads the index and returns traceBoundsCondition for the trace. */
export async function readTraceBounds(run: RunSql, partsTable: string, projectId: string, traceId: string): Promise<string> {
  const rows = await run(traceBoundsSql(partsTable, projectId, traceId));
  return traceBoundsCondition(rows[0]);
}

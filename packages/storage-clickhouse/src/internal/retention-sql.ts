// Retention SQL and the day arithmetic behind it. Span and event partitions are
// (project_id, UTC day of the row's time), so expiring a project's old data is
// ALTER TABLE … DROP PARTITION, which works on every ClickHouse version and frees the disk at once.
//
// Whole traces, not half traces: a trace whose spans started on several days lives in several
// partitions. A day is dropped only when every trace with a span in it has all its spans in days
// that are dropped too (a fixed point over the multi-day traces, expiredDays below), so a trace
// running across midnight holds its earlier day until its last day has expired as well.
//
//   day:          D1        D2        D3   | cutoff day C (kept: it holds the cutoff)
//   trace x:      ████████████                  → D1, D2 droppable together
//   trace y:                    ██████████████  → D3 is held by y (y has a span on C)
//   dropped:      D1, D2         (D3 waits for y)

import { dayOf } from './schema.js';
import { text, uint64 } from './sql-literal.js';

const NS_PER_DAY = 86_400n * 1_000_000_000n;
const MS_PER_DAY = 86_400_000;
/** Projects kept forever in a TTL expression: ~100 years. */
const FOREVER_DAYS = 36_500;

/** Start (ns) of the UTC day holding `unixNano`; rows before it lie in whole earlier days. */
export function dayStart(unixNano: bigint): bigint {
  return unixNano - (((unixNano % NS_PER_DAY) + NS_PER_DAY) % NS_PER_DAY);
}

/** The UTC day holding `unixNano` as YYYYMMDD, the partition key's second half. */
export function dayNumber(unixNano: bigint): number {
  const iso = new Date(Number(dayStart(unixNano) / 1_000_000n)).toISOString();
  return Number(iso.slice(0, 10).replace(/-/g, ''));
}

/**
 * Days of `candidates` that can be dropped whole: remove every day touched by a multi-day trace
 * that also touches a day not dropped, until nothing changes.
 */
export function expiredDays(candidates: Iterable<number>, multiDayTraces: readonly (readonly number[])[]): number[] {
  const dropped = new Set(candidates);
  let changed = true;
  while (changed) {
    changed = false;
    for (const days of multiDayTraces) {
      if (days.some((day) => dropped.has(day)) && days.some((day) => !dropped.has(day))) {
        for (const day of days) changed = dropped.delete(day) || changed;
      }
    }
  }
  return [...dropped].sort((a, b) => a - b);
}

/** Each project holding rows with time before `before`, with the days of those rows. */
export function oldDaysSql(table: string, timeColumn: string, before: bigint): string {
  return `SELECT project_id, groupUniqArray(${dayOf(timeColumn)}) FROM ${table} WHERE ${timeColumn} < ${uint64(before)} GROUP BY project_id`;
}

/** The distinct day sets of the project's traces that have spans before `before` and on several days. */
export function multiDayTracesSql(spansTable: string, projectId: string, before: bigint): string {
  const project = text(projectId);
  return `SELECT DISTINCT days FROM (
      SELECT trace_id, arraySort(groupUniqArray(${dayOf('start_ns')})) AS days FROM ${spansTable}
      WHERE project_id = ${project}
        AND trace_id IN (SELECT trace_id FROM ${spansTable} WHERE project_id = ${project} AND start_ns < ${uint64(before)})
      GROUP BY trace_id HAVING length(days) > 1
    )`;
}

/** Traces and spans (distinct, whatever merges have not collapsed yet) in these days. */
export function countInDaysSql(spansTable: string, projectId: string, days: readonly number[], before: bigint): string {
  return `SELECT uniqExact(trace_id), uniqExact(trace_id, span_id) FROM ${spansTable}
    WHERE project_id = ${text(projectId)} AND start_ns < ${uint64(before)} AND ${dayOf('start_ns')} IN (${days.join(', ')})`;
}

export function dropPartitionSql(table: string, projectId: string, day: number): string {
  return `ALTER TABLE ${table} DROP PARTITION (${text(projectId)}, ${day})`;
}

/**
 * Days (before `before`) with events of a trace that still has spans: those event partitions
 * stay. The inner IN lists only traces with old events, so the set stays small.
 */
export function heldEventDaysSql(eventsTable: string, spansTable: string, projectId: string, before: bigint): string {
  const project = text(projectId);
  const old = `project_id = ${project} AND time_ns < ${uint64(before)}`;
  return `SELECT DISTINCT ${dayOf('time_ns')} FROM ${eventsTable}
    WHERE ${old} AND trace_id IN (
      SELECT trace_id FROM ${spansTable} WHERE project_id = ${project}
        AND trace_id IN (SELECT trace_id FROM ${eventsTable} WHERE ${old})
    )`;
}

/**
 * Deletes the analyses of traces that started on dropped days. A trace that started on a dropped
 * day has all its spans on dropped days (expiredDays), so this removes exactly the analyses of
 * removed traces. A mutation: ClickHouse runs it in the background (see waitForMutations).
 */
export function deleteAnalysesSql(analysesTable: string, projectId: string, days: readonly number[]): string {
  return `ALTER TABLE ${analysesTable} DELETE WHERE project_id = ${text(projectId)} AND ${dayOf('trace_start_ns')} IN (${days.join(', ')})`;
}

/**
 * Live-span snapshots (live_spans) started before `before` whose trace has no stored span left:
 * expired with their trace, or orphans whose span never finished. Not partitioned, so a mutation.
 */
export function orphanLiveSpansWhere(liveTable: string, spansTable: string, projectId: string, before: bigint): string {
  const project = text(projectId);
  const old = `project_id = ${project} AND start_ns < ${uint64(before)}`;
  return `${old} AND trace_id NOT IN (
      SELECT trace_id FROM ${spansTable} WHERE project_id = ${project}
        AND trace_id IN (SELECT trace_id FROM ${liveTable} WHERE ${old})
    )`;
}

export function pendingMutationsSql(database: string, table: string): string {
  return `SELECT count() FROM system.mutations WHERE database = ${text(database)} AND table = ${text(table)} AND is_done = 0`;
}

/**
 * The TTL expression for a table whose time column is `nanosColumn` (servers 19.6+). A TTL
 * deletes rows one by one, so it gets a day of grace over the policy: the scheduled partition
 * drops do the exact work, the TTL catches up if no Cairn server runs them; only a trace whose
 * spans started more than a day apart could then lose its oldest spans first.
 */
export function ttlExpression(
  nanosColumn: string,
  defaultMaxAgeMs: number | null,
  projects: readonly { projectId: string; maxAgeMs: number | null }[],
): string {
  const days = (maxAgeMs: number | null) => (maxAgeMs === null ? FOREVER_DAYS : Math.ceil(maxAgeMs / MS_PER_DAY) + 1);
  const fallback = String(days(defaultMaxAgeMs));
  const branches = projects.flatMap(({ projectId, maxAgeMs }) => [`project_id = ${text(projectId)}`, String(days(maxAgeMs))]);
  const total = branches.length === 0 ? fallback : `multiIf(${branches.join(', ')}, ${fallback})`;
  return `addDays(toDateTime(intDiv(${nanosColumn}, 1000000000)), ${total})`;
}

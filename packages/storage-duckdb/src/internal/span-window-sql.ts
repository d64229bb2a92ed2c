// Where a trace's spans are (start times and written batches, from its trace_parts rows) as a
// filter on the spans table: the batch and start-time bounds let DuckDB's zone maps skip row
// groups before trace ids are compared. A single trace is also matched by its trace_key
// (trace-key.ts) before its id, wherever the rows carry one.

import type { SqlParams } from './sql-params.js';
import { traceKeyOf } from './trace-key.js';
import type { TraceSpanWindow } from './trace-parts-summary.js';

/** The one trace id of `traceIds`, or null for several. */
function singleTraceId(traceIds: string | readonly string[]): string | null {
  if (typeof traceIds === 'string') return traceIds;
  return traceIds.length === 1 ? traceIds[0]! : null;
}

export function traceIdFilter(traceIds: string | readonly string[], params: SqlParams): string {
  const single = singleTraceId(traceIds);
  if (single !== null) return `trace_id = ${params.text(single)}`;
  return `trace_id IN (SELECT unnest(${params.textList([...traceIds])}))`;
}

/**
 * traceIdFilter with one trace's trace_key compared first, for rows that carry keys: every
 * trace_parts row (keyed at open), spans rows from the first keyed batch on (spanWindowFilter).
 */
export function keyedTraceIdFilter(traceIds: string | readonly string[], params: SqlParams): string {
  const single = singleTraceId(traceIds);
  if (single === null) return traceIdFilter(traceIds, params);
  return `trace_key = ${params.uinteger(traceKeyOf(single))} AND trace_id = ${params.text(single)}`;
}

/**
 * The spans of these traces inside `where`; `keyFromSeq` is the first batch whose rows carry
 * their trace_key (older rows hold NULL there).
 */
export function spanWindowFilter(projectId: string, traceIds: string | readonly string[], where: TraceSpanWindow, keyFromSeq: bigint, params: SqlParams): string {
  const single = singleTraceId(traceIds);
  const keyed = single !== null && where.minSeq >= keyFromSeq;
  return `batch_seq >= ${params.bigint(where.minSeq)} AND batch_seq <= ${params.bigint(where.maxSeq)}
       AND start_ns >= ${params.bigint(where.from)} AND start_ns <= ${params.bigint(where.to)}
       AND project_id = ${params.text(projectId)} AND ${keyed ? keyedTraceIdFilter(single, params) : traceIdFilter(traceIds, params)}`;
}

// Where a trace's spans are (start times and written batches, from its trace_parts rows) as a
// filter on the spans table: the batch and start-time bounds let DuckDB's zone maps skip row
// groups before trace ids are compared.

import type { SqlParams } from './sql-params.js';
import type { TraceSpanWindow } from './trace-parts-summary.js';

export function traceIdFilter(traceIds: string | readonly string[], params: SqlParams): string {
  if (typeof traceIds === 'string') return `trace_id = ${params.text(traceIds)}`;
  if (traceIds.length === 1) return `trace_id = ${params.text(traceIds[0]!)}`;
  return `trace_id IN (SELECT unnest(${params.textList([...traceIds])}))`;
}

/** The spans of these traces inside `where`. */
export function spanWindowFilter(projectId: string, traceIds: string | readonly string[], where: TraceSpanWindow, params: SqlParams): string {
  return `batch_seq >= ${params.bigint(where.minSeq)} AND batch_seq <= ${params.bigint(where.maxSeq)}
       AND start_ns >= ${params.bigint(where.from)} AND start_ns <= ${params.bigint(where.to)}
       AND project_id = ${params.text(projectId)} AND ${traceIdFilter(traceIds, params)}`;
}

// getTrace's tree view in ClickHouse: the spans query reads only the columns the tree and
// waterfall draw (no resource, scope, attributes or links); event times and names are cut out
// of the events JSON here (18.16 has no JSON array functions), and detached events arrive as
// (span, time, name) only.

import type { SpanEventMark, TreeSpan } from '@cairn/storage';
import type { StoredEvent } from '@cairn/storage/adapter-kit';
import { detachedMarksOfRows, mergeDetachedMarks, treeSpanOfRow } from '@cairn/storage/adapter-kit';
import { text } from './sql-literal.js';

type Row = unknown[];
type RunSql = (sql: string) => Promise<Row[]>;

const TREE_COLUMNS = [
  'span_id', 'parent_span_id', 'name', 'kind', 'span_type', 'service_name', 'start_ns', 'end_ns',
  'status_code', 'status_message', 'model', 'provider', 'operation', 'agent_name', 'tool_name',
  'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_usd',
  'input_preview', 'output_preview', 'events', 'session_id', 'user_id',
].join(', ');

function eventMarks(events: string): SpanEventMark[] {
  if (events === '') return [];
  return (JSON.parse(events) as StoredEvent[]).map((event) => ({ timeUnixNano: BigInt(event.t), name: event.n }));
}

function decodeTreeRow(projectId: string, traceId: string, row: Row): TreeSpan {
  return treeSpanOfRow(projectId, traceId, row, Number, eventMarks(row[23] as string));
}

/**
 * The trace's spans, tree columns only, by start time, each span once, detached event marks merged.
 * `bound` (trace-bounds.ts) limits the spans read to the trace's day partitions.
 */
export async function readTreeSpans(run: RunSql, tables: { spans: string; events: string }, projectId: string, traceId: string, bound = ''): Promise<TreeSpan[]> {
  const where = `project_id = ${text(projectId)} AND trace_id = ${text(traceId)}`;
  // Newest row of a span first: rows updateSpanSemantics replaced (span-rewrite.ts) come after.
  const spansQuery = run(`SELECT ${TREE_COLUMNS} FROM ${tables.spans} WHERE ${where}${bound} ORDER BY start_ns, span_id, rewritten_ns DESC`);
  const detachedQuery = run(`SELECT span_id, toString(time_ns), name FROM ${tables.events} WHERE ${where} GROUP BY span_id, time_ns, name`);
  detachedQuery.catch(() => undefined);
  const spans: TreeSpan[] = [];
  const seen = new Set<string>();
  for (const row of await spansQuery) {
    // Repeats of a retried span that merges have not collapsed yet.
    if (seen.has(row[0] as string)) continue;
    seen.add(row[0] as string);
    spans.push(decodeTreeRow(projectId, traceId, row));
  }
  mergeDetachedMarks(spans, detachedMarksOfRows(await detachedQuery));
  return spans;
}

// getTrace's tree view in DuckDB: the spans query selects only the columns the tree and
// waterfall draw, event times and names are cut out of the events JSON inside DuckDB (their
// attributes never leave the worker), and each row travels as one JSON array. For a 20,000-span
// trace this reads ~1/2 of the bytes of the full read and builds no attribute or origin objects.

import type { TraceSummary } from '@cairn/model';
import type { SpanEventMark, TreeSpan } from '@cairn/storage';
import { detachedMarksOfRows, mergeDetachedMarks, treeSpanOfRow } from '@cairn/storage/adapter-kit';
import { SqlParams } from './sql-params.js';
import { summarizeTraceParts, TRACE_PART_READ_COLUMNS, type TraceSpanWindow } from './trace-parts-summary.js';

type Row = unknown[];
type RunSql = (sql: string, params: SqlParams) => Promise<Row[]>;


/** A DOUBLE cell as JSON: finite numbers as numbers, NaN and infinities as strings. */
const double = (column: string) => `if(isfinite(${column}), to_json(${column}), to_json(${column}::VARCHAR))`;

/** Positions in TREE_ROW_SELECT's array; see decodeTreeRow. */
const TREE_ROW_SELECT = `json_array(
  span_id, parent_span_id, name, kind, span_type, service_name, start_ns::VARCHAR, end_ns::VARCHAR,
  status_code, status_message, model, provider, operation, agent_name, tool_name,
  ${double('input_tokens')}, ${double('output_tokens')}, ${double('cache_read_tokens')}, ${double('cache_write_tokens')},
  ${double('reasoning_tokens')}, ${double('cost_usd')}, input_preview, output_preview,
  if(events = '', NULL, json_transform(events, '[{"t":"VARCHAR","n":"VARCHAR"}]')), session_id, user_id
)::VARCHAR`;

const NON_FINITE: Record<string, number> = { nan: NaN, '-nan': NaN, inf: Infinity, '-inf': -Infinity };

function number(value: unknown): number {
  return typeof value === 'string' ? (NON_FINITE[value] ?? Number(value)) : (value as number);
}

function decodeTreeRow(projectId: string, traceId: string, row: unknown[]): TreeSpan {
  const events = row[23] as { t: string; n: string }[] | null;
  return treeSpanOfRow(projectId, traceId, row, number, events === null ? [] : events.map((event) => ({ timeUnixNano: BigInt(event.t), name: event.n })));
}

/** Event marks that arrived apart from their spans (OTLP log records), by span id. */
export async function readDetachedMarks(run: RunSql, projectId: string, traceId: string): Promise<Map<string, SpanEventMark[]>> {
  const params = new SqlParams();
  const rows = await run(
    `SELECT span_id, time_ns::VARCHAR, name FROM detached_events
     WHERE project_id = ${params.text(projectId)} AND trace_id = ${params.text(traceId)}`,
    params,
  );
  return detachedMarksOfRows(rows);
}

/** The trace's summary and where its spans are, from its trace_parts rows (aggregated in JS). */
export async function readSummaryAndWindow(run: RunSql, projectId: string, traceId: string): Promise<{ summary: TraceSummary; window: TraceSpanWindow } | null> {
  const params = new SqlParams();
  return summarizeTraceParts(traceId, await run(tracePartsSql(projectId, traceId, params), params));
}

/** The trace's trace_parts rows (TRACE_PART_READ_COLUMNS), for summarizeTraceParts. */
export function tracePartsSql(projectId: string, traceId: string, params: SqlParams): string {
  return `SELECT ${TRACE_PART_READ_COLUMNS} FROM trace_parts WHERE project_id = ${params.text(projectId)} AND trace_id = ${params.text(traceId)}`;
}

/**
 * The trace's spans inside `where`, tree columns only, by start time, as one text: the worker
 * hands one string to the main thread (a copy of its bytes) instead of 20,000 cells to clone,
 * and one JSON.parse reads them all (readTraceTree).
 */
export function treeSpansSql(projectId: string, traceId: string, where: TraceSpanWindow, params: SqlParams): string {
  return `SELECT string_agg(${TREE_ROW_SELECT}, ',' ORDER BY start_ns, span_id) FROM spans
     WHERE batch_seq >= ${params.bigint(where.minSeq)} AND batch_seq <= ${params.bigint(where.maxSeq)}
       AND start_ns >= ${params.bigint(where.from)} AND start_ns <= ${params.bigint(where.to)}
       AND project_id = ${params.text(projectId)} AND trace_id = ${params.text(traceId)}`;
}

/**
 * Summary and spans of the tree view in one worker round trip: the worker runs the trace_parts
 * query, takes the span window from it and runs the spans query on the same connection (the
 * 'readTraceTree' request, duckdb-worker.ts). Detached event marks are merged in.
 */
export async function readTraceTree(
  request: (projectId: string, traceId: string) => Promise<TraceTreeRead>,
  projectId: string,
  traceId: string,
  detachedMarks: Promise<Map<string, SpanEventMark[]>>,
): Promise<{ summary: TraceSummary; spans: TreeSpan[] } | null> {
  const read = await request(projectId, traceId);
  // Summarized again here (a handful of rows): the worker used it only for the span window.
  const found = summarizeTraceParts(traceId, read.parts);
  if (!found) return null;
  const rows = read.spans ? (JSON.parse(`[${read.spans}]`) as unknown[][]) : [];
  const spans = rows.map((row) => decodeTreeRow(projectId, traceId, row));
  mergeDetachedMarks(spans, await detachedMarks);
  return { summary: found.summary, spans };
}

/** What the worker answers a 'readTraceTree' request with. */
export interface TraceTreeRead {
  /** The trace's trace_parts rows (tracePartsSql). */
  parts: unknown[][];
  /** The treeSpansSql text; null when the trace is unknown or has no span in its window. */
  spans: string | null;
}

/** The worker's side of readTraceTree: both queries on one reader connection. */
export async function queryTraceTree(run: RunSql, projectId: string, traceId: string): Promise<TraceTreeRead> {
  const partsParams = new SqlParams();
  const parts = await run(tracePartsSql(projectId, traceId, partsParams), partsParams);
  const found = summarizeTraceParts(traceId, parts);
  if (!found) return { parts, spans: null };
  const spansParams = new SqlParams();
  const cells = await run(treeSpansSql(projectId, traceId, found.window, spansParams), spansParams);
  return { parts, spans: (cells[0]?.[0] as string | null | undefined) ?? null };
}

// getTrace's tree view in DuckDB: the spans query selects only the columns the tree and
// waterfall draw, event times and names are cut out of the events JSON inside DuckDB (their
// attributes never leave the worker), and each row travels as one JSON array. For a 20,000-span
// trace this reads ~1/2 of the bytes of the full read and builds no attribute or origin objects.

import { SPAN_KIND_NAMES, STATUS_CODE_NAMES, type TraceSummary } from '@cairn/model';
import type { SpanEventMark, TreeSpan } from '@cairn/storage';
import { detachedMarksOfRows, mergeDetachedMarks, treeSpanOfRow } from '@cairn/storage/adapter-kit';
import { SqlParams } from './sql-params.js';
import { keyedTraceIdFilter, spanWindowFilter } from './span-window-sql.js';
import { PLACED_SPAN_JSON_SELECT, SPAN_JSON_SELECT } from './span-row.js';
import type { PartSpan } from './trace-part.js';
import type { PlacedSpan } from './trace-parts-summary.js';
import {
  spanCountOfParts,
  summarizeTraceParts,
  summarizeTraceSpans,
  TRACE_PART_READ_COLUMNS,
  TRACE_WINDOW_COLUMNS,
  traceWindowOfParts,
  type TraceSpanWindow,
} from './trace-parts-summary.js';

type Row = unknown[];
type RunSql = (sql: string, params: SqlParams) => Promise<Row[]>;


/** A DOUBLE cell as JSON: finite numbers as numbers, NaN and infinities as strings. */
const double = (column: string) => `if(isfinite(${column}), to_json(${column}), to_json(${column}::VARCHAR))`;

/** The tree view's cells of a span row; positions as decodeTreeRow reads them. */
const TREE_CELLS = `span_id, parent_span_id, name, kind, span_type, service_name, start_ns::VARCHAR, end_ns::VARCHAR,
  status_code, status_message, model, provider, operation, agent_name, tool_name,
  ${double('input_tokens')}, ${double('output_tokens')}, ${double('cache_read_tokens')}, ${double('cache_write_tokens')},
  ${double('reasoning_tokens')}, ${double('cost_usd')}, input_preview, output_preview,
  if(events = '', NULL, json_transform(events, '[{"t":"VARCHAR","n":"VARCHAR"}]')), session_id, user_id`;
const TREE_ROW_SELECT = `json_array(${TREE_CELLS})::VARCHAR`;
/** TREE_ROW_SELECT with the row's batch_seq and rowid last (TREE_PLACE_POSITION), for summarizeTraceSpans. */
const PLACED_TREE_ROW_SELECT = `json_array(${TREE_CELLS}, batch_seq, rowid)::VARCHAR`;
const TREE_PLACE_POSITION = 26;

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

/** The trace's trace_parts rows (TRACE_PART_READ_COLUMNS), for summarizeTraceParts. */
export function tracePartsSql(projectId: string, traceId: string, params: SqlParams): string {
  return `SELECT ${TRACE_PART_READ_COLUMNS} FROM trace_parts WHERE project_id = ${params.text(projectId)} AND ${keyedTraceIdFilter(traceId, params)}`;
}

/** The trace's trace_parts rows (TRACE_WINDOW_COLUMNS), for traceWindowOfParts. */
export function traceWindowSql(projectId: string, traceId: string, params: SqlParams): string {
  return `SELECT ${TRACE_WINDOW_COLUMNS} FROM trace_parts WHERE project_id = ${params.text(projectId)} AND ${keyedTraceIdFilter(traceId, params)}`;
}

/** Which columns a trace read selects: the tree view's or the full span records. */
export type TraceReadView = 'tree' | 'full';

/**
 * Traces up to this many spans take their summary from the spans read (summarizeTraceSpans),
 * larger ones from their parts: beyond, building it costs more than the parts' columns.
 */
export const SUMMARY_FROM_SPANS_MAX = 2_000;

/**
 * The trace's spans inside `where` as JSON arrays. Small traces: one row per span, with where it
 * sits (PLACED_TREE_ROW_SELECT, PLACED_SPAN_JSON_SELECT) for their summary, in no order — DuckDB's
 * sort of 200 rows this wide cost ~1.2 ms at 5M spans, the readers sort them instead (byStart).
 * Large ones: one text, sorted, from DuckDB's string_agg — converting 20,000 cells to JS strings
 * in the worker cost more than that.
 */
export function traceSpansSql(view: TraceReadView, projectId: string, traceId: string, where: TraceSpanWindow, keyFromSeq: bigint, large: boolean, params: SqlParams): string {
  const rows = large
    ? `string_agg(${view === 'tree' ? TREE_ROW_SELECT : SPAN_JSON_SELECT}, ',' ORDER BY start_ns, span_id)`
    : view === 'tree'
      ? PLACED_TREE_ROW_SELECT
      : PLACED_SPAN_JSON_SELECT;
  return `SELECT ${rows} FROM spans WHERE ${spanWindowFilter(projectId, traceId, where, keyFromSeq, params)}`;
}

/** A SQL list literal of names, indexed by a 0-based number column as `names[i] ?? fallback` in JS. */
function nameOf(names: readonly string[], column: string, fallback: string): string {
  return `coalesce([${names.map((name) => `'${name}'`).join(', ')}][${column} + 1], '${fallback}')`;
}

/**
 * A DOUBLE as JSON.stringify writes it: NaN and infinities as null, whole numbers without a
 * fraction (DuckDB writes 12.0; -0.0 is 0 in both).
 */
const jsNumber = (value: string) =>
  `CASE WHEN NOT isfinite(${value}) THEN NULL WHEN ${value} = trunc(${value}) AND abs(${value}) < 9007199254740992 THEN to_json(${value}::BIGINT) ELSE to_json(${value}) END`;

/**
 * The query API's tree row of a span (TREE_ROW_FIELDS), built by DuckDB: what the server's
 * treeRow writes from a TreeSpan (kind and status names, durationMillis's rounding to the
 * microsecond, null for an empty event list), so a large trace's rows pass through as text.
 */
const API_TREE_ROW_SELECT = `json_array(span_id, nullif(parent_span_id, ''), name, ${nameOf(SPAN_KIND_NAMES, 'kind', 'UNSPECIFIED')}, span_type,
  service_name, start_ns::VARCHAR, end_ns::VARCHAR,
  ${jsNumber('if(end_ns > start_ns, round((end_ns::HUGEINT - start_ns)::DOUBLE / 1000) / 1000, 0::DOUBLE)')},
  ${nameOf(STATUS_CODE_NAMES, 'status_code', 'unset')}, status_message, model, provider, operation, agent_name, tool_name,
  ${jsNumber('input_tokens')}, ${jsNumber('output_tokens')}, ${jsNumber('cache_read_tokens')}, ${jsNumber('cache_write_tokens')},
  ${jsNumber('reasoning_tokens')}, ${jsNumber('cost_usd')}, input_preview, output_preview, false,
  if(events = '', NULL, nullif(list_transform(json_transform(events, '[{"t":"VARCHAR","n":"VARCHAR"}]'), event -> [event.t, event.n]), [])))::VARCHAR`;

/** A large trace's tree rows as the API writes them, read by the worker (queryTraceTree). */
export interface TraceRowsRead {
  /** API_TREE_ROW_SELECT rows by start time, then span id, comma-separated. */
  rows: string;
  /** [missing parent id, child span id] of each orphan, children by start time then span id. */
  orphans: [string, string][];
  /** The trace's trace_parts rows of TRACE_PART_READ_COLUMNS, for its summary. */
  parts: unknown[][];
}

/** The rows, orphans and parts of a large trace whose spans lie in `where`. */
async function queryTraceRows(run: RunSql, keyFromSeq: bigint, projectId: string, traceId: string, where: TraceSpanWindow): Promise<TraceRowsRead> {
  const rowsParams = new SqlParams();
  const rows = await run(`SELECT string_agg(${API_TREE_ROW_SELECT}, ',' ORDER BY start_ns, span_id) FROM spans WHERE ${spanWindowFilter(projectId, traceId, where, keyFromSeq, rowsParams)}`, rowsParams);
  const orphansParams = new SqlParams();
  const orphans = await run(
    // Inside the subquery the window's unqualified columns are the parent's (spans p).
    `SELECT s.parent_span_id, s.span_id FROM spans s
     WHERE ${spanWindowFilter(projectId, traceId, where, keyFromSeq, orphansParams)} AND s.parent_span_id <> ''
       AND NOT EXISTS (SELECT 1 FROM spans p WHERE ${spanWindowFilter(projectId, traceId, where, keyFromSeq, orphansParams)} AND p.span_id = s.parent_span_id)
     ORDER BY s.start_ns, s.span_id`,
    orphansParams,
  );
  const partsParams = new SqlParams();
  const parts = await run(tracePartsSql(projectId, traceId, partsParams), partsParams);
  return { rows: (rows[0]?.[0] as string | null | undefined) ?? '', orphans: orphans as [string, string][], parts };
}

/** Spans by start time, then span id (the order trace reads answer in). */
export function byStart(a: { startTimeUnixNano: bigint; spanId: string }, b: { startTimeUnixNano: bigint; spanId: string }): number {
  if (a.startTimeUnixNano !== b.startTimeUnixNano) return a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1;
  return a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;
}

/** What the worker answers a 'readTrace' request with. */
export interface TraceRead {
  /** The trace's trace_parts rows of TRACE_WINDOW_COLUMNS: none when the trace is unknown. */
  window: unknown[][];
  /** The traceSpansSql rows as one text, comma-separated; null when the trace has no span in its window. */
  spans: string | null;
  /** Whether `spans` is in the order reads answer in (byStart): DuckDB sorts large traces only. */
  sorted: boolean;
  /**
   * The trace's trace_parts rows of TRACE_PART_READ_COLUMNS, for its summary: read when it has
   * more than SUMMARY_FROM_SPANS_MAX spans, or parts but no span in their window.
   */
  parts: unknown[][] | null;
}

/**
 * The worker's side of a trace read (the 'readTrace' request): the window from the trace's parts,
 * then its spans (and, for large traces, the rest of its parts), on one reader connection in one
 * round trip.
 */
export async function queryTrace(run: RunSql, keyFromSeq: bigint, view: TraceReadView, projectId: string, traceId: string): Promise<TraceRead> {
  return queryTraceIn(run, keyFromSeq, view, projectId, traceId, await queryWindow(run, projectId, traceId));
}

/** What the worker answers a 'readTraceTree' request with: a large trace's rows, or the spans of any other. */
export type TraceTreeRead = { rows: TraceRowsRead } | { read: TraceRead };

/**
 * The worker's side of the tree view ('readTraceTree'), in one round trip: for a trace of more
 * than SUMMARY_FROM_SPANS_MAX spans its rows as the API writes them (queryTraceRows), for any
 * other what queryTrace reads for the tree view.
 */
export async function queryTraceTree(run: RunSql, keyFromSeq: bigint, projectId: string, traceId: string): Promise<TraceTreeRead> {
  const window = await queryWindow(run, projectId, traceId);
  const where = traceWindowOfParts(window);
  if (where && spanCountOfParts(window) > SUMMARY_FROM_SPANS_MAX) return { rows: await queryTraceRows(run, keyFromSeq, projectId, traceId, where) };
  return { read: await queryTraceIn(run, keyFromSeq, 'tree', projectId, traceId, window) };
}

/** The trace's trace_parts rows of TRACE_WINDOW_COLUMNS (none when the trace is unknown). */
async function queryWindow(run: RunSql, projectId: string, traceId: string): Promise<unknown[][]> {
  const params = new SqlParams();
  return run(traceWindowSql(projectId, traceId, params), params);
}

/** queryTrace once the trace's window rows are read. */
async function queryTraceIn(run: RunSql, keyFromSeq: bigint, view: TraceReadView, projectId: string, traceId: string, window: unknown[][]): Promise<TraceRead> {
  const where = traceWindowOfParts(window);
  if (!where) return { window, spans: null, sorted: true, parts: null };
  const large = spanCountOfParts(window) > SUMMARY_FROM_SPANS_MAX;
  const spansParams = new SqlParams();
  const cells = await run(traceSpansSql(view, projectId, traceId, where, keyFromSeq, large, spansParams), spansParams);
  // Small traces: one text for the main thread to parse at once (a copy of its bytes crosses the
  // thread boundary instead of a string per span to clone), joined here.
  const spans = large ? ((cells[0]?.[0] as string | null | undefined) ?? null) : cells.length === 0 ? null : cells.map((cell) => cell[0] as string).join(',');
  if (spans !== null && !large) return { window, spans, sorted: false, parts: null };
  const partsParams = new SqlParams();
  return { window, spans, sorted: true, parts: await run(tracePartsSql(projectId, traceId, partsParams), partsParams) };
}

/**
 * The trace's summary: from its parts when the worker read them, else from its spans
 * (summarizeTraceSpans): `rows` as read, each with its batch_seq and rowid at `placePosition`,
 * and `partSpan(index)` the span decoded from rows[index].
 */
export function summaryOfTraceRead(
  traceId: string,
  read: TraceRead,
  rows: readonly unknown[][],
  placePosition: number,
  partSpan: (index: number) => PartSpan,
): TraceSummary | null {
  if (read.window.length === 0) return null;
  if (read.parts !== null) return summarizeTraceParts(traceId, read.parts)?.summary ?? null;
  const placed = rows.map((row, index): PlacedSpan => ({ seq: row[placePosition] as number, row: row[placePosition + 1] as number, span: partSpan(index) }));
  return summarizeTraceSpans(traceId, placed);
}

/** The tree view of what the worker read for it (a TraceRead of view 'tree'), detached event marks merged in. */
export async function readTraceTree(
  read: TraceRead,
  projectId: string,
  traceId: string,
  detachedMarks: Promise<Map<string, SpanEventMark[]>>,
): Promise<{ summary: TraceSummary; spans: TreeSpan[] } | null> {
  const rows = read.spans ? (JSON.parse(`[${read.spans}]`) as unknown[][]) : [];
  const spans = rows.map((row) => decodeTreeRow(projectId, traceId, row));
  const summary = summaryOfTraceRead(traceId, read, rows, TREE_PLACE_POSITION, (index) => ({ ...spans[index]!, receivedUnixNano: 0n }));
  if (!summary) return null;
  if (!read.sorted) spans.sort(byStart);
  mergeDetachedMarks(spans, await detachedMarks);
  return { summary, spans };
}

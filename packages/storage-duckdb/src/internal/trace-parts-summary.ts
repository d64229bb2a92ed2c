// One trace's summary and span window from its raw trace_parts rows, aggregated in JS with the
// rules of traceAggregateSql (trace-summary-sql.ts). A trace has a handful of parts, and
// selecting them costs a fraction of DuckDB's aggregate (~2 ms against ~6–9 ms at 1M spans,
// most of it the aggregate's fixed cost), which sat on the critical path of trace by id.

import type { DuckDBListValue } from '@duckdb/node-api';
import type { TraceSummary } from '@cairn/model';
import { MISSING_ROOT_NAME } from '@cairn/model';
import type { PartSpan, TracePart } from './trace-part.js';
import { buildTraceParts, tracePartCells } from './trace-part.js';

/** trace_parts columns summarizeTraceParts reads, in its order. */
export const TRACE_PART_READ_COLUMNS =
  'min_start_ns, max_start_ns, max_end_ns, has_root, root_name, root_service, first_service, span_count, error_count, ' +
  'llm_calls, tool_calls, input_tokens, output_tokens, cost_usd, models, agents, session_id, session_start_ns, user_id, user_start_ns, batch_seq';

/**
 * trace_parts columns traceWindowOfParts reads: enough to find the spans and count them, a
 * fraction of the full read.
 */
export const TRACE_WINDOW_COLUMNS = 'min_start_ns, max_start_ns, batch_seq, span_count';

/** Where a trace's spans are: start times in [from, to], written in batches minSeq..maxSeq. */
export interface TraceSpanWindow {
  from: bigint;
  to: bigint;
  minSeq: bigint;
  maxSeq: bigint;
}

function strings(value: unknown): readonly string[] {
  if (value === null) return [];
  return Array.isArray(value) ? (value as string[]) : ((value as DuckDBListValue).items as string[]);
}

/** DuckDB's round(x, 12): std::round(x · 10¹²) / 10¹² (half away from zero; costs are ≥ 0). */
function roundTo12(value: number): number {
  if (!Number.isFinite(value)) return value;
  const scaled = value * 1e12;
  return (scaled < 0 ? -Math.round(-scaled) : Math.round(scaled)) / 1e12;
}

/** arg_min(value, key) over the rows where value is wanted: the value of the smallest key. */
function argMin(rows: readonly unknown[][], value: number, key: number, wanted: (row: unknown[]) => boolean): unknown {
  let best: unknown[] | null = null;
  for (const row of rows) {
    if (!wanted(row)) continue;
    if (best === null || (row[key] as bigint) < (best[key] as bigint)) best = row;
  }
  return best === null ? null : best[value];
}

function sortedDistinct(rows: readonly unknown[][], index: number): string[] {
  const values = new Set<string>();
  for (const row of rows) for (const item of strings(row[index])) values.add(item);
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The summary and window of one trace from its rows of TRACE_PART_READ_COLUMNS; null without rows. */
export function summarizeTraceParts(traceId: string, rows: readonly unknown[][]): { summary: TraceSummary; window: TraceSpanWindow } | null {
  if (rows.length === 0) return null;
  let start = rows[0]![0] as bigint;
  let maxStart = rows[0]![1] as bigint;
  let end = rows[0]![2] as bigint;
  let minSeq = rows[0]![20] as bigint;
  let maxSeq = minSeq;
  let hasRoot = false;
  const totals = [0, 0, 0, 0, 0, 0, 0];
  for (const row of rows) {
    if ((row[0] as bigint) < start) start = row[0] as bigint;
    if ((row[1] as bigint) > maxStart) maxStart = row[1] as bigint;
    if ((row[2] as bigint) > end) end = row[2] as bigint;
    if ((row[20] as bigint) < minSeq) minSeq = row[20] as bigint;
    if ((row[20] as bigint) > maxSeq) maxSeq = row[20] as bigint;
    hasRoot ||= row[3] === true;
    for (let index = 0; index < totals.length; index++) totals[index]! += Number(row[7 + index] ?? 0);
  }
  const rootPart = (row: unknown[]) => row[3] === true;
  const summary: TraceSummary = {
    traceId,
    rootName: hasRoot ? (argMin(rows, 4, 0, rootPart) as string) : MISSING_ROOT_NAME,
    serviceName: hasRoot ? (argMin(rows, 5, 0, rootPart) as string) : (argMin(rows, 6, 0, () => true) as string),
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    spanCount: totals[0]!,
    errorCount: totals[1]!,
    llmCallCount: totals[2]!,
    toolCallCount: totals[3]!,
    inputTokens: totals[4]!,
    outputTokens: totals[5]!,
    costUsd: roundTo12(totals[6]!),
    models: sortedDistinct(rows, 14),
    agents: sortedDistinct(rows, 15),
    sessionId: argMin(rows, 16, 17, (row) => row[16] !== null) as string | null,
    userId: argMin(rows, 18, 19, (row) => row[18] !== null) as string | null,
    hasRoot,
  };
  return { summary, window: { from: start, to: maxStart, minSeq, maxSeq } };
}

/** How many spans the trace's rows of TRACE_WINDOW_COLUMNS count. */
export function spanCountOfParts(rows: readonly unknown[][]): number {
  let count = 0;
  for (const row of rows) count += Number(row[3]);
  return count;
}

/** The span window of one trace from its rows of TRACE_WINDOW_COLUMNS; null without rows. */
export function traceWindowOfParts(rows: readonly unknown[][]): TraceSpanWindow | null {
  if (rows.length === 0) return null;
  let [from, to, minSeq] = rows[0]! as [bigint, bigint, bigint];
  let maxSeq = minSeq;
  for (const row of rows) {
    const [start, maxStart, seq] = row as [bigint, bigint, bigint, number];
    if (start < from) from = start;
    if (maxStart > to) to = maxStart;
    if (seq < minSeq) minSeq = seq;
    if (seq > maxSeq) maxSeq = seq;
  }
  return { from, to, minSeq, maxSeq };
}

/** A stored span with where it sits: its write (batch_seq) and its row's place in the table (rowid). */
export interface PlacedSpan {
  seq: number;
  row: number;
  span: PartSpan;
}

/**
 * A built part as a row of TRACE_PART_READ_COLUMNS (lists as arrays): its trace_parts cells
 * (tracePartCells) without the ids and the columns summaries do not read.
 */
function partReadRow(part: TracePart, seq: number): unknown[] {
  const cells = tracePartCells(part, BigInt(seq));
  // min_start_ns … agents, then session_id … batch_seq (tools, services, span_types and providers skipped).
  return [...cells.slice(2, 18), ...cells.slice(22, 27)];
}

/**
 * The summary of one trace from its stored spans, equal to summarizeTraceParts of its trace_parts
 * rows: the write path built one part per (trace, write) of the spans in the order it appended
 * them, so the spans are grouped by write and taken in row order, and each group goes through
 * the same builder (the sums of doubles then add up in the same order). Trace reads select the
 * spans anyway; reading only the parts' window columns saves ~2 ms of DuckDB fetching the rest
 * of the parts' columns at 5M spans. It costs ~1–3 µs per span, so large traces take their
 * summary from the parts (queryTrace). null without spans.
 */
export function summarizeTraceSpans(traceId: string, spans: readonly PlacedSpan[]): TraceSummary | null {
  if (spans.length === 0) return null;
  const inRowOrder = [...spans].sort((a, b) => a.row - b.row);
  const bySeq = new Map<number, PartSpan[]>();
  for (const { seq, span } of inRowOrder) {
    const group = bySeq.get(seq);
    if (group) group.push(span);
    else bySeq.set(seq, [span]);
  }
  const rows: unknown[][] = [];
  for (const [seq, group] of bySeq) for (const part of buildTraceParts(group)) rows.push(partReadRow(part, seq));
  return summarizeTraceParts(traceId, rows)?.summary ?? null;
}

// Any table as CSV (RFC 4180: CRLF rows, fields quoted when they hold a comma, quote or line
// break). Cells that a spreadsheet would run as a formula (= + - @ at the start) get a leading
// apostrophe: span names and user ids are attacker-controlled text.

import type { ApiTraceSummary } from '../api/api-types.js';

export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | null | undefined;
}

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const lines = [columns.map((column) => cell(column.header)).join(',')];
  for (const row of rows) lines.push(columns.map((column) => cell(column.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export const TRACE_CSV_COLUMNS: readonly CsvColumn<ApiTraceSummary>[] = [
  { header: 'trace_id', value: (trace) => trace.traceId },
  { header: 'start_time', value: (trace) => trace.startTime },
  { header: 'root_name', value: (trace) => trace.rootName },
  { header: 'service', value: (trace) => trace.serviceName },
  { header: 'agents', value: (trace) => trace.agents.join(' ') },
  { header: 'models', value: (trace) => trace.models.join(' ') },
  { header: 'duration_ms', value: (trace) => trace.durationMs },
  { header: 'spans', value: (trace) => trace.spanCount },
  { header: 'errors', value: (trace) => trace.errorCount },
  { header: 'input_tokens', value: (trace) => trace.inputTokens },
  { header: 'output_tokens', value: (trace) => trace.outputTokens },
  { header: 'cost_usd', value: (trace) => trace.costUsd },
  { header: 'session_id', value: (trace) => trace.sessionId },
  { header: 'user_id', value: (trace) => trace.userId },
];

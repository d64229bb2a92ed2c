// Columns of the dashboard's per-group table, shared by the table and its CSV export.

import type { ApiMetricsRow } from '../api/api-types.js';
import type { CsvColumn } from './csv.js';
import { NO_KEY_LABEL } from './metrics-chart.js';

export const METRICS_CSV_COLUMNS: readonly CsvColumn<ApiMetricsRow>[] = [
  { header: 'key', value: (row) => row.key ?? NO_KEY_LABEL },
  { header: 'calls', value: (row) => row.calls },
  { header: 'errors', value: (row) => row.errors },
  { header: 'error_rate', value: (row) => row.errorRate },
  { header: 'input_tokens', value: (row) => row.inputTokens },
  { header: 'output_tokens', value: (row) => row.outputTokens },
  { header: 'cost_usd', value: (row) => row.costUsd },
  { header: 'p50_ms', value: (row) => row.p50Ms },
  { header: 'p95_ms', value: (row) => row.p95Ms },
  { header: 'p99_ms', value: (row) => row.p99Ms },
];

/** Rows with the most calls first (then tokens), and the window's totals over them. */
export function sortMetricsRows(rows: readonly ApiMetricsRow[]): ApiMetricsRow[] {
  return [...rows].sort((a, b) => b.calls - a.calls || b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens) || String(a.key).localeCompare(String(b.key)));
}

export function metricsTotals(rows: readonly ApiMetricsRow[]): { calls: number; errors: number; tokens: number; costUsd: number } {
  let calls = 0;
  let errors = 0;
  let tokens = 0;
  let costUsd = 0;
  for (const row of rows) {
    calls += row.calls;
    errors += row.errors;
    tokens += row.inputTokens + row.outputTokens;
    costUsd += row.costUsd;
  }
  return { calls, errors, tokens, costUsd };
}

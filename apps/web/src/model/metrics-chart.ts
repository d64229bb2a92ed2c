// Metrics rows → chart series: one line per group over every time bucket of the window (empty
// buckets are 0 for counts and sums, gaps for rates and percentiles), the top groups by calls.

import type { ApiMetricsRow } from '../api/api-types.js';

export const MEASURES = [
  { id: 'tokens', label: 'Tokens', additive: true },
  { id: 'costUsd', label: 'Cost (USD)', additive: true },
  { id: 'calls', label: 'Calls', additive: true },
  { id: 'errorRate', label: 'Error rate', additive: false },
  { id: 'p50Ms', label: 'Latency p50 (ms)', additive: false },
  { id: 'p95Ms', label: 'Latency p95 (ms)', additive: false },
  { id: 'p99Ms', label: 'Latency p99 (ms)', additive: false },
] as const;
export type Measure = (typeof MEASURES)[number]['id'];

export interface ChartSeries {
  key: string | null;
  label: string;
  values: (number | null)[];
}

export interface ChartData {
  /** Bucket starts, epoch milliseconds, ascending. */
  bucketsMs: number[];
  series: ChartSeries[];
  /** Largest value of any series (0 when there is none). */
  maxValue: number;
}

export const NO_KEY_LABEL = '(none)';

export function measureValue(row: Pick<ApiMetricsRow, 'calls' | 'errors' | 'inputTokens' | 'outputTokens' | 'costUsd' | 'p50Ms' | 'p95Ms' | 'p99Ms'>, measure: Measure): number | null {
  switch (measure) {
    case 'tokens':
      return row.inputTokens + row.outputTokens;
    case 'costUsd':
      return row.costUsd;
    case 'calls':
      return row.calls;
    case 'errorRate':
      return row.calls === 0 ? null : row.errors / row.calls;
    default:
      return row[measure];
  }
}

/** Bucket starts covering [fromMs, toMs), aligned to the interval like the server's (UTC). */
export function bucketStarts(fromMs: number, toMs: number, intervalMs: number): number[] {
  const starts: number[] = [];
  for (let start = Math.floor(fromMs / intervalMs) * intervalMs; start < toMs; start += intervalMs) starts.push(start);
  return starts;
}

export function buildChartData(rows: readonly ApiMetricsRow[], measure: Measure, window: { fromMs: number; toMs: number; intervalMs: number }, maxSeries = 6): ChartData {
  const bucketsMs = bucketStarts(window.fromMs, window.toMs, window.intervalMs);
  const index = new Map(bucketsMs.map((start, position) => [start, position]));
  const additive = MEASURES.find((entry) => entry.id === measure)!.additive;
  // Ranked by calls, then tokens (under agent, model calls outside any agent have tokens only).
  const weight = new Map<string | null, [number, number]>();
  for (const row of rows) {
    const [calls, tokens] = weight.get(row.key) ?? [0, 0];
    weight.set(row.key, [calls + row.calls, tokens + row.inputTokens + row.outputTokens]);
  }
  const keys = [...weight.entries()]
    .sort((a, b) => b[1][0] - a[1][0] || b[1][1] - a[1][1] || String(a[0]).localeCompare(String(b[0])))
    .slice(0, maxSeries)
    .map(([key]) => key);
  let maxValue = 0;
  const series = keys.map((key) => {
    const values: (number | null)[] = bucketsMs.map(() => (additive ? 0 : null));
    for (const row of rows) {
      if (row.key !== key || row.bucket === undefined) continue;
      const position = index.get(Date.parse(row.bucket));
      if (position === undefined) continue;
      const value = measureValue(row, measure);
      values[position] = value;
      if (value !== null && value > maxValue) maxValue = value;
    }
    return { key, label: key ?? NO_KEY_LABEL, values };
  });
  return { bucketsMs, series, maxValue };
}

/** About `count` round tick values from 0 to at least `max` (1, 2, 2.5, 5 × 10^n steps). */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= raw)!;
  const ticks: number[] = [];
  for (let value = 0; value < max + step * 0.999; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

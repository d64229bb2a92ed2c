// The dashboard's state as it lives in the URL (range, grouping and the trace-list
// filters) and the query-API requests it makes.

import type { ApiMetricsGroupBy, ApiMetricsInterval } from '../api/api-types.js';
import { resolveTimeRange, TIME_RANGE_PRESETS } from './time-range.js';
import { filtersFromSearch, filtersToApiQuery, filtersToSearch, type TraceFilters } from './trace-filters.js';

export const GROUP_BY_OPTIONS: readonly { id: ApiMetricsGroupBy; label: string }[] = [
  { id: 'model', label: 'Model' },
  { id: 'provider', label: 'Provider' },
  { id: 'agent', label: 'Agent' },
  { id: 'tool', label: 'Tool' },
  { id: 'promptVersion', label: 'Prompt version' },
  { id: 'service', label: 'Service' },
  { id: 'user', label: 'User' },
];

export interface DashboardState {
  filters: TraceFilters;
  groupBy: ApiMetricsGroupBy;
}

const INTERVAL_MS: Record<ApiMetricsInterval, number> = { '1m': 60_000, '1h': 3_600_000, '1d': 86_400_000 };

/** Bucket width for a range: at most a few hundred points per line. */
export function intervalForRange(rangeId: string): { interval: ApiMetricsInterval; intervalMs: number } {
  const durationMs = (TIME_RANGE_PRESETS.find((preset) => preset.id === rangeId) ?? { durationMs: 86_400_000 }).durationMs;
  const interval: ApiMetricsInterval = durationMs <= 6 * 3_600_000 ? '1m' : durationMs <= 7 * 86_400_000 ? '1h' : '1d';
  return { interval, intervalMs: INTERVAL_MS[interval] };
}

export function dashboardFromSearch(search: URLSearchParams): DashboardState {
  const groupBy = GROUP_BY_OPTIONS.find((option) => option.id === search.get('groupBy'))?.id ?? 'model';
  return { filters: filtersFromSearch(search), groupBy };
}

export function dashboardToSearch(state: DashboardState): URLSearchParams {
  const search = filtersToSearch(state.filters);
  search.delete('sort');
  if (state.groupBy !== 'model') search.set('groupBy', state.groupBy);
  return search;
}

/** The trace-list filters and window as API parameters (no paging, no sort). */
export function filterApiQuery(filters: TraceFilters, nowMs: number): URLSearchParams {
  const query = filtersToApiQuery(filters, nowMs, null);
  query.delete('sort');
  query.delete('limit');
  return query;
}

/** GET /api/v1/metrics parameters: bucketed for the charts, or per group for the table. */
export function metricsApiQuery(state: DashboardState, nowMs: number, bucketed: boolean): URLSearchParams {
  const query = filterApiQuery(state.filters, nowMs);
  query.set('groupBy', state.groupBy);
  if (bucketed) query.set('interval', intervalForRange(state.filters.range).interval);
  return query;
}

/** The chart window matching metricsApiQuery's from/to. */
export function chartWindow(state: DashboardState, nowMs: number): { fromMs: number; toMs: number; intervalMs: number } {
  const { fromMs, toMs } = resolveTimeRange(state.filters.range, nowMs);
  return { fromMs, toMs, intervalMs: intervalForRange(state.filters.range).intervalMs };
}

/** The trace list narrowed to one finding kind, keeping the dashboard's filters and range. */
export function traceListHrefForFinding(filters: TraceFilters, kind: string): string {
  const search = filtersToSearch({ ...filters, text: { ...filters.text, finding: kind } });
  return `/traces?${search.toString()}`;
}

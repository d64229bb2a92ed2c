// The trace list's state as it lives in the URL (so a view can be shared) and as it is sent to
// the query API. Only known keys are read back from a URL; empty values are dropped.

import { DEFAULT_TIME_RANGE, resolveTimeRange } from './time-range.js';

/** Text filters passed through to GET /api/v1/traces under the same names. */
export const TEXT_FILTER_KEYS = ['q', 'service', 'name', 'model', 'provider', 'agent', 'tool', 'spanType', 'sessionId', 'userId', 'finding'] as const;
export type TextFilterKey = (typeof TEXT_FILTER_KEYS)[number];

export const SORT_FIELDS = ['startTime', 'duration', 'tokens', 'cost'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export interface TraceSort {
  field: SortField;
  descending: boolean;
}

export interface TraceFilters {
  range: string;
  text: Partial<Record<TextFilterKey, string>>;
  status: 'error' | 'ok' | null;
  minDurationMs: number | null;
  sort: TraceSort;
  /** Raw attribute equality (attr.<key>=<value> in the URL and the API); one in the filter bar. */
  attribute: AttributeFilter | null;
}

export interface AttributeFilter {
  key: string;
  value: string;
}

const ATTRIBUTE_PREFIX = 'attr.';

export const DEFAULT_SORT: TraceSort = { field: 'startTime', descending: true };

export function emptyFilters(): TraceFilters {
  return { range: DEFAULT_TIME_RANGE, text: {}, status: null, minDurationMs: null, sort: DEFAULT_SORT, attribute: null };
}

function parseSort(value: string | null): TraceSort {
  if (!value) return DEFAULT_SORT;
  const descending = value.startsWith('-');
  const field = (descending ? value.slice(1) : value) as SortField;
  return SORT_FIELDS.includes(field) ? { field, descending } : DEFAULT_SORT;
}

function formatSort(sort: TraceSort): string {
  return `${sort.descending ? '-' : ''}${sort.field}`;
}

export function filtersFromSearch(search: URLSearchParams): TraceFilters {
  const filters = emptyFilters();
  filters.range = search.get('range') || DEFAULT_TIME_RANGE;
  for (const key of TEXT_FILTER_KEYS) {
    const value = search.get(key)?.trim();
    if (value) filters.text[key] = value;
  }
  const status = search.get('status');
  filters.status = status === 'error' || status === 'ok' ? status : null;
  const minDuration = Number(search.get('minDurationMs'));
  filters.minDurationMs = search.has('minDurationMs') && Number.isFinite(minDuration) && minDuration > 0 ? minDuration : null;
  filters.sort = parseSort(search.get('sort'));
  for (const [name, value] of search) {
    const key = name.startsWith(ATTRIBUTE_PREFIX) ? name.slice(ATTRIBUTE_PREFIX.length) : '';
    if (key !== '' && value.trim() !== '') {
      filters.attribute = { key, value: value.trim() };
      break;
    }
  }
  return filters;
}

/** The page URL's query string: only what differs from the defaults, in a stable order. */
export function filtersToSearch(filters: TraceFilters): URLSearchParams {
  const search = new URLSearchParams();
  if (filters.range !== DEFAULT_TIME_RANGE) search.set('range', filters.range);
  for (const key of TEXT_FILTER_KEYS) {
    const value = filters.text[key]?.trim();
    if (value) search.set(key, value);
  }
  if (filters.status) search.set('status', filters.status);
  if (filters.minDurationMs !== null) search.set('minDurationMs', String(filters.minDurationMs));
  if (filters.sort.field !== DEFAULT_SORT.field || filters.sort.descending !== DEFAULT_SORT.descending) search.set('sort', formatSort(filters.sort));
  if (filters.attribute) search.set(ATTRIBUTE_PREFIX + filters.attribute.key, filters.attribute.value);
  return search;
}

/** Query parameters for GET /api/v1/traces, with the time range resolved against `nowMs`. */
export function filtersToApiQuery(filters: TraceFilters, nowMs: number, cursor: string | null, limit = 50): URLSearchParams {
  const { fromMs, toMs } = resolveTimeRange(filters.range, nowMs);
  const query = new URLSearchParams({ from: String(fromMs), to: String(toMs) });
  for (const key of TEXT_FILTER_KEYS) {
    const value = filters.text[key]?.trim();
    if (value) query.set(key, value);
  }
  if (filters.status) query.set('status', filters.status);
  if (filters.minDurationMs !== null) query.set('minDurationMs', String(filters.minDurationMs));
  if (filters.attribute) query.set(ATTRIBUTE_PREFIX + filters.attribute.key, filters.attribute.value);
  query.set('sort', formatSort(filters.sort));
  query.set('limit', String(limit));
  if (cursor !== null) query.set('cursor', cursor);
  return query;
}

/** Clicking a column header: a new field sorts descending first; the same field flips. */
export function toggleSort(current: TraceSort, field: SortField): TraceSort {
  return current.field === field ? { field, descending: !current.descending } : { field, descending: true };
}

export function activeFilterCount(filters: TraceFilters): number {
  return Object.values(filters.text).filter((value) => value && value.trim() !== '').length + (filters.status ? 1 : 0) + (filters.minDurationMs !== null ? 1 : 0) + (filters.attribute ? 1 : 0);
}

// What the trace list's filter inputs suggest, from the attribute catalog (GET /api/v1/attributes):
// the query for one input over the list's time range, and the suggestions worth showing.

import type { ApiAttributeCatalog } from '../api/api-types.js';
import { resolveTimeRange } from './time-range.js';

/** Which catalog list an input suggests from: a filter field's values, attribute keys, or one key's values. */
export type SuggestionSource = { field: 'model' | 'agent' | 'tool' | 'service' | 'provider' | 'name' } | { attributeKeys: true } | { attributeKey: string };

export const SUGGESTION_LIMIT = 12;

/** Query parameters for the catalog: the list's window, what to list, and the typed prefix. */
export function suggestionQuery(source: SuggestionSource, range: string, nowMs: number, typed: string): URLSearchParams {
  const { fromMs, toMs } = resolveTimeRange(range, nowMs);
  const query = new URLSearchParams({ from: String(fromMs), to: String(toMs), limit: String(SUGGESTION_LIMIT) });
  if ('field' in source) query.set('field', source.field);
  else if ('attributeKey' in source) query.set('key', source.attributeKey);
  const prefix = typed.trim();
  if (prefix !== '') query.set('prefix', prefix);
  return query;
}

/** Values to offer: what the catalog found, minus an exact match of what is typed already. */
export function suggestionsOf(catalog: ApiAttributeCatalog, typed: string): string[] {
  const exact = typed.trim();
  return catalog.entries.map((entry) => entry.value).filter((value) => value !== exact);
}

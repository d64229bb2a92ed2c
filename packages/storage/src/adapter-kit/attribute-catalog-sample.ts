// Counting attribute keys and values over a sample of stored attribute texts (the stored JSON
// form, @cairn/model attribute-json), the same way in every adapter: the SQL only picks the
// sample, so engines without JSON functions (ClickHouse 18.16) answer like DuckDB.

import type { AttributeCatalog, CatalogEntry, CatalogField } from '../attribute-catalog.js';

/** Span column of each promoted field in both adapters' spans tables; `name` is the root span name, as the trace list filters it. */
export const CATALOG_FIELD_COLUMNS: Record<CatalogField, string> = {
  model: 'model',
  provider: 'provider',
  agent: 'agent_name',
  tool: 'tool_name',
  service: 'service_name',
  spanType: 'span_type',
  name: 'name',
};

/** AttributeCatalogQuery.limit clamped to its documented 1..200. */
export function clampCatalogLimit(limit: number): number {
  return Math.max(1, Math.min(200, Math.trunc(limit)));
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * A stored value as attr.<key>=<value> compares it (attribute-needles.ts): strings as-is, ints
 * in decimal, booleans, finite doubles as String(); null for values no equality filter matches
 * well (arrays, maps, bytes, non-finite doubles).
 */
function filterText(value: Json | undefined): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return String(value);
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.$int === 'string' && Object.keys(value).length === 1) return value.$int;
  return null;
}

function parseObject(text: string): Record<string, Json> | null {
  if (text === '' || text === '{}') return null;
  try {
    const parsed = JSON.parse(text) as Json;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Entries by count (descending), then value; at most `limit`, only those starting with `prefix`. */
export function topCatalogEntries(counts: ReadonlyMap<string, number>, limit: number, prefix?: string): CatalogEntry[] {
  const needle = prefix?.toLowerCase() ?? '';
  const entries: CatalogEntry[] = [];
  for (const [value, count] of counts) {
    if (needle === '' || value.toLowerCase().startsWith(needle)) entries.push({ value, count });
  }
  entries.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return entries.slice(0, Math.max(1, Math.min(200, Math.trunc(limit))));
}

/**
 * Keys (no `key`) or the values of `key` over the sampled attribute texts. Each span counts a
 * key or value once.
 */
export function catalogFromAttributeTexts(texts: readonly string[], options: { key?: string; prefix?: string; limit: number }): AttributeCatalog {
  const counts = new Map<string, number>();
  for (const text of texts) {
    const attributes = parseObject(text);
    if (attributes === null) continue;
    if (options.key === undefined) {
      for (const key of Object.keys(attributes)) counts.set(key, (counts.get(key) ?? 0) + 1);
      continue;
    }
    const value = filterText(attributes[options.key]);
    if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return { entries: topCatalogEntries(counts, options.limit, options.prefix), sampledSpans: texts.length };
}

// The attribute catalog behind the trace list's filter suggestions: which raw attribute keys
// spans carry in a time window, and the most frequent values of one key or of a promoted field
// (model, agent, …). Raw attributes are read from a sample of the window's newest spans, so the
// answer costs about the same at 1M or 100M spans; promoted fields are single columns, counted
// over every span of the window.

/** Promoted span fields the trace list filters on, each a column of the spans table. */
export const CATALOG_FIELDS = ['model', 'provider', 'agent', 'tool', 'service', 'spanType', 'name'] as const;
export type CatalogField = (typeof CATALOG_FIELDS)[number];

export interface AttributeCatalogQuery {
  projectId: string;
  /** Spans that started in [fromUnixNano, toUnixNano). */
  fromUnixNano: bigint;
  toUnixNano: bigint;
  /** Values of this raw attribute key (rendered as text, as attr.<key>= compares them). */
  key?: string;
  /** Values of this promoted field instead (ignored when key is set). */
  field?: CatalogField;
  /** Only entries that start with this text (case-insensitive). */
  prefix?: string;
  /** Most entries returned, 1..200. */
  limit: number;
}

export interface CatalogEntry {
  /** An attribute key (no key or field asked) or a value. */
  value: string;
  /** Spans that carry it: in the sample for raw attributes, in the window for promoted fields. */
  count: number;
}

export interface AttributeCatalog {
  /** Most frequent first, then by value. */
  entries: CatalogEntry[];
  /** How many spans were looked at (the sample size); 0 when the window is empty. */
  sampledSpans: number;
}

/** How many of the window's newest spans a store looks at for raw attribute keys. */
export const CATALOG_SAMPLE_SPANS = 2_000;
/**
 * How many of the window's newest spans a store looks at for one key's values (those that carry
 * the key are counted): more than for keys, since a key may be on few spans; DuckDB's top-N over
 * start_ns stays cheap up to about this size (~15 ms at 1M spans, ~10× that at 10,000).
 */
export const CATALOG_VALUE_SAMPLE_SPANS = 5_000;

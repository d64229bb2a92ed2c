// GET /api/v1/attributes: the attribute catalog behind the trace list's filter suggestions.
// Without key or field: raw attribute keys seen in the window; with key=<attribute key>: its
// most frequent values; with field=model|agent|…: the most frequent values of that filter.

import { CATALOG_FIELDS, type TraceStore } from '@cairn/storage';
import { z } from 'zod';
import { component, count } from './api-schemas.js';
import { parseQuery, resolveWindow } from './parse-query.js';
import { pageParams } from './query-params.js';

export const attributeCatalogParams = z.strictObject({
  from: pageParams.from,
  to: pageParams.to,
  key: z.string().min(1, { error: 'must not be empty' }).max(256).optional().describe('A raw attribute key: list its most frequent values (as attr.<key>= compares them).'),
  field: z.enum(CATALOG_FIELDS).optional().describe('A trace-list filter: list its most frequent values (name: root span names).'),
  prefix: z.string().max(256).optional().describe('Only keys or values that start with this text, case-insensitive.'),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(1, { error: 'must be at least 1' })
    .max(200, { error: 'must be at most 200' })
    .default(20)
    .describe('Most entries returned, 1 to 200.'),
});

export const ApiAttributeCatalog = component(
  z.object({
    key: z.string().nullable().describe('The attribute key asked for, or null.'),
    field: z.enum(CATALOG_FIELDS).nullable().describe('The filter field asked for, or null.'),
    entries: z
      .array(z.object({ value: z.string().describe('An attribute key, or a value.'), count: count.describe('Spans carrying it.') }))
      .describe('Most frequent first.'),
    sampledSpans: count.describe('Spans looked at: raw attribute keys are read from the window\'s newest 2,000 spans, a key\'s values from those of the newest 5,000 that carry it; fields from every span of the window.'),
  }),
  'AttributeCatalog',
  'Attribute keys, or the most frequent values of a key or filter field, seen in a time window.',
);

export type ApiAttributeCatalogRecord = z.output<typeof ApiAttributeCatalog>;

export async function getAttributeCatalog({ store, projectId }: { store: TraceStore; projectId: string }, search: URLSearchParams): Promise<ApiAttributeCatalogRecord> {
  const { params } = parseQuery(attributeCatalogParams, search, { attributes: false });
  const catalog = await store.catalogAttributes({
    projectId,
    ...resolveWindow(params.from, params.to),
    key: params.key,
    field: params.key === undefined ? params.field : undefined,
    prefix: params.prefix === '' ? undefined : params.prefix,
    limit: params.limit,
  });
  return { key: params.key ?? null, field: params.key === undefined ? (params.field ?? null) : null, entries: catalog.entries, sampledSpans: catalog.sampledSpans };
}

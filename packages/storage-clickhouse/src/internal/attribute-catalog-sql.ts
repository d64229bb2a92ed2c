// The attribute catalog (trace list filter suggestions) in ClickHouse: raw attribute keys and
// values from the window's newest spans (CATALOG_SAMPLE_SPANS, CATALOG_VALUE_SAMPLE_SPANS), counted by adapter-kit in JS (18.16
// has no JSON key functions); promoted fields grouped over the whole window in SQL.

import type { AttributeCatalog, AttributeCatalogQuery } from '@cairn/storage';
import { CATALOG_SAMPLE_SPANS, CATALOG_VALUE_SAMPLE_SPANS } from '@cairn/storage';
import { CATALOG_FIELD_COLUMNS, catalogFromAttributeTexts, clampCatalogLimit } from '@cairn/storage/adapter-kit';
import { text, uint64 } from './sql-literal.js';

type Row = unknown[];
type RunSql = (sql: string) => Promise<Row[]>;

export async function catalogAttributes(run: RunSql, spansTable: string, query: AttributeCatalogQuery): Promise<AttributeCatalog> {
  const window = `project_id = ${text(query.projectId)} AND start_ns >= ${uint64(query.fromUnixNano)} AND start_ns < ${uint64(query.toUnixNano)}`;
  if (query.key === undefined && query.field !== undefined) {
    const column = CATALOG_FIELD_COLUMNS[query.field];
    const rootOnly = query.field === 'name' ? ` AND parent_span_id = ''` : '';
    const prefix = query.prefix ? ` AND startsWith(lowerUTF8(assumeNotNull(${column})), ${text(query.prefix.toLowerCase())})` : '';
    const rows = await run(
      `SELECT value, spans FROM (
         SELECT assumeNotNull(${column}) AS value, count() AS spans FROM ${spansTable}
         WHERE ${window} AND isNotNull(${column}) AND assumeNotNull(${column}) != ''${rootOnly}${prefix}
         GROUP BY value
       ) ORDER BY spans DESC, value LIMIT ${clampCatalogLimit(query.limit)}`,
    );
    const totals = await run(
      `SELECT count() FROM ${spansTable} WHERE ${window} AND isNotNull(${column}) AND assumeNotNull(${column}) != ''${rootOnly}${prefix}`,
    );
    return { entries: rows.map((row) => ({ value: row[0] as string, count: Number(row[1]) })), sampledSpans: Number(totals[0]?.[0] ?? 0) };
  }
  // The window's newest spans: the start time they reach back to first (start_ns alone), then
  // the attributes of the spans since then, so only that slice's attributes are read.
  const sampleSize = query.key === undefined ? CATALOG_SAMPLE_SPANS : CATALOG_VALUE_SAMPLE_SPANS;
  const edge = await run(`SELECT toString(min(start_ns)), count() FROM (SELECT start_ns FROM ${spansTable} WHERE ${window} ORDER BY start_ns DESC LIMIT ${sampleSize})`);
  if (Number(edge[0]?.[1] ?? 0) === 0) return { entries: [], sampledSpans: 0 };
  const since = BigInt(edge[0]![0] as string);
  const withKey = query.key === undefined ? '' : ` AND position(attributes, ${text(`${JSON.stringify(query.key)}:`)}) > 0`;
  const rows = await run(
    `SELECT attributes FROM ${spansTable}
     WHERE project_id = ${text(query.projectId)} AND start_ns >= ${uint64(since)} AND start_ns < ${uint64(query.toUnixNano)}${withKey}
     LIMIT ${sampleSize}`,
  );
  return catalogFromAttributeTexts(
    rows.map((row) => row[0] as string),
    { key: query.key, prefix: query.prefix, limit: query.limit },
  );
}

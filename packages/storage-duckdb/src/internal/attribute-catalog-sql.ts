// The attribute catalog (trace list filter suggestions) in DuckDB. Raw attribute keys and values
// come from the window's newest spans (CATALOG_SAMPLE_SPANS, CATALOG_VALUE_SAMPLE_SPANS: a top-N
// on start_ns, so only those rows' attributes are decompressed), counted in JS by adapter-kit;
// promoted fields are one column each, grouped over the whole window.

import type { AttributeCatalog, AttributeCatalogQuery } from '@cairn/storage';
import { CATALOG_SAMPLE_SPANS, CATALOG_VALUE_SAMPLE_SPANS } from '@cairn/storage';
import { CATALOG_FIELD_COLUMNS, catalogFromAttributeTexts, clampCatalogLimit } from '@cairn/storage/adapter-kit';
import { SqlParams } from './sql-params.js';

type Row = unknown[];
type RunSql = (sql: string, params: SqlParams) => Promise<Row[]>;

/** `text` with LIKE's wildcards escaped (ESCAPE '\'). */
function likePrefix(text: string): string {
  return `${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export async function catalogAttributes(run: RunSql, query: AttributeCatalogQuery): Promise<AttributeCatalog> {
  const params = new SqlParams();
  const window = `project_id = ${params.text(query.projectId)} AND start_ns >= ${params.bigint(query.fromUnixNano)} AND start_ns < ${params.bigint(query.toUnixNano)}`;
  if (query.key === undefined && query.field !== undefined) {
    const column = CATALOG_FIELD_COLUMNS[query.field];
    const rootOnly = query.field === 'name' ? ' AND parent_span_id IS NULL' : '';
    const prefix = query.prefix ? ` AND lower(${column}) LIKE ${params.text(likePrefix(query.prefix))} ESCAPE '\\'` : '';
    const rows = await run(
      `SELECT ${column}, count(*)::DOUBLE AS spans, sum(count(*)) OVER ()::DOUBLE FROM spans
       WHERE ${window} AND ${column} IS NOT NULL AND ${column} <> ''${rootOnly}${prefix}
       GROUP BY ${column} ORDER BY spans DESC, ${column} LIMIT ${clampCatalogLimit(query.limit)}`,
      params,
    );
    return {
      entries: rows.map((row) => ({ value: row[0] as string, count: row[1] as number })),
      sampledSpans: rows.length === 0 ? 0 : (rows[0]![2] as number),
    };
  }
  // The sample is the window's newest spans: first the start time it reaches back to (a top-N
  // over start_ns alone), then the attributes of the spans since then (zone maps keep the scan
  // to that slice). Sorting the attributes themselves would read every one in the window.
  const sampleSize = query.key === undefined ? CATALOG_SAMPLE_SPANS : CATALOG_VALUE_SAMPLE_SPANS;
  const edge = await run(`SELECT min(start_ns) FROM (SELECT start_ns FROM spans WHERE ${window} ORDER BY start_ns DESC LIMIT ${sampleSize})`, params);
  const since = edge[0]?.[0] as bigint | null | undefined;
  if (since === null || since === undefined) return { entries: [], sampledSpans: 0 };
  const sliceParams = new SqlParams();
  const withKey = query.key === undefined ? '' : ` AND contains(attributes, ${sliceParams.text(`${JSON.stringify(query.key)}:`)})`;
  const rows = await run(
    `SELECT attributes FROM spans
     WHERE project_id = ${sliceParams.text(query.projectId)} AND start_ns >= ${sliceParams.bigint(since)} AND start_ns < ${sliceParams.bigint(query.toUnixNano)}${withKey}
     LIMIT ${sampleSize}`,
    sliceParams,
  );
  return catalogFromAttributeTexts(
    rows.map((row) => row[0] as string),
    { key: query.key, prefix: query.prefix, limit: query.limit },
  );
}

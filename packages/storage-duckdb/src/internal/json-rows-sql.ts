// Many rows as one SQL parameter: a JSON array unnested into typed columns (DuckDB's from_json),
// for UPDATE … FROM and INSERT … SELECT on the writer connection; and where given traces' spans are.

import { SqlParams } from './sql-params.js';

type Row = unknown[];
type RunSql = (sql: string, params: SqlParams) => Promise<Row[]>;

/** Rows as one JSON parameter, unnested into columns: `SELECT unnest(from_json(…))`. */
export function jsonRowsSql(params: SqlParams, columns: readonly (readonly [string, string])[], rows: readonly Record<string, unknown>[]): string {
  const structure = `[{${columns.map(([name, type]) => `"${name}":"${type}"`).join(',')}}]`;
  // BIGINTs travel as strings (every digit kept), non-finite doubles as "NaN" / "Infinity".
  const json = JSON.stringify(rows, (_key, value: unknown) =>
    typeof value === 'bigint' || (typeof value === 'number' && !Number.isFinite(value)) ? String(value) : value,
  );
  return `SELECT unnest(from_json(${params.text(json)}::JSON, ${params.text(structure)}), recursive := true)`;
}

/** Where the given traces' spans are: start times and batches (from trace_parts), or null. */
export async function tracesWindow(run: RunSql, traceIds: readonly string[]): Promise<{ params: SqlParams; where: string } | null> {
  const params = new SqlParams();
  const rows = await run(
    `SELECT min(min_start_ns), max(max_start_ns), min(batch_seq), max(batch_seq) FROM trace_parts
     WHERE trace_id IN (SELECT unnest(${params.textList(traceIds)}))`,
    params,
  );
  const [minStart, maxStart, minSeq, maxSeq] = rows[0] as [bigint | null, bigint | null, bigint | null, bigint | null];
  if (minStart === null || maxStart === null || minSeq === null || maxSeq === null) return null;
  const window = new SqlParams();
  return {
    params: window,
    where: `spans.batch_seq >= ${window.bigint(minSeq)} AND spans.batch_seq <= ${window.bigint(maxSeq)}
      AND spans.start_ns >= ${window.bigint(minStart)} AND spans.start_ns <= ${window.bigint(maxStart)}`,
  };
}

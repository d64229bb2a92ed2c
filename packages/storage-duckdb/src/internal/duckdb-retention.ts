// Retention on the DuckDB store: whole traces whose every span started before their project's
// cutoff are deleted from every table keyed by (project_id, trace_id), in one transaction, then
// a CHECKPOINT hands the freed blocks back to the file.
//
// trace_parts (small) decides: a trace is expired when max(max_start_ns) over its parts is
// before the cutoff. The tables to delete from are found in the catalog, not listed here, so a
// table added later with project_id and trace_id columns (live spans, say) is covered too.
// Rows whose trace has no parts at all (events or live snapshots whose spans never arrived) go
// when their own time column is before the cutoff.
//
// Disk: DuckDB marks the deleted rows' blocks free at the checkpoint. The file shrinks only when
// the free blocks are at its end; otherwise later writes reuse them, so under retention the file
// stops growing instead of shrinking (measured in test/retention.test.ts).

import type { RetentionRequest, RetentionResult } from '@cairn/storage';
import type { RetentionCutoffs } from '@cairn/storage/adapter-kit';
import { retentionCutoffs } from '@cairn/storage/adapter-kit';
import { SqlParams } from './sql-params.js';

/** Runs one statement on the writer connection (in order with writes). */
export type WriterQuery = (sql: string, params?: SqlParams) => Promise<unknown[][]>;

/** Tables holding rows of traces; trace_parts is among them and deleted from last. */
interface PrunedTable {
  name: string;
  /** A time column usable to prune by cutoff (start_ns, time_ns, …), or null. */
  timeColumn: string | null;
}

const TIME_COLUMNS = ['start_ns', 'time_ns', 'trace_start_ns'];
/** Every row of these belongs to a trace with parts, so they have no orphans to look for. */
const NEVER_ORPHANED = new Set(['spans', 'span_payloads', 'trace_parts']);
const EXPIRED = 'retention_expired';

function quoted(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** CASE over project_id giving each row's cutoff; NULL (keep) for projects kept forever. */
function cutoffSql(cutoffs: RetentionCutoffs, column: string, params: SqlParams): string {
  const fallback = cutoffs.defaultCutoff === null ? 'NULL::BIGINT' : params.bigint(cutoffs.defaultCutoff);
  if (cutoffs.projects.size === 0) return fallback;
  const branches = [...cutoffs.projects].map(
    ([projectId, cutoff]) => `WHEN ${params.text(projectId)} THEN ${cutoff === null ? 'NULL::BIGINT' : params.bigint(cutoff)}`,
  );
  return `(CASE ${column} ${branches.join(' ')} ELSE ${fallback} END)`;
}

async function prunedTables(run: WriterQuery): Promise<PrunedTable[]> {
  const rows = await run(
    `SELECT c.table_name, list(c.column_name) FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE t.table_type = 'BASE TABLE' AND t.table_schema = 'main' AND c.table_catalog = current_database()
     GROUP BY c.table_name`,
  );
  const tables: PrunedTable[] = [];
  for (const [name, columnList] of rows as [string, { items: string[] }][]) {
    const columns = columnList.items;
    if (!columns.includes('project_id') || !columns.includes('trace_id')) continue;
    tables.push({ name, timeColumn: TIME_COLUMNS.find((column) => columns.includes(column)) ?? null });
  }
  // trace_parts says which traces exist: delete from it last.
  return tables.sort((a, b) => Number(a.name === 'trace_parts') - Number(b.name === 'trace_parts'));
}

/** Deletes expired traces everywhere; the caller runs it on the writer, between writes. */
export async function applyDuckDbRetention(run: WriterQuery, request: RetentionRequest): Promise<RetentionResult> {
  const cutoffs = retentionCutoffs(request);
  const { latest } = cutoffs;
  if (latest === null) return { tracesRemoved: 0, spansRemoved: 0 };
  const tables = await prunedTables(run);
  await run('BEGIN TRANSACTION');
  let result: RetentionResult;
  try {
    const expiredParams = new SqlParams();
    await run(
      `CREATE OR REPLACE TEMP TABLE ${EXPIRED} AS
       SELECT project_id, trace_id, sum(span_count)::BIGINT AS span_count FROM trace_parts
       WHERE min_start_ns < ${expiredParams.bigint(latest)}
       GROUP BY project_id, trace_id
       HAVING max(max_start_ns) < ${cutoffSql(cutoffs, 'project_id', expiredParams)}`,
      expiredParams,
    );
    const [counted] = await run(`SELECT count(*), coalesce(sum(span_count), 0)::BIGINT FROM ${EXPIRED}`);
    result = { tracesRemoved: Number(counted?.[0] ?? 0), spansRemoved: Number(counted?.[1] ?? 0) };
    for (const table of tables) {
      const name = quoted(table.name);
      if (result.tracesRemoved > 0) {
        const params = new SqlParams();
        const pruneByTime = table.timeColumn === null ? '' : ` AND ${name}.${quoted(table.timeColumn)} < ${params.bigint(latest)}`;
        await run(
          `DELETE FROM ${name} USING ${EXPIRED} e
           WHERE ${name}.project_id = e.project_id AND ${name}.trace_id = e.trace_id${pruneByTime}`,
          params,
        );
      }
      if (table.timeColumn !== null && !NEVER_ORPHANED.has(table.name)) {
        const params = new SqlParams();
        await run(
          `DELETE FROM ${name} WHERE ${quoted(table.timeColumn)} < ${cutoffSql(cutoffs, 'project_id', params)}
           AND NOT EXISTS (SELECT 1 FROM trace_parts p WHERE p.project_id = ${name}.project_id AND p.trace_id = ${name}.trace_id)`,
          params,
        );
      }
    }
    await run(`DROP TABLE ${EXPIRED}`);
    await run('COMMIT');
  } catch (error) {
    await run('ROLLBACK').catch(() => undefined);
    throw error;
  }
  if (result.tracesRemoved > 0) {
    // Frees the deleted rows' blocks now rather than at the next automatic checkpoint. A failed
    // checkpoint loses nothing (the deletes are committed); the automatic one retries it.
    await run('CHECKPOINT').catch(() => undefined);
  }
  return result;
}

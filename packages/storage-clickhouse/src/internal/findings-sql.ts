// Persisted analyses on ClickHouse (table trace_analyses, ReplacingMergeTree(analyzed_ns)): a new
// analysis is a new row; reads take each trace's latest row (argMax by analyzed_ns), so results
// are exact before background merges drop the old rows.
// Due traces: spans received since the lookback bound, grouped per trace (received_ns is not in
// the sorting key: this scans the column, cheap next to the spans themselves).

import type { DueTracesQuery, StoredFinding, TraceFilter, TraceFindingsRecord } from '@cairn/storage';
import { hasTraceFilter } from '@cairn/storage';
import { text, uint64 } from './sql-literal.js';
import { ANALYSES_TABLE, traceIdsSql } from './trace-list-sql.js';

export const ANALYSIS_COLUMNS = [
  'project_id',
  'trace_id',
  'trace_start_ns',
  'analysis_version',
  'received_through_ns',
  'analyzed_ns',
  'kinds',
  'findings',
] as const;

export function insertAnalysesSql(records: readonly TraceFindingsRecord[]): string {
  const rows = records.map((record) => {
    const kinds = [...new Set(record.findings.map((finding) => finding.kind))].sort();
    return `(${[
      text(record.projectId),
      text(record.traceId),
      uint64(record.traceStartUnixNano),
      String(Math.trunc(record.analysisVersion)),
      uint64(record.receivedThroughUnixNano),
      uint64(record.analyzedUnixNano),
      `[${kinds.map(text).join(', ')}]`,
      text(JSON.stringify(record.findings)),
    ].join(', ')})`;
  });
  return `INSERT INTO ${ANALYSES_TABLE} (${ANALYSIS_COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`;
}

/** Latest analysis of one trace. */
export function analysisSql(projectId: string, traceId: string): string {
  const latest = ANALYSIS_COLUMNS.slice(2).map((column) => `argMax(${column}, analyzed_ns) AS a_${column}`);
  return `SELECT project_id, trace_id, ${latest.join(', ')} FROM ${ANALYSES_TABLE}
    WHERE project_id = ${text(projectId)} AND trace_id = ${text(traceId)} GROUP BY project_id, trace_id`;
}

export function decodeAnalysisRow(row: readonly unknown[]): TraceFindingsRecord {
  return {
    projectId: row[0] as string,
    traceId: row[1] as string,
    traceStartUnixNano: BigInt(row[2] as string),
    analysisVersion: Number(row[3]),
    receivedThroughUnixNano: BigInt(row[4] as string),
    analyzedUnixNano: BigInt(row[5] as string),
    findings: JSON.parse(row[7] as string) as StoredFinding[],
  };
}

export function dueTracesSql(query: DueTracesQuery, table: string): string {
  const recent = `SELECT project_id, trace_id, max(received_ns) AS last_received FROM ${table}
    WHERE received_ns >= ${uint64(query.receivedSinceUnixNano)} GROUP BY project_id, trace_id
    HAVING last_received < ${uint64(query.quietBeforeUnixNano)}`;
  return `SELECT project_id, trace_id, last_received FROM (${recent})
    ALL LEFT JOIN (
      SELECT project_id, trace_id, toUInt8(1) AS a_found, argMax(analysis_version, analyzed_ns) AS a_version,
        argMax(received_through_ns, analyzed_ns) AS a_through
      FROM ${ANALYSES_TABLE} WHERE trace_id GLOBAL IN (SELECT trace_id FROM (${recent}))
      GROUP BY project_id, trace_id
    ) USING (project_id, trace_id)
    WHERE a_found = 0 OR a_version != ${Math.trunc(query.analysisVersion)} OR a_through < last_received
    ORDER BY last_received, trace_id
    LIMIT ${Math.max(1, Math.trunc(query.limit))}`;
}

export function findingCountsSql(filter: TraceFilter, spansTable: string): string {
  const traceCondition = hasTraceFilter(filter) ? `WHERE trace_id GLOBAL IN (${traceIdsSql(filter, spansTable)})` : '';
  return `SELECT kind, uniqExact(trace_id) FROM (
      SELECT trace_id, argMax(kinds, analyzed_ns) AS latest_kinds, argMax(trace_start_ns, analyzed_ns) AS a_start
      FROM ${ANALYSES_TABLE} WHERE project_id = ${text(filter.projectId)}
      GROUP BY trace_id
      HAVING a_start >= ${uint64(filter.fromUnixNano)} AND a_start < ${uint64(filter.toUnixNano)}
    ) ARRAY JOIN latest_kinds AS kind ${traceCondition}
    GROUP BY kind ORDER BY kind`;
}

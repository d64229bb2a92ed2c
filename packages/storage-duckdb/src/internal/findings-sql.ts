// Persisted analyses (table trace_analyses, one row per trace): written by the server's
// background analyzer, read by the ?finding= filter and the dashboard counts.
//
// Which traces are due: the spans received since a lookback bound, grouped per trace. received_ns
// grows with batch_seq (rows are appended in arrival order), so its zone maps skip everything
// older and the scan touches only recent row groups.

import type { DueTrace, DueTracesQuery, FindingCount, StoredFinding, TraceFilter, TraceFindingsRecord } from '@cairn/storage';
import { hasTraceFilter } from '@cairn/storage';
import type { SqlParams } from './sql-params.js';
import { traceIdsSql } from './trace-list-sql.js';

export const ANALYSIS_COLUMNS = 'project_id, trace_id, trace_start_ns, analysis_version, received_through_ns, analyzed_ns, findings';

export function deleteAnalysesSql(records: readonly TraceFindingsRecord[], params: SqlParams): string {
  const keys = records.map((record) => `(${params.text(record.projectId)}, ${params.text(record.traceId)})`);
  return `DELETE FROM trace_analyses WHERE (project_id, trace_id) IN (${keys.join(', ')})`;
}

export function insertAnalysesSql(records: readonly TraceFindingsRecord[], params: SqlParams): string {
  const rows = records.map((record) => {
    const kinds = [...new Set(record.findings.map((finding) => finding.kind))].sort();
    return `(${[
      params.text(record.projectId),
      params.text(record.traceId),
      params.bigint(record.traceStartUnixNano),
      params.bigint(BigInt(record.analysisVersion)),
      params.bigint(record.receivedThroughUnixNano),
      params.bigint(record.analyzedUnixNano),
      `${params.textList(kinds)}::VARCHAR[]`,
      params.text(JSON.stringify(record.findings)),
    ].join(', ')})`;
  });
  return `INSERT INTO trace_analyses (project_id, trace_id, trace_start_ns, analysis_version, received_through_ns, analyzed_ns, kinds, findings)
    VALUES ${rows.join(', ')}`;
}

export function decodeAnalysisRow(row: readonly unknown[]): TraceFindingsRecord {
  return {
    projectId: row[0] as string,
    traceId: row[1] as string,
    traceStartUnixNano: row[2] as bigint,
    analysisVersion: Number(row[3]),
    receivedThroughUnixNano: row[4] as bigint,
    analyzedUnixNano: row[5] as bigint,
    findings: JSON.parse(row[6] as string) as StoredFinding[],
  };
}

export function dueTracesSql(query: DueTracesQuery, params: SqlParams): string {
  // A part's max_received_ns is its spans' newest received time: over the parts received since
  // the lookback it gives what the spans would, reading ~1/50 of the rows.
  return `WITH recent AS (
      SELECT project_id, trace_id, max(max_received_ns) AS last_received FROM trace_parts
      WHERE max_received_ns >= ${params.bigint(query.receivedSinceUnixNano)}
      GROUP BY project_id, trace_id
    )
    SELECT r.project_id, r.trace_id, r.last_received FROM recent r
    LEFT JOIN trace_analyses a ON a.project_id = r.project_id AND a.trace_id = r.trace_id
    WHERE r.last_received < ${params.bigint(query.quietBeforeUnixNano)}
      AND (a.trace_id IS NULL OR a.analysis_version <> ${params.bigint(BigInt(query.analysisVersion))} OR a.received_through_ns < r.last_received)
    ORDER BY r.last_received, r.trace_id
    LIMIT ${Math.max(1, Math.trunc(query.limit))}`;
}

export function decodeDueTrace(row: readonly unknown[]): DueTrace {
  return { projectId: row[0] as string, traceId: row[1] as string, lastReceivedUnixNano: row[2] as bigint };
}

export function findingCountsSql(filter: TraceFilter, params: SqlParams): string {
  const where = [
    `project_id = ${params.text(filter.projectId)}`,
    `trace_start_ns >= ${params.bigint(filter.fromUnixNano)}`,
    `trace_start_ns < ${params.bigint(filter.toUnixNano)}`,
  ];
  if (hasTraceFilter(filter)) where.push(`trace_id IN (${traceIdsSql(filter, params)})`);
  return `SELECT kind, count(DISTINCT trace_id) FROM (
      SELECT trace_id, unnest(kinds) AS kind FROM trace_analyses WHERE ${where.join(' AND ')}
    ) GROUP BY kind ORDER BY kind`;
}

export function decodeFindingCount(row: readonly unknown[]): FindingCount {
  return { kind: row[0] as string, traces: Number(row[1]) };
}

// The analytics part of the DuckDB TraceStore: dashboard metrics, persisted analyses and the
// quality statistics. Reads go through the store's reader query; analyses are written through
// the store's write chain, so they never interleave with a span write's transaction.

import { decodeCount, decodeNamePattern, decodeServiceTotals } from '@cairn/storage/adapter-kit';
import type {
  DueTrace,
  DueTracesQuery,
  FindingCount,
  MetricsQuery,
  MetricsRow,
  QualityQuery,
  ServiceQualityStats,
  TraceFilter,
  TraceFindingsRecord,
} from '@cairn/storage';
import { assembleQualityStats } from '@cairn/storage';
import {
  ANALYSIS_COLUMNS,
  decodeAnalysisRow,
  decodeDueTrace,
  decodeFindingCount,
  deleteAnalysesSql,
  dueTracesSql,
  findingCountsSql,
  insertAnalysesSql,
} from './findings-sql.js';
import { decodeMetricsRow, metricsSql } from './metrics-sql.js';
import { monolithicSql, multiRootSql, namePatternsSql, orphansSql, serviceTotalsSql } from './quality-sql.js';
import { SqlParams } from './sql-params.js';

type Row = unknown[];
type RunSql = (sql: string, params: SqlParams) => Promise<Row[]>;

/** Records per statement: keeps the parameter count of one INSERT well below DuckDB's limits. */
const RECORDS_PER_STATEMENT = 200;

function runBuilt(run: RunSql, build: (params: SqlParams) => string): Promise<Row[]> {
  const params = new SqlParams();
  return run(build(params), params);
}

export class DuckDbAnalytics {
  constructor(
    private readonly read: RunSql,
    /** Runs on the writer connection, after every write already queued. */
    private readonly write: RunSql,
  ) {}

  async aggregateMetrics(query: MetricsQuery): Promise<MetricsRow[]> {
    const rows = await runBuilt(this.read, (params) => metricsSql(query, params));
    return rows.map(decodeMetricsRow);
  }

  async writeFindings(records: TraceFindingsRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += RECORDS_PER_STATEMENT) {
      const chunk = records.slice(start, start + RECORDS_PER_STATEMENT);
      // Delete then insert: a crash in between leaves the trace unanalyzed, so it is due again.
      await runBuilt(this.write, (params) => deleteAnalysesSql(chunk, params));
      await runBuilt(this.write, (params) => insertAnalysesSql(chunk, params));
    }
  }

  async getFindings(projectId: string, traceId: string): Promise<TraceFindingsRecord | null> {
    const rows = await runBuilt(
      this.read,
      (params) => `SELECT ${ANALYSIS_COLUMNS} FROM trace_analyses WHERE project_id = ${params.text(projectId)} AND trace_id = ${params.text(traceId)}
        ORDER BY analyzed_ns DESC LIMIT 1`,
    );
    return rows[0] ? decodeAnalysisRow(rows[0]) : null;
  }

  async listDueTraces(query: DueTracesQuery): Promise<DueTrace[]> {
    const rows = await runBuilt(this.read, (params) => dueTracesSql(query, params));
    return rows.map(decodeDueTrace);
  }

  async countFindings(filter: TraceFilter): Promise<FindingCount[]> {
    const rows = await runBuilt(this.read, (params) => findingCountsSql(filter, params));
    return rows.map(decodeFindingCount);
  }

  async qualityStats(query: QualityQuery): Promise<ServiceQualityStats[]> {
    // One after another: they share the reader pool with the UI's requests.
    const totals = await runBuilt(this.read, (params) => serviceTotalsSql(query, params));
    const patterns = await runBuilt(this.read, (params) => namePatternsSql(query, params));
    const perService = async (build: (params: SqlParams) => string) =>
      (await runBuilt(this.read, build)).map((row) => ({ service: row[0] as string, count: decodeCount(row, 1) }));
    return assembleQualityStats({
      totals: totals.map(decodeServiceTotals),
      patterns: patterns.map(decodeNamePattern),
      monolithic: await perService((params) => monolithicSql(query, params)),
      orphans: await perService((params) => orphansSql(query, params)),
      multiRoot: await perService((params) => multiRootSql(query, params)),
    });
  }
}

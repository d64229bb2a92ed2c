// The analytics part of the ClickHouse TraceStore: dashboard metrics, persisted analyses and the
// quality statistics. Stateless like the rest of the adapter: everything lives in ClickHouse.

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
import { decodeMetricsRow, metricsSql } from './analytics-sql.js';
import type { ClickHouseHttp } from './clickhouse-http.js';
import { analysisSql, decodeAnalysisRow, dueTracesSql, findingCountsSql, insertAnalysesSql } from './findings-sql.js';
import { monolithicSql, multiRootSql, namePatternsSql, orphansSql, serviceTotalsSql } from './quality-sql.js';
import type { TableNames } from './schema.js';

/** Records per INSERT statement (the statement travels in the request body). */
const RECORDS_PER_STATEMENT = 500;

export class ClickHouseAnalytics {
  constructor(
    private readonly entry: () => ClickHouseHttp,
    private readonly tables: TableNames,
  ) {}

  async aggregateMetrics(query: MetricsQuery): Promise<MetricsRow[]> {
    const rows = await this.entry().query(metricsSql(query, this.tables.spans));
    return rows.map((row) => decodeMetricsRow(row, query.bucketNanos !== undefined));
  }

  async writeFindings(records: TraceFindingsRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += RECORDS_PER_STATEMENT) {
      // Synchronous into a Distributed table, so a read right after sees the analysis.
      await this.entry().exec(insertAnalysesSql(records.slice(start, start + RECORDS_PER_STATEMENT)), { insert_distributed_sync: '1' });
    }
  }

  async getFindings(projectId: string, traceId: string): Promise<TraceFindingsRecord | null> {
    const [row] = await this.entry().query(analysisSql(projectId, traceId));
    return row ? decodeAnalysisRow(row) : null;
  }

  async listDueTraces(query: DueTracesQuery): Promise<DueTrace[]> {
    const rows = await this.entry().query(dueTracesSql(query, this.tables.spans));
    return rows.map((row) => ({ projectId: row[0] as string, traceId: row[1] as string, lastReceivedUnixNano: BigInt(row[2] as string) }));
  }

  async countFindings(filter: TraceFilter): Promise<FindingCount[]> {
    const rows = await this.entry().query(findingCountsSql(filter, this.tables.spans));
    return rows.map((row) => ({ kind: row[0] as string, traces: Number(row[1]) }));
  }

  async qualityStats(query: QualityQuery): Promise<ServiceQualityStats[]> {
    const run = (sql: string) => this.entry().query(sql);
    const perService = async (sql: string) => (await run(sql)).map((row) => ({ service: row[0] as string, count: decodeCount(row, 1) }));
    const [totals, patterns, monolithic, orphans, multiRoot] = await Promise.all([
      run(serviceTotalsSql(query, this.tables)),
      run(namePatternsSql(query, this.tables)),
      perService(monolithicSql(query, this.tables)),
      perService(orphansSql(query, this.tables)),
      perService(multiRootSql(query, this.tables)),
    ]);
    return assembleQualityStats({
      totals: totals.map(decodeServiceTotals),
      patterns: patterns.map(decodeNamePattern),
      monolithic,
      orphans,
      multiRoot,
    });
  }
}

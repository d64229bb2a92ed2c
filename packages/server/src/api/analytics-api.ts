// Handlers of the dashboard endpoints: GET /api/v1/metrics, /api/v1/findings and /api/v1/quality,
// and the persisted (cross-trace) findings merged into GET /api/v1/traces/{id}/analysis.

import type { Finding, TraceAnalysis } from '@cairn/analysis';
import { ANALYSIS_VERSION, FINDING_KINDS } from '@cairn/analysis';
import { nanosToIso } from '@cairn/model';
import type { StoredSpan, TraceFilter, TraceStore } from '@cairn/storage';
import { buildQualityReport, DEFAULT_QUALITY_THRESHOLDS } from '../analytics/quality-report.js';
import { InvalidParameterError } from '../errors.js';
import type { ApiFindingCountsRecord, ApiMetricsRecord, ApiQualityReportRecord } from './analytics-schemas.js';
import { findingCountParams, MAX_METRICS_BUCKETS, metricsParams, METRICS_INTERVALS, qualityParams } from './analytics-params.js';
import { parseQuery, resolveWindow } from './parse-query.js';

export interface AnalyticsContext {
  store: TraceStore;
  projectId: string;
}

/** The trace-list filters of a parsed request as a store TraceFilter. */
function traceFilter(projectId: string, params: Record<string, unknown> & { from?: bigint; to?: bigint; q?: string }, attributes: TraceFilter['attributes']): TraceFilter {
  const { from, to, q, ...filters } = params;
  return {
    ...(filters as Omit<TraceFilter, 'projectId' | 'fromUnixNano' | 'toUnixNano'>),
    ...resolveWindow(from, to),
    projectId,
    text: q,
    attributes: attributes !== undefined && attributes.length > 0 ? attributes : undefined,
  };
}

export async function getMetrics({ store, projectId }: AnalyticsContext, search: URLSearchParams): Promise<ApiMetricsRecord> {
  const { params, attributes } = parseQuery(metricsParams, search, { attributes: true });
  const { groupBy, interval, ...rest } = params;
  const filter = traceFilter(projectId, rest, attributes);
  const bucketNanos = interval === undefined ? undefined : METRICS_INTERVALS[interval];
  if (bucketNanos !== undefined && (filter.toUnixNano - filter.fromUnixNano) / bucketNanos > BigInt(MAX_METRICS_BUCKETS)) {
    throw new InvalidParameterError(`interval: ${interval} buckets over this window would be more than ${MAX_METRICS_BUCKETS}; use a wider interval or a shorter window`);
  }
  const rows = await store.aggregateMetrics({ ...filter, groupBy, bucketNanos });
  return {
    groupBy,
    interval: interval ?? null,
    fromUnixNano: filter.fromUnixNano.toString(),
    toUnixNano: filter.toUnixNano.toString(),
    rows: rows.map(({ bucketUnixNano, ...row }) => ({
      ...row,
      ...(bucketUnixNano === null ? {} : { bucket: nanosToIso(bucketUnixNano), bucketUnixNano: bucketUnixNano.toString() }),
      errorRate: row.calls === 0 ? 0 : row.errors / row.calls,
    })),
  };
}

export async function getFindingCounts({ store, projectId }: AnalyticsContext, search: URLSearchParams): Promise<ApiFindingCountsRecord> {
  const { params, attributes } = parseQuery(findingCountParams, search, { attributes: true });
  const counts = await store.countFindings(traceFilter(projectId, params, attributes));
  const byKind = new Map(counts.map((entry) => [entry.kind, entry.traces]));
  return { counts: FINDING_KINDS.map((kind) => ({ kind, traces: byKind.get(kind) ?? 0 })) };
}

export async function getQualityReport({ store, projectId }: AnalyticsContext, search: URLSearchParams): Promise<ApiQualityReportRecord> {
  const { params } = parseQuery(qualityParams, search, { attributes: false });
  const window = resolveWindow(params.from, params.to);
  const stats = await store.qualityStats({ projectId, ...window, monolithicMinDurationMs: params.monolithicMinMs });
  return {
    fromUnixNano: window.fromUnixNano.toString(),
    toUnixNano: window.toUnixNano.toString(),
    services: buildQualityReport(stats, { ...DEFAULT_QUALITY_THRESHOLDS, monolithicMinMs: params.monolithicMinMs }),
  };
}

function findingKey(finding: Finding): string {
  return JSON.stringify([finding.kind, finding.message, finding.spanIds]);
}

/**
 * The analysis computed on request plus what only the background analyzer can know (broken
 * traces across a session): persisted findings not found again, when the persisted analysis is
 * of this version and saw every span loaded now (else it may describe an older trace).
 */
export async function withPersistedFindings(
  { store, projectId }: AnalyticsContext,
  traceId: string,
  spans: readonly StoredSpan[],
  analysis: TraceAnalysis,
): Promise<TraceAnalysis> {
  const persisted = await store.getFindings(projectId, traceId);
  if (persisted === null || persisted.analysisVersion !== ANALYSIS_VERSION) return analysis;
  if (spans.some((span) => span.receivedUnixNano > persisted.receivedThroughUnixNano)) return analysis;
  const known = new Set(analysis.findings.map(findingKey));
  const extra = (persisted.findings as Finding[]).filter((finding) => !known.has(findingKey(finding)));
  return extra.length === 0 ? analysis : { ...analysis, findings: [...analysis.findings, ...extra] };
}

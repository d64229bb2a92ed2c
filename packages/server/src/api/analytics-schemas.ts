// Response records of the dashboard endpoints (metrics, finding counts, quality report) as zod
// schemas, registered with the API registry so they appear in the OpenAPI document.

import { FINDING_KINDS } from '@cairn/analysis';
import { METRICS_GROUP_BY } from '@cairn/storage';
import { z } from 'zod';
import { QUALITY_ISSUE_KINDS } from '../analytics/quality-report.js';
import { component, count, nanos } from './api-schemas.js';

const millis = (description: string) => z.number().nullable().describe(`${description} Milliseconds; null when no call was counted.`);

export const ApiMetricsRow = component(
  z.object({
    key: z.string().nullable().describe('Value of the groupBy dimension; null for spans without one (e.g. model calls outside any agent).'),
    bucket: z.string().optional().describe('Start of the time bucket, ISO 8601 (only with interval).'),
    bucketUnixNano: nanos('Start of the time bucket (only with interval).').optional(),
    calls: count.describe('Counted calls: model calls; tool spans for tool; agent invocations for agent.'),
    errors: count.describe('Counted calls with status error.'),
    errorRate: z.number().describe('errors / calls; 0 without calls.'),
    inputTokens: z.number().describe('Over single model calls only.'),
    outputTokens: z.number(),
    costUsd: z.number().describe('Over single model calls only.'),
    p50Ms: millis('Median latency of the counted calls.'),
    p95Ms: millis('95th percentile latency.'),
    p99Ms: millis('99th percentile latency.'),
  }),
  'MetricsRow',
  'One group (and time bucket) of GET /api/v1/metrics.',
);

export const ApiMetrics = component(
  z.object({
    groupBy: z.enum(METRICS_GROUP_BY),
    interval: z.enum(['1m', '1h', '1d']).nullable(),
    fromUnixNano: nanos('Window start.'),
    toUnixNano: nanos('Window end (exclusive).'),
    rows: z.array(ApiMetricsRow).describe('Ordered by bucket, then key (null last).'),
  }),
  'Metrics',
  'Dashboard aggregation: tokens, cost, latency percentiles, errors and calls per group and time bucket.',
);

export const ApiFindingCounts = component(
  z.object({
    counts: z.array(z.object({ kind: z.enum(FINDING_KINDS), traces: count })).describe('Every kind, zeros included, in FINDING_KINDS order.'),
  }),
  'FindingCounts',
  'Traces per persisted finding kind among the traces matching the filters (a trace is analyzed once it has been quiet for a while).',
);

export const ApiQualityIssue = component(
  z.object({
    kind: z.enum(QUALITY_ISSUE_KINDS),
    severity: z.enum(['warning', 'info']),
    count: count,
    exampleTraceId: z.string().nullable(),
    exampleSpanName: z.string().nullable(),
    message: z.string().describe('What was seen.'),
    fix: z.string().describe('What to change in the instrumented app.'),
  }),
  'QualityIssue',
  'One instrumentation problem of a service.',
);

export const ApiQualityReport = component(
  z.object({
    fromUnixNano: nanos('Window start.'),
    toUnixNano: nanos('Window end (exclusive).'),
    services: z.array(
      z.object({ service: z.string(), spans: count, traces: count, modelCalls: count, issues: z.array(ApiQualityIssue) }),
    ),
  }),
  'QualityReport',
  'Instrumentation quality per service: high-cardinality span names, model calls missing fields, monolithic spans, propagation gaps.',
);

export type ApiMetricsRecord = z.output<typeof ApiMetrics>;
export type ApiFindingCountsRecord = z.output<typeof ApiFindingCounts>;
export type ApiQualityReportRecord = z.output<typeof ApiQualityReport>;

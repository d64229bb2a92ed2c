// Query-parameter schemas of the analytics endpoints (metrics, finding counts, quality report).
// They reuse the trace-list filters, so a dashboard narrows exactly like the trace list.

import { METRICS_GROUP_BY } from '@cairn/storage';
import { z } from 'zod';
import { pageParams, traceListParams } from './query-params.js';

/** Bucket widths of GET /api/v1/metrics?interval=…, in nanoseconds. */
export const METRICS_INTERVALS = {
  '1m': 60n * 1_000_000_000n,
  '1h': 3_600n * 1_000_000_000n,
  '1d': 86_400n * 1_000_000_000n,
} as const;
export type MetricsInterval = keyof typeof METRICS_INTERVALS;
/** More buckets than this per key is a mistake (a year by minute); the answer is a 400. */
export const MAX_METRICS_BUCKETS = 10_000;

/** The trace-list filters with the window, without paging and sort. */
export const traceFilterParams = traceListParams.omit({ limit: true, cursor: true, sort: true });

export const metricsParams = traceFilterParams.extend({
  groupBy: z
    .enum(METRICS_GROUP_BY)
    .describe('Dimension of the rows. promptVersion reads the raw attributes gen_ai.prompt.version, cairn.prompt.version, ai.prompt_version (see docs/analytics.md).'),
  interval: z
    .enum(['1m', '1h', '1d'])
    .optional()
    .describe('Time-bucket width (UTC-aligned); absent: one row per key over the whole window.'),
});

export const findingCountParams = traceFilterParams;

export const qualityParams = z.strictObject({
  from: pageParams.from,
  to: pageParams.to,
  monolithicMinMs: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(1, { error: 'must be at least 1' })
    .default(10_000)
    .describe('A span at least this long (ms) without children counts as monolithic. Default 10000.'),
});

export type MetricsParams = z.output<typeof metricsParams>;

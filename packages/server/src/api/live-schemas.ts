// GET /api/v1/live: its query parameters and response record as zod schemas, registered with the
// API registry so the OpenAPI document lists them.

import { SPAN_TYPES } from '@cairn/model';
import { z } from 'zod';
import { component, nanos } from './api-schemas.js';
import { pageParams } from './query-params.js';

export const liveParams = z.strictObject({
  from: pageParams.from.describe('Running spans that started at or after this time, ISO 8601 or epoch milliseconds. Default: 24 hours before now.'),
  to: pageParams.to,
  limit: pageParams.limit,
});

export const ApiLiveSpan = component(
  z.object({
    traceId: z.string(),
    spanId: z.string(),
    parentSpanId: z.string().nullable().describe('null for a root span.'),
    name: z.string(),
    spanType: z.enum(SPAN_TYPES),
    serviceName: z.string(),
    agentName: z.string().nullable(),
    toolName: z.string().nullable(),
    model: z.string().nullable(),
    startTime: z.string().describe('Span start, ISO 8601.'),
    startTimeUnixNano: nanos('Span start.'),
    lastSeenTime: z.string().describe('When the newest snapshot of the span was taken (the SDK re-reports a running span every 30 s), ISO 8601.'),
    elapsedMs: z.number().describe('Milliseconds from the span start to now (the server clock).'),
  }),
  'LiveSpan',
  'A span that has started and not ended yet, as last reported by the instrumented process.',
);

export const ApiLiveSpans = component(
  z.object({ items: z.array(ApiLiveSpan).describe('Newest start first.') }),
  'LiveSpans',
  'Spans running now: reported started, not finished, and re-reported within the last 2 minutes.',
);

export type ApiLiveSpanRecord = z.infer<typeof ApiLiveSpan>;
export type ApiLiveSpansRecord = z.infer<typeof ApiLiveSpans>;

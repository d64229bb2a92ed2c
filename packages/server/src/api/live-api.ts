// GET /api/v1/live: spans running now. The SDK reports a span that has run for a while as a live
// record (an OTLP span with cairn.live = true) and re-reports it every 30 s while it runs; the
// finished span replaces it in the store. A record not re-reported for STALE_AFTER is left out:
// its process is gone (crashed or killed) and the span will never finish.

import { nanosToIso, nowUnixNano, type SpanType } from '@cairn/model';
import type { StoredSpan, TraceStore } from '@cairn/storage';
import type { ApiLiveSpanRecord, ApiLiveSpansRecord } from './live-schemas.js';
import { liveParams } from './live-schemas.js';
import { parseQuery, resolveWindow } from './parse-query.js';

/** Three missed heartbeats of the SDK (every 30 s) and a record no longer counts as running. */
export const STALE_AFTER_NANOS = 120n * 1_000_000_000n;

export interface LiveApiContext {
  store: TraceStore;
  projectId: string;
}

export async function getLiveSpans({ store, projectId }: LiveApiContext, search: URLSearchParams): Promise<ApiLiveSpansRecord> {
  const { params } = parseQuery(liveParams, search, { attributes: false });
  const now = nowUnixNano();
  const spans = await store.listLiveSpans({ projectId, ...resolveWindow(params.from, params.to), limit: params.limit });
  return { items: spans.filter((span) => now - span.endTimeUnixNano <= STALE_AFTER_NANOS).map((span) => toApiLiveSpan(span, now)) };
}

export function toApiLiveSpan(span: StoredSpan, nowUnixNanos: bigint): ApiLiveSpanRecord {
  const elapsed = nowUnixNanos > span.startTimeUnixNano ? nowUnixNanos - span.startTimeUnixNano : 0n;
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    spanType: span.spanType satisfies SpanType,
    serviceName: span.serviceName,
    agentName: span.agentName,
    toolName: span.toolName,
    model: span.model,
    startTime: nanosToIso(span.startTimeUnixNano),
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    lastSeenTime: nanosToIso(span.endTimeUnixNano),
    elapsedMs: Number(elapsed / 1000n) / 1000,
  };
}

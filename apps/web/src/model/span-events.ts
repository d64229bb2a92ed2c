// Span events as the timeline marks them: what kind of moment each one is (an exception, a
// retry, a fallback to another model, a cache hit, a rate limit) and where it sits on the
// waterfall, in percent of the trace's duration.

import type { ApiSpan, ApiSpanEvent } from '../api/api-types.js';

export type SpanEventKind = 'exception' | 'retry' | 'fallback' | 'cache_hit' | 'rate_limited' | 'other';

export const SPAN_EVENT_LABELS: Record<SpanEventKind, string> = {
  exception: 'exception',
  retry: 'retry',
  fallback: 'fallback',
  cache_hit: 'cache hit',
  rate_limited: 'rate limited',
  other: 'event',
};

function mentionsRateLimit(text: string): boolean {
  return /rate[\s._-]?limit|too many requests|\b429\b/i.test(text);
}

/**
 * Classifies by name first ("retry", "gen_ai.fallback", "cache.hit", "rate_limited"), then by
 * what an exception says (a 429 or RateLimitError is a rate limit, not just any exception).
 */
export function classifySpanEvent(event: Pick<ApiSpanEvent, 'name'> & { attributes?: ApiSpanEvent['attributes'] }): SpanEventKind {
  const name = event.name.toLowerCase();
  // The tree view lists events without attributes: those are classified by name alone until the
  // span's detail is loaded.
  const attributes = event.attributes ?? {};
  const status = attributes['http.response.status_code'] ?? attributes['http.status_code'];
  if (mentionsRateLimit(name) || String(status) === '429') return 'rate_limited';
  if (name === 'exception') {
    const text = `${String(attributes['exception.type'] ?? '')} ${String(attributes['exception.message'] ?? '')}`;
    return mentionsRateLimit(text) ? 'rate_limited' : 'exception';
  }
  if (/retr(y|ies|ying)/.test(name)) return 'retry';
  if (/fall[\s._-]?back/.test(name)) return 'fallback';
  if (/cache[\s._-]?hit/.test(name)) return 'cache_hit';
  return 'other';
}

/** Markers of every span that has events (from the trace's tree view), by span id. */
export function traceEventMarkers(spans: readonly ApiSpan[], traceStartNs: bigint, traceDurationMs: number): Map<string, EventMarker[]> {
  const bySpan = new Map<string, EventMarker[]>();
  for (const span of spans) {
    if (!span.events || span.events.length === 0) continue;
    bySpan.set(span.spanId, eventMarkers(span.events, BigInt(span.startTimeUnixNano), traceStartNs, traceDurationMs));
  }
  return bySpan;
}

export interface EventMarker {
  kind: SpanEventKind;
  name: string;
  /** Position on the trace's waterfall, 0–100. */
  leftPercent: number;
  /** Time after the span started, in milliseconds. */
  offsetMs: number;
}

/** Markers for one span's events; `traceStartNs` and `traceDurationMs` are the waterfall's scale. */
export function eventMarkers(events: readonly (Pick<ApiSpanEvent, 'timeUnixNano' | 'name'> & { attributes?: ApiSpanEvent['attributes'] })[], spanStartNs: bigint, traceStartNs: bigint, traceDurationMs: number): EventMarker[] {
  return events.map((event) => {
    const atNs = BigInt(event.timeUnixNano);
    const fromTraceMs = Number((atNs - traceStartNs) / 1000n) / 1000;
    const leftPercent = traceDurationMs <= 0 ? 0 : Math.min(100, Math.max(0, (fromTraceMs / traceDurationMs) * 100));
    return { kind: classifySpanEvent(event), name: event.name, leftPercent, offsetMs: Number((atNs - spanStartNs) / 1000n) / 1000 };
  });
}

// Fills a store for the read benchmarks: agent traces produced by the real decode and normalize
// path from OTLP batches, re-issued pass after pass with fresh trace ids and spread over the
// last 7 days: by default later passes more recent, a week taking 2,600 passes (52M spans); with
// `newestFirstTotalSpans` the passes of that many spans cover the week from now backwards, so
// every size filled on the way (1M, then 5M) has its newest traces in the last hours and a
// "last 24 hours" query finds a day's share of them.

import type { SpanRecord } from '@cairn/model';
import { decodeTracesProtobuf } from '@cairn/otlp';
import { normalizeSpan } from '@cairn/semantic';
import { encodeAgentBatches } from './agent-batches.js';

export const WEEK_NANOS = 7n * 24n * 3600n * 1_000_000_000n;

export interface TemplateFill {
  /** The `pass`-th copy of the templates: new trace ids, a start spread over the last 7 days. */
  copy(pass: number): SpanRecord[];
  /** Spans in one pass. */
  spansPerPass: number;
  /** Time between the starts of consecutive passes (negative when newest first). */
  passShiftNanos: bigint;
}

export function createTemplateFill(spansPerTrace: number, options: { newestFirstTotalSpans?: number; nowNanos?: bigint } = {}): TemplateFill {
  const nowNanos = options.nowNanos ?? BigInt(Date.now()) * 1_000_000n;
  const templates: SpanRecord[] = encodeAgentBatches(10, 2_000, spansPerTrace).flatMap((batch) =>
    decodeTracesProtobuf(batch.body).spans.map((span) => normalizeSpan(span, { projectId: 'default', receivedUnixNano: 1n })),
  );
  const templateStart = templates.reduce((min, span) => (span.startTimeUnixNano < min ? span.startTimeUnixNano : min), templates[0]!.startTimeUnixNano);
  const total = options.newestFirstTotalSpans;
  const passesPerWeek = total === undefined ? 2_600n : BigInt(Math.max(1, Math.ceil(total / templates.length)));
  // Pass 0 starts a week ago and later ones follow, or (newest first) pass 0 ends at now.
  const passStart = (pass: number): bigint =>
    total === undefined ? nowNanos - WEEK_NANOS + (BigInt(pass) * WEEK_NANOS) / passesPerWeek : nowNanos - 3_600_000_000_000n - (BigInt(pass + 1) * WEEK_NANOS) / passesPerWeek;
  return {
    spansPerPass: templates.length,
    passShiftNanos: total === undefined ? WEEK_NANOS / passesPerWeek : -(WEEK_NANOS / passesPerWeek),
    copy(pass) {
      const prefix = pass.toString(16).padStart(6, '0');
      const traceOffsets = new Map<string, bigint>();
      return templates.map((span) => {
        let offset = traceOffsets.get(span.traceId);
        if (offset === undefined) {
          // Deterministic spread: later passes are more recent; traces in a pass spread over ~1 h.
          const hash = BigInt(parseInt(span.traceId.slice(0, 8), 16) % 3600) * 1_000_000_000n;
          offset = passStart(pass) + hash - templateStart;
          traceOffsets.set(span.traceId, offset);
        }
        return {
          ...span,
          traceId: prefix + span.traceId.slice(6),
          sessionId: span.sessionId ? `${span.sessionId}-${pass % 500}` : null,
          startTimeUnixNano: span.startTimeUnixNano + offset,
          endTimeUnixNano: span.endTimeUnixNano + offset,
        };
      });
    },
  };
}

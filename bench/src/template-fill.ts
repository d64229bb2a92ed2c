// Fills a store for the read benchmarks: agent traces produced by the real decode and normalize
// path from OTLP batches, re-issued pass after pass with fresh trace ids and spread over the
// last 7 days (later passes more recent).

import type { SpanRecord } from '@cairn/model';
import { decodeTracesProtobuf } from '@cairn/otlp';
import { normalizeSpan } from '@cairn/semantic';
import { encodeAgentBatches } from './agent-batches.js';

export const WEEK_NANOS = 7n * 24n * 3600n * 1_000_000_000n;

export interface TemplateFill {
  /** The `pass`-th copy of the templates: new trace ids, a start spread over the last 7 days. */
  copy(pass: number): SpanRecord[];
}

export function createTemplateFill(spansPerTrace: number, nowNanos = BigInt(Date.now()) * 1_000_000n): TemplateFill {
  const templates: SpanRecord[] = encodeAgentBatches(10, 2_000, spansPerTrace).flatMap((batch) =>
    decodeTracesProtobuf(batch.body).spans.map((span) => normalizeSpan(span, { projectId: 'default', receivedUnixNano: 1n })),
  );
  const templateStart = templates.reduce((min, span) => (span.startTimeUnixNano < min ? span.startTimeUnixNano : min), templates[0]!.startTimeUnixNano);
  return {
    copy(pass) {
      const prefix = pass.toString(16).padStart(6, '0');
      const traceOffsets = new Map<string, bigint>();
      return templates.map((span) => {
        let offset = traceOffsets.get(span.traceId);
        if (offset === undefined) {
          // Deterministic spread: later passes are more recent; traces in a pass spread over ~1 h.
          const hash = BigInt(parseInt(span.traceId.slice(0, 8), 16) % 3600) * 1_000_000_000n;
          offset = nowNanos - WEEK_NANOS + (BigInt(pass) * WEEK_NANOS) / 2_600n + hash - templateStart;
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

// One OTLP trace export, decoded and normalized into the batch the store writes: the work of an
// export before the write queue, the same on the event loop (IngestPipeline) and in an ingest
// thread (ingest-thread.ts).

import { decodeTracesJson, decodeTracesProtobuf } from '@cairn/otlp';
import { nowUnixNano, type SpanRecord } from '@cairn/model';
import { demoteWrappingModelCalls, normalizeSpan, type PricingContext } from '@cairn/semantic';
import type { WriteBatch } from '@cairn/storage';

/** How the request (and therefore the response) body is encoded. */
export type OtlpBodyEncoding = 'protobuf' | 'json';

/**
 * Marks a live record: a snapshot of a span still running, sent by the Cairn SDK as an ordinary
 * OTLP span. It is stored apart (WriteBatch.liveSpans) until the finished span replaces it.
 */
const LIVE_ATTRIBUTE = 'cairn.live';
/** Rejection messages echoed to the client; the rest are summarized. */
const MAX_REJECTION_MESSAGES = 5;

export interface NormalizedTraces {
  /** null when the export holds no span to store. */
  batch: WriteBatch | null;
  /** Spans decoded (live records excluded), live records, spans rejected (invalid or not normalized). */
  received: number;
  liveCount: number;
  rejected: number;
  /** The partial-success message when spans were rejected. */
  rejectionMessage: string | null;
  /** Spans whose normalization threw (a normalizer bug), for the server log. */
  failures: { traceId: string; spanId: string; error: unknown }[];
}

/** Throws OtlpDecodeError when the body is not a readable export. */
export function normalizeTraces(encoding: OtlpBodyEncoding, body: Uint8Array, projectId: string, pricing: PricingContext): NormalizedTraces {
  const decoded = encoding === 'protobuf' ? decodeTracesProtobuf(body) : decodeTracesJson(body);
  const receivedUnixNano = nowUnixNano();
  const spans: SpanRecord[] = [];
  const liveSpans: SpanRecord[] = [];
  const failures: NormalizedTraces['failures'] = [];
  const messages = decoded.rejectionMessages.slice(0, MAX_REJECTION_MESSAGES);
  let rejected = decoded.rejectedSpans;
  for (const wireSpan of decoded.spans) {
    try {
      const record = normalizeSpan(wireSpan, { projectId, receivedUnixNano, pricing });
      if (wireSpan.attributes[LIVE_ATTRIBUTE] === true) liveSpans.push(record);
      else spans.push(record);
    } catch (error) {
      // A normalizer bug must not cost the rest of the request; the span is reported rejected.
      rejected++;
      failures.push({ traceId: wireSpan.traceId, spanId: wireSpan.spanId, error });
      if (messages.length < MAX_REJECTION_MESSAGES) messages.push(`span ${wireSpan.spanId} could not be normalized`);
    }
  }
  // A model call nested in another (one call instrumented twice) is counted once: the outer
  // span becomes its wrapper. The analyzer does the same for pairs split across requests.
  demoteWrappingModelCalls(spans);
  const more = decoded.rejectionMessages.length > MAX_REJECTION_MESSAGES ? ' …' : '';
  return {
    batch: spans.length + liveSpans.length === 0 ? null : liveSpans.length > 0 ? { spans, events: [], liveSpans } : { spans, events: [] },
    received: decoded.spans.length + decoded.rejectedSpans - liveSpans.length,
    liveCount: liveSpans.length,
    rejected,
    rejectionMessage: rejected === 0 ? null : `${rejected} span(s) rejected: ${messages.join('; ')}${more}`,
    failures,
  };
}

// The result of decoding one OTLP trace export request, whatever its encoding.

import type { WireSpan } from '@cairn/model';

export interface DecodedTraces {
  /** Valid spans in wire order. Spans of one ResourceSpans/ScopeSpans share resource/scope objects. */
  spans: WireSpan[];
  /** Spans present in the request but not returned (bad ids, or log records on /v1/traces). */
  rejectedSpans: number;
  /** The first few rejection reasons, then "and N more"; empty when nothing was rejected. */
  rejectionMessages: string[];
}

// The result of decoding one OTLP logs export request: only the log records that are span events.

import type { InstrumentationScope, Resource, SpanEvent } from '@cairn/model';

/** A log record that carries a trace id, a span id and an event name: an event of that span. */
export interface DecodedLogEvent {
  traceId: string;
  spanId: string;
  event: SpanEvent;
  /** Shared by every event of the same ResourceLogs; do not mutate. */
  resource: Resource;
  /** Shared by every event of the same ScopeLogs; do not mutate. */
  scope: InstrumentationScope;
}

export interface DecodedLogs {
  events: DecodedLogEvent[];
  /** Every log record in the request. */
  totalLogRecords: number;
  /** Records without valid trace and span ids or without an event name (not span events). */
  skippedLogRecords: number;
}

// The fields of a span that analysis reads. A stored span (TraceStore.getTrace) and a full
// SpanRecord both satisfy it, so analysis runs on what the trace view already loaded.

import type { SpanRecord } from '@cairn/model';

export type AnalysisSpan = Pick<
  SpanRecord,
  | 'spanId'
  | 'parentSpanId'
  | 'name'
  | 'startTimeUnixNano'
  | 'endTimeUnixNano'
  | 'status'
  | 'spanType'
  | 'model'
  | 'operation'
  | 'agentName'
  | 'toolName'
  | 'usage'
  | 'costUsd'
  | 'attributes'
  | 'inputPreview'
  | 'outputPreview'
>;

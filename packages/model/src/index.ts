export type { AttributeMap, AttributeValue } from './attributes.js';
export { numberAttribute, stringAttribute } from './attributes.js';
export {
  decodeStoredAttributes,
  encodeStoredAttributes,
  stringifyJson,
  toApiAttributes,
  toApiValue,
} from './attribute-json.js';
export { bytesToHex, isValidSpanId, isValidTraceId } from './ids.js';
export { durationMillis, millisToNanos, nanosToIso, nanosToMillis, nowUnixNano } from './time.js';
export type {
  CanonicalMessage,
  CostProvenance,
  CostSource,
  InstrumentationScope,
  MessagePart,
  Resource,
  RetrievalDocument,
  SpanEvent,
  SpanKindName,
  SpanLink,
  SpanRecord,
  SpanSemantics,
  SpanStatus,
  SpanType,
  StatusCodeName,
  TokenUsage,
  WireSpan,
} from './span-record.js';
export { EMPTY_USAGE, PREVIEW_MAX_CHARS, SPAN_KIND_NAMES, SPAN_TYPES, STATUS_CODE_NAMES } from './span-record.js';
export type { SessionSummary, TraceSummary } from './trace-summary.js';
export { MISSING_ROOT_NAME } from './trace-summary.js';

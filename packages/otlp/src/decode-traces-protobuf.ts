// Hand-written decoder for opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.
// It builds WireSpans straight from the bytes (no intermediate message objects): ids become hex
// only after their length is checked, times stay bigint, strings are sliced natively.
//
// Field numbers: opentelemetry-proto trace/v1/trace.proto (see shared/reference §1.1).

import type { AttributeMap, InstrumentationScope, Resource, SpanEvent, SpanLink, SpanStatus, WireSpan } from '@cairn/model';
import { STATUS_CODE_NAMES } from '@cairn/model';
import type { DecodedTraces } from './decoded-traces.js';
import { decodeLogsProtobuf } from './decode-logs-protobuf.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { decodeKeyValueInto, decodeResourceInto, decodeScopeInto } from './internal/protobuf-common.js';
import { ProtobufReader } from './internal/protobuf-reader.js';
import { emptyResource, emptyScope } from './internal/empty-envelopes.js';
import { RejectionLog } from './internal/rejection-log.js';
import { LOGS_ON_TRACES_HINT, spanIdProblem, spanLabel, ZERO_SPAN_ID } from './internal/span-id-problem.js';

const REQUEST_RESOURCE_SPANS = (1 << 3) | 2;
// ResourceSpans { resource=1; scope_spans=2; schema_url=3 }; ScopeSpans { scope=1; spans=2; schema_url=3 }
const ENVELOPE_HEAD = (1 << 3) | 2;
const ENVELOPE_ITEMS = (2 << 3) | 2;
const ENVELOPE_SCHEMA_URL = (3 << 3) | 2;
// Span
const SPAN_TRACE_ID = (1 << 3) | 2;
const SPAN_SPAN_ID = (2 << 3) | 2;
const SPAN_TRACE_STATE = (3 << 3) | 2;
const SPAN_PARENT_SPAN_ID = (4 << 3) | 2;
const SPAN_NAME = (5 << 3) | 2;
const SPAN_KIND = (6 << 3) | 0;
const SPAN_START_TIME = (7 << 3) | 1;
const SPAN_END_TIME = (8 << 3) | 1;
const SPAN_ATTRIBUTES = (9 << 3) | 2;
const SPAN_DROPPED_ATTRIBUTES = (10 << 3) | 0;
const SPAN_EVENTS = (11 << 3) | 2;
const SPAN_DROPPED_EVENTS = (12 << 3) | 0;
const SPAN_LINKS = (13 << 3) | 2;
const SPAN_DROPPED_LINKS = (14 << 3) | 0;
const SPAN_STATUS = (15 << 3) | 2;
const SPAN_FLAGS = (16 << 3) | 5;
// A LogRecord has fixed64 times in fields 1 and 11, where a Span has bytes and events. Logs
// posted to /v1/traces otherwise decode "fine" as id-less spans (ResourceLogs/ScopeLogs share
// the envelope field numbers), so these two tags mark the message as a log record.
const LOG_RECORD_TIME = (1 << 3) | 1;
const LOG_RECORD_OBSERVED_TIME = (11 << 3) | 1;
// Span.Event { time_unix_nano=1; name=2; attributes=3; dropped_attributes_count=4 }
const EVENT_TIME = (1 << 3) | 1;
const EVENT_NAME = (2 << 3) | 2;
const EVENT_ATTRIBUTES = (3 << 3) | 2;
const EVENT_DROPPED_ATTRIBUTES = (4 << 3) | 0;
// Span.Link { trace_id=1; span_id=2; trace_state=3; attributes=4; dropped_attributes_count=5; flags=6 }
const LINK_TRACE_ID = (1 << 3) | 2;
const LINK_SPAN_ID = (2 << 3) | 2;
const LINK_TRACE_STATE = (3 << 3) | 2;
const LINK_ATTRIBUTES = (4 << 3) | 2;
const LINK_DROPPED_ATTRIBUTES = (5 << 3) | 0;
const LINK_FLAGS = (6 << 3) | 5;
// Status { message=2; code=3 }
const STATUS_MESSAGE = (2 << 3) | 2;
const STATUS_CODE = (3 << 3) | 0;

interface TraceDecoding {
  reader: ProtobufReader;
  spans: WireSpan[];
  rejections: RejectionLog;
}

/** Decodes a binary ExportTraceServiceRequest; throws OtlpDecodeError when the bytes are not one. */
export function decodeTracesProtobuf(body: Uint8Array): DecodedTraces {
  try {
    return decodeRequest(body);
  } catch (error) {
    const logRecords = error instanceof OtlpDecodeError ? countLogRecords(body) : 0;
    if (logRecords === 0) throw error;
    const message = `the body decodes as OTLP logs with ${logRecords} log records, not as spans (${LOGS_ON_TRACES_HINT})`;
    return { spans: [], rejectedSpans: logRecords, rejectionMessages: [message] };
  }
}

/**
 * Log records in a body that failed to decode as traces, or 0 when it is not a logs request
 * either. Most logs bodies are caught span by span (LOG_RECORD_TIME below); this catches log
 * records whose encoder left out the zero times, where the record's trace_id (field 9) then
 * fails to parse as span attributes. A damaged traces body does not pass for logs: a span's
 * trace_id in field 1 makes the logs decoder fail too.
 */
function countLogRecords(body: Uint8Array): number {
  try {
    return decodeLogsProtobuf(body).totalLogRecords;
  } catch {
    return 0;
  }
}

function decodeRequest(body: Uint8Array): DecodedTraces {
  const decoding: TraceDecoding = { reader: new ProtobufReader(body), spans: [], rejections: new RejectionLog() };
  const reader = decoding.reader;
  const end = body.length;
  let resourceIndex = 0;
  while (reader.pos < end) {
    const tag = reader.readTag(end);
    if (tag === REQUEST_RESOURCE_SPANS) decodeResourceSpans(decoding, reader.readMessageEnd(end), resourceIndex++);
    else reader.skip(tag, end);
  }
  return {
    spans: decoding.spans,
    rejectedSpans: decoding.rejections.count,
    rejectionMessages: decoding.rejections.summary(),
  };
}

function decodeResourceSpans(decoding: TraceDecoding, end: number, resourceIndex: number): void {
  const reader = decoding.reader;
  // Spans point at this object before its later fields (schema_url comes last on the wire) arrive.
  const resource = emptyResource();
  let scopeIndex = 0;
  while (reader.pos < end) {
    const tag = reader.readTag(end);
    if (tag === ENVELOPE_ITEMS) decodeScopeSpans(decoding, reader.readMessageEnd(end), resource, resourceIndex, scopeIndex++);
    else if (tag === ENVELOPE_HEAD) decodeResourceInto(reader, reader.readMessageEnd(end), resource);
    else if (tag === ENVELOPE_SCHEMA_URL) resource.schemaUrl = reader.readString(end);
    else reader.skip(tag, end);
  }
}

function decodeScopeSpans(
  decoding: TraceDecoding,
  end: number,
  resource: Resource,
  resourceIndex: number,
  scopeIndex: number,
): void {
  const reader = decoding.reader;
  const scope = emptyScope();
  let spanIndex = 0;
  while (reader.pos < end) {
    const tag = reader.readTag(end);
    if (tag === ENVELOPE_ITEMS) {
      decodeSpan(decoding, reader.readMessageEnd(end), resource, scope, resourceIndex, scopeIndex, spanIndex++);
    } else if (tag === ENVELOPE_HEAD) decodeScopeInto(reader, reader.readMessageEnd(end), scope);
    else if (tag === ENVELOPE_SCHEMA_URL) scope.schemaUrl = reader.readString(end);
    else reader.skip(tag, end);
  }
}

function decodeSpan(
  decoding: TraceDecoding,
  end: number,
  resource: Resource,
  scope: InstrumentationScope,
  resourceIndex: number,
  scopeIndex: number,
  spanIndex: number,
): void {
  const reader = decoding.reader;
  let traceIdStart = 0;
  let traceIdBytes = 0;
  let spanIdStart = 0;
  let spanIdBytes = 0;
  let parentStart = 0;
  let parentBytes = 0;
  let traceState = '';
  let name = '';
  let kind = 0;
  let startTimeUnixNano = 0n;
  let endTimeUnixNano = 0n;
  const attributes: AttributeMap = {};
  let droppedAttributesCount = 0;
  const events: SpanEvent[] = [];
  let droppedEventsCount = 0;
  const links: SpanLink[] = [];
  let droppedLinksCount = 0;
  let status: SpanStatus | null = null;
  let flags = 0;
  while (reader.pos < end) {
    const tag = reader.readTag(end);
    switch (tag) {
      case SPAN_TRACE_ID:
        traceIdBytes = reader.readLength(end);
        traceIdStart = reader.pos;
        reader.pos += traceIdBytes;
        break;
      case SPAN_SPAN_ID:
        spanIdBytes = reader.readLength(end);
        spanIdStart = reader.pos;
        reader.pos += spanIdBytes;
        break;
      case SPAN_TRACE_STATE:
        traceState = reader.readString(end);
        break;
      case SPAN_PARENT_SPAN_ID:
        parentBytes = reader.readLength(end);
        parentStart = reader.pos;
        reader.pos += parentBytes;
        break;
      case SPAN_NAME:
        name = reader.readRepeatedString(end);
        break;
      case SPAN_KIND:
        kind = reader.readVarint32(end) | 0; // enum: int32, kept as sent even when out of range
        break;
      case SPAN_START_TIME:
        startTimeUnixNano = reader.readFixed64(end);
        break;
      case SPAN_END_TIME:
        endTimeUnixNano = reader.readFixed64(end);
        break;
      case SPAN_ATTRIBUTES:
        decodeKeyValueInto(reader, reader.readMessageEnd(end), attributes);
        break;
      case SPAN_DROPPED_ATTRIBUTES:
        droppedAttributesCount = reader.readVarint32(end);
        break;
      case SPAN_EVENTS:
        events.push(decodeEvent(reader, reader.readMessageEnd(end)));
        break;
      case SPAN_DROPPED_EVENTS:
        droppedEventsCount = reader.readVarint32(end);
        break;
      case SPAN_LINKS:
        links.push(decodeLink(reader, reader.readMessageEnd(end)));
        break;
      case SPAN_DROPPED_LINKS:
        droppedLinksCount = reader.readVarint32(end);
        break;
      case SPAN_STATUS:
        status = decodeStatus(reader, reader.readMessageEnd(end));
        break;
      case SPAN_FLAGS:
        flags = reader.readFixed32(end);
        break;
      case LOG_RECORD_TIME:
      case LOG_RECORD_OBSERVED_TIME:
        reader.pos = end; // the rest is a LogRecord; its trace_id (9) would misparse as attributes
        decoding.rejections.add(
          `${spanLabel(resourceIndex, scopeIndex, spanIndex, '')}: looks like a log record, not a span (${LOGS_ON_TRACES_HINT})`,
        );
        return;
      default:
        reader.skip(tag, end);
    }
  }
  const traceId = traceIdBytes === 16 ? reader.hex(traceIdStart, traceIdStart + 16) : null;
  const spanId = spanIdBytes === 8 ? reader.hex(spanIdStart, spanIdStart + 8) : null;
  const problem = spanIdProblem(traceIdBytes, traceId, spanIdBytes, spanId, parentBytes);
  if (problem !== null || traceId === null || spanId === null) {
    decoding.rejections.add(`${spanLabel(resourceIndex, scopeIndex, spanIndex, name)}: ${problem ?? 'invalid ids'}`);
    return;
  }
  let parentSpanId: string | null = null;
  if (parentBytes === 8) {
    const parentHex = reader.hex(parentStart, parentStart + 8);
    if (parentHex !== ZERO_SPAN_ID) parentSpanId = parentHex; // an all-zero parent marks a root
  }
  decoding.spans.push({
    traceId,
    spanId,
    parentSpanId,
    traceState,
    flags,
    name,
    kind,
    startTimeUnixNano,
    endTimeUnixNano,
    attributes,
    droppedAttributesCount,
    events,
    droppedEventsCount,
    links,
    droppedLinksCount,
    status: status ?? { code: 'unset', message: '' },
    resource,
    scope,
  });
}

function decodeEvent(reader: ProtobufReader, end: number): SpanEvent {
  let timeUnixNano = 0n;
  let name = '';
  const attributes: AttributeMap = {};
  let droppedAttributesCount = 0;
  while (reader.pos < end) {
    const tag = reader.readTag(end);
    if (tag === EVENT_TIME) timeUnixNano = reader.readFixed64(end);
    else if (tag === EVENT_NAME) name = reader.readRepeatedString(end);
    else if (tag === EVENT_ATTRIBUTES) decodeKeyValueInto(reader, reader.readMessageEnd(end), attributes);
    else if (tag === EVENT_DROPPED_ATTRIBUTES) droppedAttributesCount = reader.readVarint32(end);
    else reader.skip(tag, end);
  }
  return { timeUnixNano, name, attributes, droppedAttributesCount };
}

/** Links keep their ids as sent (hex of whatever bytes came); they are references, not keys. */
function decodeLink(reader: ProtobufReader, end: number): SpanLink {
  let traceId = '';
  let spanId = '';
  let traceState = '';
  const attributes: AttributeMap = {};
  let droppedAttributesCount = 0;
  let flags = 0;
  while (reader.pos < end) {
    const tag = reader.readTag(end);
    switch (tag) {
      case LINK_TRACE_ID:
      case LINK_SPAN_ID: {
        const length = reader.readLength(end);
        const hex = reader.hex(reader.pos, reader.pos + length);
        reader.pos += length;
        if (tag === LINK_TRACE_ID) traceId = hex;
        else spanId = hex;
        break;
      }
      case LINK_TRACE_STATE:
        traceState = reader.readString(end);
        break;
      case LINK_ATTRIBUTES:
        decodeKeyValueInto(reader, reader.readMessageEnd(end), attributes);
        break;
      case LINK_DROPPED_ATTRIBUTES:
        droppedAttributesCount = reader.readVarint32(end);
        break;
      case LINK_FLAGS:
        flags = reader.readFixed32(end);
        break;
      default:
        reader.skip(tag, end);
    }
  }
  return { traceId, spanId, traceState, attributes, droppedAttributesCount, flags };
}

function decodeStatus(reader: ProtobufReader, end: number): SpanStatus {
  let message = '';
  let code = 0;
  while (reader.pos < end) {
    const tag = reader.readTag(end);
    if (tag === STATUS_MESSAGE) message = reader.readString(end);
    else if (tag === STATUS_CODE) code = reader.readVarint32(end) | 0;
    else reader.skip(tag, end);
  }
  return { code: STATUS_CODE_NAMES[code] ?? 'unset', message };
}

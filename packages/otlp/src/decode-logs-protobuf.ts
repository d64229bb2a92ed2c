// Hand-written decoder for opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest that
// keeps only the log records that are span events (see logRecordEvent).
//
// Field numbers: opentelemetry-proto logs/v1/logs.proto — ResourceLogs { resource=1;
// scope_logs=2; schema_url=3 }, ScopeLogs { scope=1; log_records=2; schema_url=3 }, LogRecord
// below. Verified against @opentelemetry/otlp-transformer's logs-serializer.

import type { InstrumentationScope, Resource } from '@cairn/model';
import type { DecodedLogEvent, DecodedLogs } from './decoded-logs.js';
import { emptyResource, emptyScope } from './internal/empty-envelopes.js';
import type { LogRecordFields } from './internal/log-record-event.js';
import { logRecordEvent } from './internal/log-record-event.js';
import { decodeAnyValue, decodeKeyValueInto, decodeResourceInto, decodeScopeInto } from './internal/protobuf-common.js';
import { ProtobufReader } from './internal/protobuf-reader.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { ZERO_SPAN_ID, ZERO_TRACE_ID } from './internal/span-id-problem.js';

const REQUEST_RESOURCE_LOGS = (1 << 3) | 2;
const ENVELOPE_HEAD = (1 << 3) | 2;
const ENVELOPE_ITEMS = (2 << 3) | 2;
const ENVELOPE_SCHEMA_URL = (3 << 3) | 2;
// LogRecord
const LOG_TIME = (1 << 3) | 1;
const LOG_SEVERITY_NUMBER = (2 << 3) | 0;
const LOG_SEVERITY_TEXT = (3 << 3) | 2;
const LOG_BODY = (5 << 3) | 2;
const LOG_ATTRIBUTES = (6 << 3) | 2;
const LOG_DROPPED_ATTRIBUTES = (7 << 3) | 0;
const LOG_TRACE_ID = (9 << 3) | 2;
const LOG_SPAN_ID = (10 << 3) | 2;
const LOG_OBSERVED_TIME = (11 << 3) | 1;
const LOG_EVENT_NAME = (12 << 3) | 2;
// flags (8, fixed32) is not needed: the span carries its own.
// A Span has its trace_id (bytes) in field 1, where a LogRecord has a fixed64 time; the rest of a
// span misreads as log fields (its name as a body AnyValue), so stop with a clear message instead.
const SPAN_TRACE_ID = (1 << 3) | 2;

interface LogsDecoding {
  reader: ProtobufReader;
  events: DecodedLogEvent[];
  totalLogRecords: number;
}

/** Decodes a binary ExportLogsServiceRequest; throws OtlpDecodeError when the bytes are not one. */
export function decodeLogsProtobuf(body: Uint8Array): DecodedLogs {
  const decoding: LogsDecoding = { reader: new ProtobufReader(body), events: [], totalLogRecords: 0 };
  const reader = decoding.reader;
  const end = body.length;
  while (reader.pos < end) {
    const tag = reader.readTag(end);
    if (tag === REQUEST_RESOURCE_LOGS) decodeResourceLogs(decoding, reader.readMessageEnd(end));
    else reader.skip(tag, end);
  }
  return {
    events: decoding.events,
    totalLogRecords: decoding.totalLogRecords,
    skippedLogRecords: decoding.totalLogRecords - decoding.events.length,
  };
}

function decodeResourceLogs(decoding: LogsDecoding, end: number): void {
  const reader = decoding.reader;
  const resource = emptyResource();
  while (reader.pos < end) {
    const tag = reader.readTag(end);
    if (tag === ENVELOPE_ITEMS) decodeScopeLogs(decoding, reader.readMessageEnd(end), resource);
    else if (tag === ENVELOPE_HEAD) decodeResourceInto(reader, reader.readMessageEnd(end), resource);
    else if (tag === ENVELOPE_SCHEMA_URL) resource.schemaUrl = reader.readString(end);
    else reader.skip(tag, end);
  }
}

function decodeScopeLogs(decoding: LogsDecoding, end: number, resource: Resource): void {
  const reader = decoding.reader;
  const scope = emptyScope();
  while (reader.pos < end) {
    const tag = reader.readTag(end);
    if (tag === ENVELOPE_ITEMS) {
      decoding.totalLogRecords++;
      const event = decodeLogRecord(reader, reader.readMessageEnd(end), resource, scope, decoding.totalLogRecords - 1);
      if (event !== null) decoding.events.push(event);
    } else if (tag === ENVELOPE_HEAD) decodeScopeInto(reader, reader.readMessageEnd(end), scope);
    else if (tag === ENVELOPE_SCHEMA_URL) scope.schemaUrl = reader.readString(end);
    else reader.skip(tag, end);
  }
}

function decodeLogRecord(
  reader: ProtobufReader,
  end: number,
  resource: Resource,
  scope: InstrumentationScope,
  recordIndex: number,
): DecodedLogEvent | null {
  const record: LogRecordFields = {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body: undefined,
    attributes: {},
    droppedAttributesCount: 0,
    traceId: null,
    spanId: null,
    eventName: '',
  };
  while (reader.pos < end) {
    const tag = reader.readTag(end);
    switch (tag) {
      case LOG_TIME:
        record.timeUnixNano = reader.readFixed64(end);
        break;
      case LOG_OBSERVED_TIME:
        record.observedTimeUnixNano = reader.readFixed64(end);
        break;
      case LOG_SEVERITY_NUMBER:
        record.severityNumber = reader.readVarint32(end) | 0;
        break;
      case LOG_SEVERITY_TEXT:
        record.severityText = reader.readRepeatedString(end);
        break;
      case LOG_BODY:
        record.body = decodeAnyValue(reader, reader.readMessageEnd(end), 0);
        break;
      case LOG_ATTRIBUTES:
        decodeKeyValueInto(reader, reader.readMessageEnd(end), record.attributes);
        break;
      case LOG_DROPPED_ATTRIBUTES:
        record.droppedAttributesCount = reader.readVarint32(end);
        break;
      case LOG_TRACE_ID:
        record.traceId = readId(reader, end, 16, ZERO_TRACE_ID);
        break;
      case LOG_SPAN_ID:
        record.spanId = readId(reader, end, 8, ZERO_SPAN_ID);
        break;
      case LOG_EVENT_NAME:
        record.eventName = reader.readRepeatedString(end);
        break;
      case SPAN_TRACE_ID:
        throw new OtlpDecodeError(
          `log record #${recordIndex} (field 1 at byte offset ${reader.pos - 1} holds bytes) looks like a span: is this a traces request sent to /v1/logs?`,
        );
      default:
        reader.skip(tag, end);
    }
  }
  return logRecordEvent(record, resource, scope);
}

/** Hex of an id field, or null when it has another length or is all zeros. */
function readId(reader: ProtobufReader, end: number, byteLength: number, zero: string): string | null {
  const length = reader.readLength(end);
  const start = reader.pos;
  reader.pos = start + length;
  if (length !== byteLength) return null;
  const hex = reader.hex(start, start + length);
  return hex === zero ? null : hex;
}

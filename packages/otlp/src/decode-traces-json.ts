// Decoder for OTLP/JSON ExportTraceServiceRequest bodies (not proto3 JSON: ids are hex, enums
// numbers). Lenient where senders commonly deviate — uppercase hex, enum names, snake_case keys,
// 64-bit integers as bare numbers — and strict about shapes, which fail with the JSON path.

import type { InstrumentationScope, Resource, SpanEvent, SpanLink, SpanStatus, WireSpan } from '@cairn/model';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from '@cairn/model';
import type { DecodedTraces } from './decoded-traces.js';
import { parseOtlpJson } from './internal/json-parse.js';
import type { JsonId, JsonObject } from './internal/json-values.js';
import {
  arrayAt,
  attributesAt,
  enumAt,
  field,
  idAt,
  int32At,
  isJsonObject,
  objectAt,
  optionalObjectAt,
  resourceAt,
  scopeAt,
  stringAt,
  uint64At,
} from './internal/json-values.js';
import { RejectionLog } from './internal/rejection-log.js';
import { LOGS_ON_TRACES_HINT, spanIdProblem, spanLabel, ZERO_SPAN_ID } from './internal/span-id-problem.js';

const STATUS_NAMES = ['UNSET', 'OK', 'ERROR'] as const;

/** Decodes an OTLP/JSON ExportTraceServiceRequest; throws OtlpDecodeError for invalid JSON or shapes. */
export function decodeTracesJson(body: Uint8Array | string): DecodedTraces {
  const request = objectAt(parseOtlpJson(body), 'the body');
  const spans: WireSpan[] = [];
  const rejections = new RejectionLog();
  const resourceSpansValue = field(request, 'resourceSpans', 'resource_spans');
  if (resourceSpansValue === undefined) rejectLogRecords(request, rejections);
  const resourceSpansList = arrayAt(resourceSpansValue, 'resourceSpans');
  for (let resourceIndex = 0; resourceIndex < resourceSpansList.length; resourceIndex++) {
    const resourcePath = `resourceSpans[${resourceIndex}]`;
    const resourceSpans = objectAt(resourceSpansList[resourceIndex], resourcePath);
    const resource = resourceAt(resourceSpans, resourcePath);
    const scopeSpansList = arrayAt(field(resourceSpans, 'scopeSpans', 'scope_spans'), `${resourcePath}.scopeSpans`);
    for (let scopeIndex = 0; scopeIndex < scopeSpansList.length; scopeIndex++) {
      const scopePath = `${resourcePath}.scopeSpans[${scopeIndex}]`;
      const scopeSpans = objectAt(scopeSpansList[scopeIndex], scopePath);
      const scope = scopeAt(scopeSpans, scopePath);
      const spanList = arrayAt(scopeSpans.spans, `${scopePath}.spans`);
      for (let spanIndex = 0; spanIndex < spanList.length; spanIndex++) {
        const span = decodeSpan(spanList[spanIndex], `${scopePath}.spans[${spanIndex}]`, resource, scope);
        if (typeof span !== 'string') spans.push(span);
        else rejections.add(`${spanLabel(resourceIndex, scopeIndex, spanIndex, spanName(spanList[spanIndex]))}: ${span}`);
      }
    }
  }
  return { spans, rejectedSpans: rejections.count, rejectionMessages: rejections.summary() };
}

/** A logs body sent to /v1/traces: count its records as rejected spans instead of accepting nothing silently. */
function rejectLogRecords(request: JsonObject, rejections: RejectionLog): void {
  const resourceLogs = field(request, 'resourceLogs', 'resource_logs');
  if (!Array.isArray(resourceLogs)) return;
  let records = 0;
  for (const envelope of resourceLogs) {
    if (!isJsonObject(envelope)) continue;
    const scopeLogs = field(envelope, 'scopeLogs', 'scope_logs');
    if (!Array.isArray(scopeLogs)) continue;
    for (const scope of scopeLogs) {
      const logRecords = isJsonObject(scope) ? field(scope, 'logRecords', 'log_records') : undefined;
      if (Array.isArray(logRecords)) records += logRecords.length;
    }
  }
  rejections.addMany(records, `the body has resourceLogs with ${records} log records and no resourceSpans (${LOGS_ON_TRACES_HINT})`);
}

function spanName(value: unknown): string {
  return isJsonObject(value) && typeof value.name === 'string' ? value.name : '';
}

/** The span, or the reason its ids make it unusable. */
function decodeSpan(value: unknown, path: string, resource: Resource, scope: InstrumentationScope): WireSpan | string {
  const span = objectAt(value, path);
  const traceId = idAt(field(span, 'traceId', 'trace_id'));
  const spanId = idAt(field(span, 'spanId', 'span_id'));
  const parent = idAt(field(span, 'parentSpanId', 'parent_span_id'));
  const problem = jsonIdProblem(traceId, spanId, parent);
  if (problem !== null) return problem;
  const statusObject = optionalObjectAt(span.status, `${path}.status`);
  let status: SpanStatus = { code: 'unset', message: '' };
  if (statusObject !== null) {
    const code = enumAt(statusObject.code, `${path}.status.code`, 'STATUS_CODE_', STATUS_NAMES);
    status = { code: STATUS_CODE_NAMES[code] ?? 'unset', message: stringAt(statusObject.message, `${path}.status.message`) };
  }
  return {
    traceId: traceId.hex,
    spanId: spanId.hex,
    parentSpanId: parent.bytes === 8 && parent.hex !== ZERO_SPAN_ID ? parent.hex : null,
    traceState: stringAt(field(span, 'traceState', 'trace_state'), `${path}.traceState`),
    flags: int32At(span.flags, `${path}.flags`) >>> 0,
    name: stringAt(span.name, `${path}.name`),
    kind: enumAt(span.kind, `${path}.kind`, 'SPAN_KIND_', SPAN_KIND_NAMES),
    startTimeUnixNano: uint64At(field(span, 'startTimeUnixNano', 'start_time_unix_nano'), `${path}.startTimeUnixNano`),
    endTimeUnixNano: uint64At(field(span, 'endTimeUnixNano', 'end_time_unix_nano'), `${path}.endTimeUnixNano`),
    attributes: attributesAt(span.attributes, `${path}.attributes`),
    droppedAttributesCount: droppedCount(span, 'droppedAttributesCount', 'dropped_attributes_count', path),
    events: arrayAt(span.events, `${path}.events`).map((event, index) => decodeEvent(event, `${path}.events[${index}]`)),
    droppedEventsCount: droppedCount(span, 'droppedEventsCount', 'dropped_events_count', path),
    links: arrayAt(span.links, `${path}.links`).map((link, index) => decodeLink(link, `${path}.links[${index}]`)),
    droppedLinksCount: droppedCount(span, 'droppedLinksCount', 'dropped_links_count', path),
    status,
    resource,
    scope,
  };
}

function jsonIdProblem(traceId: JsonId, spanId: JsonId, parent: JsonId): string | null {
  if (traceId.bytes < 0) return 'trace id is not a hex string (OTLP/JSON ids are hex, not base64)';
  if (spanId.bytes < 0) return 'span id is not a hex string (OTLP/JSON ids are hex, not base64)';
  if (parent.bytes < 0) return 'parent span id is not a hex string (OTLP/JSON ids are hex, not base64)';
  return spanIdProblem(traceId.bytes, traceId.hex, spanId.bytes, spanId.hex, parent.bytes);
}

function droppedCount(object: JsonObject, camel: string, snake: string, path: string): number {
  return int32At(field(object, camel, snake), `${path}.${camel}`) >>> 0;
}

function decodeEvent(value: unknown, path: string): SpanEvent {
  const event = objectAt(value, path);
  return {
    timeUnixNano: uint64At(field(event, 'timeUnixNano', 'time_unix_nano'), `${path}.timeUnixNano`),
    name: stringAt(event.name, `${path}.name`),
    attributes: attributesAt(event.attributes, `${path}.attributes`),
    droppedAttributesCount: droppedCount(event, 'droppedAttributesCount', 'dropped_attributes_count', path),
  };
}

/** Links keep their ids as sent (lowercased); they are references, not keys. */
function decodeLink(value: unknown, path: string): SpanLink {
  const link = objectAt(value, path);
  return {
    traceId: stringAt(field(link, 'traceId', 'trace_id'), `${path}.traceId`).toLowerCase(),
    spanId: stringAt(field(link, 'spanId', 'span_id'), `${path}.spanId`).toLowerCase(),
    traceState: stringAt(field(link, 'traceState', 'trace_state'), `${path}.traceState`),
    attributes: attributesAt(link.attributes, `${path}.attributes`),
    droppedAttributesCount: droppedCount(link, 'droppedAttributesCount', 'dropped_attributes_count', path),
    flags: int32At(link.flags, `${path}.flags`) >>> 0,
  };
}

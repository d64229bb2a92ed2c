// Turns one decoded log record into a span event, the same way for protobuf and JSON input.
// OTel GenAI instrumentations emit prompts and completions as log records ("events") that name
// their span by trace and span id; those are the records Cairn attaches to spans.

import type { AttributeMap, AttributeValue, InstrumentationScope, Resource } from '@cairn/model';
import type { DecodedLogEvent } from '../decoded-logs.js';
import { setAttribute } from './set-attribute.js';

/** The fields of a LogRecord that matter here, decoded from either encoding. */
export interface LogRecordFields {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  /** Undefined when the record had no body (or an empty AnyValue). */
  body: AttributeValue | undefined;
  attributes: AttributeMap;
  droppedAttributesCount: number;
  /** Lowercase hex, or null when absent, of the wrong length or all zeros. */
  traceId: string | null;
  spanId: string | null;
  eventName: string;
}

/**
 * The span event for a record, or null when it is not one (no valid ids or no event name).
 * The name is `event_name`, else the `event.name` attribute (the pre-1.5 OTLP convention).
 * The time is the event time, else the observed time. Body and severity become attributes
 * `body`, `log.severity_number` and `log.severity_text`.
 */
export function logRecordEvent(
  record: LogRecordFields,
  resource: Resource,
  scope: InstrumentationScope,
): DecodedLogEvent | null {
  if (record.traceId === null || record.spanId === null) return null;
  let name = record.eventName;
  if (name === '') {
    const attributeName = record.attributes['event.name'];
    if (typeof attributeName === 'string') name = attributeName;
  }
  if (name === '') return null;
  const attributes = record.attributes;
  if (record.body !== undefined && record.body !== null) setAttribute(attributes, 'body', record.body);
  if (record.severityNumber !== 0) setAttribute(attributes, 'log.severity_number', BigInt(record.severityNumber));
  if (record.severityText !== '') setAttribute(attributes, 'log.severity_text', record.severityText);
  return {
    traceId: record.traceId,
    spanId: record.spanId,
    event: {
      timeUnixNano: record.timeUnixNano !== 0n ? record.timeUnixNano : record.observedTimeUnixNano,
      name,
      attributes,
      droppedAttributesCount: record.droppedAttributesCount,
    },
    resource,
    scope,
  };
}

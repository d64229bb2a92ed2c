// Decoder for OTLP/JSON ExportLogsServiceRequest bodies, keeping the log records that are span
// events (see logRecordEvent). Same leniency and strictness as decodeTracesJson.

import type { DecodedLogEvent, DecodedLogs } from './decoded-logs.js';
import { parseOtlpJson } from './internal/json-parse.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import {
  anyValueAt,
  arrayAt,
  attributesAt,
  enumAt,
  field,
  idAt,
  int32At,
  objectAt,
  resourceAt,
  scopeAt,
  stringAt,
  uint64At,
} from './internal/json-values.js';
import { logRecordEvent } from './internal/log-record-event.js';
import { ZERO_SPAN_ID, ZERO_TRACE_ID } from './internal/span-id-problem.js';

/** SeverityNumber names without the `SEVERITY_NUMBER_` prefix, indexed by number. */
const SEVERITY_NAMES = ['UNSPECIFIED'].concat(
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].map((level) => [level, `${level}2`, `${level}3`, `${level}4`]),
);

/** Decodes an OTLP/JSON ExportLogsServiceRequest; throws OtlpDecodeError for invalid JSON or shapes. */
export function decodeLogsJson(body: Uint8Array | string): DecodedLogs {
  const request = objectAt(parseOtlpJson(body), 'the body');
  const events: DecodedLogEvent[] = [];
  let totalLogRecords = 0;
  const resourceLogsValue = field(request, 'resourceLogs', 'resource_logs');
  if (resourceLogsValue === undefined && field(request, 'resourceSpans', 'resource_spans') !== undefined) {
    throw new OtlpDecodeError('the body has resourceSpans and no resourceLogs: is this a traces request sent to /v1/logs?');
  }
  const resourceLogsList = arrayAt(resourceLogsValue, 'resourceLogs');
  for (let resourceIndex = 0; resourceIndex < resourceLogsList.length; resourceIndex++) {
    const resourcePath = `resourceLogs[${resourceIndex}]`;
    const resourceLogs = objectAt(resourceLogsList[resourceIndex], resourcePath);
    const resource = resourceAt(resourceLogs, resourcePath);
    const scopeLogsList = arrayAt(field(resourceLogs, 'scopeLogs', 'scope_logs'), `${resourcePath}.scopeLogs`);
    for (let scopeIndex = 0; scopeIndex < scopeLogsList.length; scopeIndex++) {
      const scopePath = `${resourcePath}.scopeLogs[${scopeIndex}]`;
      const scopeLogs = objectAt(scopeLogsList[scopeIndex], scopePath);
      const scope = scopeAt(scopeLogs, scopePath);
      const records = arrayAt(field(scopeLogs, 'logRecords', 'log_records'), `${scopePath}.logRecords`);
      for (let recordIndex = 0; recordIndex < records.length; recordIndex++) {
        totalLogRecords++;
        const path = `${scopePath}.logRecords[${recordIndex}]`;
        const record = objectAt(records[recordIndex], path);
        const traceId = idAt(field(record, 'traceId', 'trace_id'));
        const spanId = idAt(field(record, 'spanId', 'span_id'));
        const event = logRecordEvent(
          {
            timeUnixNano: uint64At(field(record, 'timeUnixNano', 'time_unix_nano'), `${path}.timeUnixNano`),
            observedTimeUnixNano: uint64At(
              field(record, 'observedTimeUnixNano', 'observed_time_unix_nano'),
              `${path}.observedTimeUnixNano`,
            ),
            severityNumber: enumAt(
              field(record, 'severityNumber', 'severity_number'),
              `${path}.severityNumber`,
              'SEVERITY_NUMBER_',
              SEVERITY_NAMES,
            ),
            severityText: stringAt(field(record, 'severityText', 'severity_text'), `${path}.severityText`),
            body: record.body === undefined ? undefined : anyValueAt(record.body, `${path}.body`),
            attributes: attributesAt(record.attributes, `${path}.attributes`),
            droppedAttributesCount:
              int32At(field(record, 'droppedAttributesCount', 'dropped_attributes_count'), `${path}.droppedAttributesCount`) >>> 0,
            traceId: traceId.bytes === 16 && traceId.hex !== ZERO_TRACE_ID ? traceId.hex : null,
            spanId: spanId.bytes === 8 && spanId.hex !== ZERO_SPAN_ID ? spanId.hex : null,
            eventName: stringAt(field(record, 'eventName', 'event_name'), `${path}.eventName`),
          },
          resource,
          scope,
        );
        if (event !== null) events.push(event);
      }
    }
  }
  return { events, totalLogRecords, skippedLogRecords: totalLogRecords - events.length };
}

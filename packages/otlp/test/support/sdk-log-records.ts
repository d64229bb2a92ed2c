// Log records shaped exactly as @opentelemetry/sdk-logs hands them to exporters
// (ReadableLogRecord), for the real OTLP logs serializers. Built as plain objects so the tests
// need no logs SDK; the serializer only reads these fields.

import type { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { hrTime } from './sdk-spans.js';

export type SdkLogRecord = Parameters<typeof ProtobufLogsSerializer.serializeRequest>[0][number];

export const LOG_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
export const LOG_SPAN_ID = 'b7ad6b7169203331';
export const LOG_TIME = 1763700000123456789n;

const resource = resourceFromAttributes({ 'service.name': 'log-agent' });
const scope = { name: 'gen-ai-instrumentation', version: '0.1.0' };

function logRecord(overrides: Partial<SdkLogRecord>): SdkLogRecord {
  return {
    hrTime: hrTime(LOG_TIME),
    hrTimeObserved: hrTime(LOG_TIME + 500n),
    spanContext: { traceId: LOG_TRACE_ID, spanId: LOG_SPAN_ID, traceFlags: 1 },
    resource,
    instrumentationScope: scope,
    attributes: {},
    droppedAttributesCount: 0,
    ...overrides,
  };
}

/**
 * Four records: two GenAI events (one named by event_name, one by the `event.name` attribute),
 * one plain log line inside the span (no event name) and one event without a span context.
 */
export function genAiLogRecords(): SdkLogRecord[] {
  return [
    logRecord({
      eventName: 'gen_ai.user.message',
      severityNumber: 9,
      severityText: 'INFO',
      body: { content: 'What is the weather?', role: 'user' },
      attributes: { 'gen_ai.system': 'openai' },
    }),
    logRecord({
      hrTime: [0, 0],
      attributes: { 'event.name': 'gen_ai.choice', 'gen_ai.system': 'openai', index: 0 },
      body: 'sunny',
    }),
    logRecord({ body: 'plain log line' }),
    logRecord({ eventName: 'gen_ai.assistant.message', spanContext: undefined }),
  ];
}

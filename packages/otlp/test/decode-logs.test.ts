import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonLogsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { DecodedLogs } from '../src/index.js';
import { decodeLogsJson, decodeLogsProtobuf, OtlpDecodeError } from '../src/index.js';
import { genAiLogRecords, LOG_SPAN_ID, LOG_TIME, LOG_TRACE_ID } from './support/sdk-log-records.js';
import { typicalSpans } from './support/sdk-spans.js';

const encodings: [string, (records: ReturnType<typeof genAiLogRecords>) => DecodedLogs][] = [
  ['protobuf', (records) => decodeLogsProtobuf(ProtobufLogsSerializer.serializeRequest(records)!)],
  ['JSON', (records) => decodeLogsJson(JsonLogsSerializer.serializeRequest(records)!)],
];

for (const [encoding, decode] of encodings) {
  void describe(`decodeLogs${encoding === 'JSON' ? 'Json' : 'Protobuf'} with bytes from the OpenTelemetry JS logs exporter`, () => {
    const decoded = decode(genAiLogRecords());

    void it('keeps only records with trace id, span id and an event name', () => {
      assert.equal(decoded.totalLogRecords, 4);
      assert.equal(decoded.skippedLogRecords, 2);
      assert.deepEqual(
        decoded.events.map((event) => [event.traceId, event.spanId, event.event.name]),
        [
          [LOG_TRACE_ID, LOG_SPAN_ID, 'gen_ai.user.message'],
          [LOG_TRACE_ID, LOG_SPAN_ID, 'gen_ai.choice'],
        ],
      );
    });

    void it('turns body and severity into attributes and keeps the exact time', () => {
      const message = decoded.events[0]!.event;
      assert.equal(message.timeUnixNano, LOG_TIME);
      assert.deepEqual(message.attributes, {
        'gen_ai.system': 'openai',
        body: { content: 'What is the weather?', role: 'user' },
        'log.severity_number': 9n,
        'log.severity_text': 'INFO',
      });
      assert.equal(message.droppedAttributesCount, 0);
    });

    void it('names an event by its event.name attribute and falls back to the observed time', () => {
      const choice = decoded.events[1]!.event;
      assert.equal(choice.timeUnixNano, LOG_TIME + 500n);
      assert.deepEqual(choice.attributes, { 'event.name': 'gen_ai.choice', 'gen_ai.system': 'openai', index: 0n, body: 'sunny' });
    });

    void it('shares resource and scope between the events of one envelope', () => {
      const [first, second] = decoded.events;
      assert.equal(first!.resource, second!.resource);
      assert.equal(first!.scope, second!.scope);
      assert.equal(first!.resource.attributes['service.name'], 'log-agent');
      assert.deepEqual([first!.scope.name, first!.scope.version], ['gen-ai-instrumentation', '0.1.0']);
    });
  });
}

void describe('decodeLogsJson leniency and errors', () => {
  function logsBody(record: Record<string, unknown>): string {
    return JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [record] }] }] });
  }

  void it('accepts uppercase ids, severity names and 64-bit times as bare numbers', () => {
    const body = logsBody({
      traceId: LOG_TRACE_ID.toUpperCase(),
      spanId: LOG_SPAN_ID.toUpperCase(),
      eventName: 'gen_ai.tool.message',
      severityNumber: 'SEVERITY_NUMBER_WARN',
      timeUnixNano: 0,
    }).replace('"timeUnixNano":0', '"timeUnixNano":1763700000123456789');
    const { events } = decodeLogsJson(body);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.traceId, LOG_TRACE_ID);
    assert.equal(events[0]!.event.timeUnixNano, 1763700000123456789n);
    assert.equal(events[0]!.event.attributes['log.severity_number'], 13n);
  });

  void it('skips records with zero or malformed ids', () => {
    const decoded = decodeLogsJson(
      JSON.stringify({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  { traceId: '0'.repeat(32), spanId: LOG_SPAN_ID, eventName: 'e' },
                  { traceId: LOG_TRACE_ID, spanId: 'zz', eventName: 'e' },
                  { traceId: LOG_TRACE_ID, spanId: LOG_SPAN_ID, eventName: '' },
                ],
              },
            ],
          },
        ],
      }),
    );
    assert.deepEqual(decoded, { events: [], totalLogRecords: 3, skippedLogRecords: 3 });
  });

  void it('reports wrong shapes with their path', () => {
    assert.throws(
      () => decodeLogsJson(logsBody({ attributes: { 'event.name': 'x' } })),
      (error: unknown) =>
        error instanceof OtlpDecodeError && /resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]\.attributes: expected an array/.test(error.message),
    );
    assert.throws(() => decodeLogsJson('{"resourceLogs": 3}'), /resourceLogs: expected an array, got number 3/);
  });
});

void describe('decoding a traces body as logs', () => {
  void it('JSON: fails with a hint that the request went to the wrong endpoint', () => {
    assert.throws(
      () => decodeLogsJson(JsonTraceSerializer.serializeRequest(typicalSpans(1))!),
      /the body has resourceSpans and no resourceLogs: is this a traces request sent to \/v1\/logs\?/,
    );
  });

  void it('fails with a hint that the request went to the wrong endpoint', () => {
    assert.throws(
      () => decodeLogsProtobuf(ProtobufTraceSerializer.serializeRequest(typicalSpans(3))!),
      (error: unknown) =>
        error instanceof OtlpDecodeError && /log record #0 .* looks like a span: is this a traces request sent to \/v1\/logs\?/.test(error.message),
    );
  });
});

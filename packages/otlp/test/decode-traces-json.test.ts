import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonLogsSerializer, JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { decodeTracesJson, decodeTracesProtobuf, OtlpDecodeError } from '../src/index.js';
import { genAiLogRecords } from './support/sdk-log-records.js';
import { RICH_END, RICH_START, richSpans } from './support/sdk-spans.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

/** A request body with one span whose fields are `span` (plus defaults). */
function jsonRequest(span: Record<string, unknown>, extraSpans: Record<string, unknown>[] = []): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeSpans: [{ scope: { name: 'scope' }, spans: [{ traceId: TRACE_ID, spanId: SPAN_ID, name: 'op', ...span }, ...extraSpans] }],
      },
    ],
  });
}

function assertDecodeError(body: string, message: RegExp): void {
  assert.throws(
    () => decodeTracesJson(body),
    (error: unknown) => error instanceof OtlpDecodeError && message.test(error.message),
  );
}

void describe('decodeTracesJson with bodies from the OpenTelemetry JS JSON exporter', () => {
  void it('decodes to exactly what the protobuf body of the same spans decodes to', () => {
    const spans = richSpans();
    const fromJson = decodeTracesJson(JsonTraceSerializer.serializeRequest(spans)!);
    const fromProtobuf = decodeTracesProtobuf(ProtobufTraceSerializer.serializeRequest(spans)!);
    // The JSON exporter writes the number 2**62 with JSON.stringify, i.e. as the shortest digits
    // that round-trip to the same double (4611686018427388000). The decoder keeps the integer the
    // text spells — the right call for exporters that print int64 exactly (Go, Java, Python).
    assert.equal(fromJson.spans[0]!.attributes['int.big'], 4611686018427388000n);
    assert.equal(fromProtobuf.spans[0]!.attributes['int.big'], 4611686018427387904n);
    fromJson.spans[0]!.attributes['int.big'] = fromProtobuf.spans[0]!.attributes['int.big'];
    assert.deepEqual(fromJson, fromProtobuf);
    assert.equal(fromJson.spans[1]!.startTimeUnixNano, RICH_START);
    assert.equal(fromJson.spans[1]!.endTimeUnixNano, RICH_END);
    assert.equal(fromJson.spans[0]!.resource, fromJson.spans[1]!.resource);
  });

  void it('accepts the body as a string or bytes', () => {
    const bytes = JsonTraceSerializer.serializeRequest(richSpans())!;
    assert.deepEqual(decodeTracesJson(new TextDecoder().decode(bytes)).spans.length, 2);
  });
});

void describe('decodeTracesJson leniency', () => {
  void it('lowercases uppercase hex ids', () => {
    const { spans } = decodeTracesJson(
      jsonRequest({ traceId: TRACE_ID.toUpperCase(), spanId: SPAN_ID.toUpperCase(), parentSpanId: 'EEE19B7EC3C1B173' }),
    );
    assert.equal(spans[0]!.traceId, TRACE_ID);
    assert.equal(spans[0]!.spanId, SPAN_ID);
    assert.equal(spans[0]!.parentSpanId, 'eee19b7ec3c1b173');
  });

  void it('accepts enum names for kind and status code', () => {
    const { spans } = decodeTracesJson(jsonRequest({ kind: 'SPAN_KIND_SERVER', status: { code: 'STATUS_CODE_ERROR', message: 'boom' } }));
    assert.equal(spans[0]!.kind, 2);
    assert.deepEqual(spans[0]!.status, { code: 'error', message: 'boom' });
  });

  void it('keeps 64-bit integers exact whether sent as strings or as bare numbers', () => {
    // Written as text: a JS number literal could not hold these values.
    const body = jsonRequest({
      startTimeUnixNano: 'START',
      endTimeUnixNano: '1763700000987654321',
      attributes: [
        { key: 'max', value: { intValue: 'MAX' } },
        { key: 'min', value: { intValue: '-9223372036854775808' } },
        { key: 'neg', value: { intValue: -42 } },
        { key: 'dbl', value: { doubleValue: 'DOUBLE' } },
        { key: 'text', value: { stringValue: 'literal 12345678901234567890 stays text, "quoted" \\" too' } },
      ],
    })
      .replace('"START"', '1763700000123456789')
      .replace('"MAX"', '9223372036854775807')
      .replace('"DOUBLE"', '12345678901234567890');
    const span = decodeTracesJson(body).spans[0]!;
    assert.equal(span.startTimeUnixNano, 1763700000123456789n);
    assert.equal(span.endTimeUnixNano, 1763700000987654321n);
    assert.deepEqual(span.attributes, {
      max: 9223372036854775807n,
      min: -9223372036854775808n,
      neg: -42n,
      dbl: Number('12345678901234567890'),
      text: 'literal 12345678901234567890 stays text, "quoted" \\" too',
    });
  });

  void it('accepts snake_case keys', () => {
    const body = JSON.stringify({
      resource_spans: [
        {
          scope_spans: [
            {
              spans: [
                {
                  trace_id: TRACE_ID,
                  span_id: SPAN_ID,
                  parent_span_id: '',
                  start_time_unix_nano: '5',
                  attributes: [{ key: 'k', value: { string_value: 'v' } }],
                },
              ],
            },
          ],
        },
      ],
    });
    const span = decodeTracesJson(body).spans[0]!;
    assert.equal(span.startTimeUnixNano, 5n);
    assert.equal(span.parentSpanId, null);
    assert.deepEqual(span.attributes, { k: 'v' });
  });

  void it('decodes base64 bytes, kvlists, arrays and ignores unknown fields', () => {
    const span = decodeTracesJson(
      jsonRequest({
        futureField: { anything: 1 },
        attributes: [
          { key: 'bytes', value: { bytesValue: 'AP8Q' } },
          { key: 'kv', value: { kvlistValue: { values: [{ key: 'a', value: { boolValue: true } }] } } },
          { key: 'arr', value: { arrayValue: { values: [{ doubleValue: 1.5 }, { doubleValue: 'NaN' }, {}] } } },
          { key: 'unknown.kind', value: { futureValue: 1 } },
        ],
      }),
    ).spans[0]!;
    assert.deepEqual(span.attributes.bytes, Uint8Array.from([0, 255, 16]));
    assert.deepEqual(span.attributes.kv, { a: true });
    const array = span.attributes.arr as unknown[];
    assert.equal(array[0], 1.5);
    assert.ok(Number.isNaN(array[1]));
    assert.equal(array[2], null);
    assert.equal(span.attributes['unknown.kind'], null);
  });

  void it('defaults a missing status to unset and treats an empty or all-zero parent as a root', () => {
    const { spans } = decodeTracesJson(jsonRequest({ parentSpanId: '0000000000000000' }));
    assert.deepEqual(spans[0]!.status, { code: 'unset', message: '' });
    assert.equal(spans[0]!.parentSpanId, null);
  });

  void it('accepts an empty object as an empty request', () => {
    assert.deepEqual(decodeTracesJson('{}'), { spans: [], rejectedSpans: 0, rejectionMessages: [] });
  });
});

void describe('decodeTracesJson validation', () => {
  const invalid: [string, Record<string, unknown>, RegExp][] = [
    ['a base64 trace id', { traceId: 'W47/95gDgQPSabYzgT/GDA==' }, /trace id is not a hex string/],
    ['a missing trace id', { traceId: undefined }, /trace id must be 16 bytes, got 0/],
    ['a zero trace id', { traceId: '0'.repeat(32) }, /trace id is all zeros/],
    ['a short span id', { spanId: 'abcd' }, /span id must be 8 bytes, got 2/],
    ['a zero span id', { spanId: '0'.repeat(16) }, /span id is all zeros/],
    ['a numeric span id', { spanId: 12 }, /span id is not a hex string/],
    ['a malformed parent', { parentSpanId: 'xyz' }, /parent span id is not a hex string/],
  ];
  for (const [label, fields, message] of invalid) {
    void it(`rejects a span with ${label} and keeps its valid neighbour`, () => {
      const decoded = decodeTracesJson(jsonRequest({ name: 'bad', ...fields }, [{ traceId: TRACE_ID, spanId: SPAN_ID, name: 'good' }]));
      assert.deepEqual(
        decoded.spans.map((span) => span.name),
        ['good'],
      );
      assert.equal(decoded.rejectedSpans, 1);
      assert.match(decoded.rejectionMessages[0]!, message);
      assert.match(decoded.rejectionMessages[0]!, /spans\[0\] "bad"/);
    });
  }

  void it('rejects the records of a logs body posted to /v1/traces with a hint', () => {
    const decoded = decodeTracesJson(JsonLogsSerializer.serializeRequest(genAiLogRecords())!);
    assert.equal(decoded.spans.length, 0);
    assert.equal(decoded.rejectedSpans, 4);
    assert.deepEqual(decoded.rejectionMessages, [
      'the body has resourceLogs with 4 log records and no resourceSpans (is this a logs request sent to /v1/traces?)',
    ]);
  });
});

void describe('decodeTracesJson errors name the JSON path', () => {
  void it('reports invalid JSON', () => {
    assertDecodeError('{"resourceSpans": [', /^invalid JSON: /);
    assertDecodeError('', /^invalid JSON: /);
  });

  void it('reports a body that is not an object', () => {
    assertDecodeError('[1,2]', /the body: expected an object, got an array/);
  });

  void it('reports resourceSpans that is not an array', () => {
    assertDecodeError('{"resourceSpans": {"scopeSpans": []}}', /resourceSpans: expected an array, got an object/);
  });

  void it('explains attributes sent as a plain object', () => {
    assertDecodeError(
      jsonRequest({ attributes: { 'gen_ai.request.model': 'gpt-4o' } }),
      /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.attributes: expected an array of \{"key"/,
    );
  });

  void it('reports a raw attribute value instead of an AnyValue', () => {
    assertDecodeError(jsonRequest({ attributes: [{ key: 'k', value: 'v' }] }), /spans\[0\]\.attributes\[0\]\.value: expected an object, got the string "v"/);
  });

  void it('reports times that are not integers', () => {
    assertDecodeError(jsonRequest({ startTimeUnixNano: '2026-11-21T10:00:00Z' }), /spans\[0\]\.startTimeUnixNano: expected an unsigned 64-bit integer/);
    assertDecodeError(jsonRequest({ startTimeUnixNano: 1.5 }), /spans\[0\]\.startTimeUnixNano/);
  });

  void it('reports int values outside int64 and unknown enum names', () => {
    assertDecodeError(
      jsonRequest({ attributes: [{ key: 'k', value: { intValue: '9223372036854775808' } }] }),
      /attributes\[0\]\.value\.intValue: expected a 64-bit integer/,
    );
    assertDecodeError(jsonRequest({ kind: 'SPAN_KIND_SIDEWAYS' }), /spans\[0\]\.kind: expected a SPAN_KIND_\* enum value/);
  });

  void it('reports invalid base64 bytes', () => {
    assertDecodeError(jsonRequest({ attributes: [{ key: 'b', value: { bytesValue: 'not base64!' } }] }), /bytesValue: expected base64 text/);
  });

  void it('caps AnyValue nesting depth', () => {
    let value = '{"stringValue":"leaf"}';
    for (let depth = 0; depth < 100; depth++) value = `{"arrayValue":{"values":[${value}]}}`;
    const body = jsonRequest({}).replace('"name":"op"', `"name":"op","attributes":[{"key":"deep","value":${value}}]`);
    assertDecodeError(body, /nested deeper than 64 levels/);
  });
});

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { WireSpan } from '@cairn/model';
import { decodeTracesProtobuf, OtlpDecodeError } from '../src/index.js';
import { concat, keyValue, pb, PARENT_ID, SPAN_ID, spanFields, TRACE_ID, traceRequest } from './support/protobuf-builder.js';
import { RICH_END, RICH_START, richSpans, typicalSpans } from './support/sdk-spans.js';
import { genAiLogRecords } from './support/sdk-log-records.js';

function onlySpan(body: Uint8Array): WireSpan {
  const decoded = decodeTracesProtobuf(body);
  assert.equal(decoded.rejectedSpans, 0, decoded.rejectionMessages.join('; '));
  assert.equal(decoded.spans.length, 1);
  return decoded.spans[0]!;
}

void describe('decodeTracesProtobuf with bytes from the OpenTelemetry JS exporter', () => {
  const sdkSpans = richSpans();
  const decoded = decodeTracesProtobuf(ProtobufTraceSerializer.serializeRequest(sdkSpans)!);
  const [child, root] = decoded.spans;

  void it('returns every span with its ids, parent and exact nanosecond times', () => {
    assert.equal(decoded.rejectedSpans, 0);
    assert.deepEqual(decoded.rejectionMessages, []);
    assert.equal(decoded.spans.length, 2);
    const sdkChild = sdkSpans[0]!;
    const sdkRoot = sdkSpans[1]!;
    assert.equal(child!.traceId, sdkChild.spanContext().traceId);
    assert.equal(child!.spanId, sdkChild.spanContext().spanId);
    assert.equal(child!.parentSpanId, sdkRoot.spanContext().spanId);
    assert.equal(root!.spanId, sdkRoot.spanContext().spanId);
    assert.equal(root!.parentSpanId, null);
    assert.equal(root!.startTimeUnixNano, RICH_START);
    assert.equal(root!.endTimeUnixNano, RICH_END);
    assert.equal(child!.startTimeUnixNano, RICH_START + 1_000n);
    assert.equal(child!.endTimeUnixNano, RICH_END - 1n);
  });

  void it('keeps name, kind, status and flags', () => {
    assert.equal(root!.name, 'POST /chat');
    assert.equal(root!.kind, 2); // SERVER
    assert.deepEqual(root!.status, { code: 'unset', message: '' });
    assert.equal(child!.kind, 3); // CLIENT
    assert.deepEqual(child!.status, { code: 'error', message: 'rate limited' });
    assert.equal(child!.flags & 0xff, 1); // sampled
  });

  void it('decodes attributes of every type: ints as bigint, doubles as number, arrays', () => {
    assert.deepEqual(child!.attributes, {
      text: 'héllo ✓ 🚀',
      'empty.text': '',
      'int.positive': 1200n,
      'int.negative': -42n,
      'int.big': 2n ** 62n,
      'int.min.safe': -9007199254740991n,
      double: 0.25,
      'double.negative': -1.5e-7,
      'bool.true': true,
      'bool.false': false,
      'array.strings': ['a', 'b'],
      'array.ints': [1n, -2n, 3n],
      'array.doubles': [0.5, 1.5],
      'array.bools': [true, false],
    });
  });

  void it('decodes events and links', () => {
    assert.deepEqual(child!.events, [
      {
        timeUnixNano: RICH_START + 5_000n,
        name: 'gen_ai.choice',
        attributes: { index: 0n, 'finish.reason': 'stop' },
        droppedAttributesCount: 0,
      },
    ]);
    assert.equal(child!.links.length, 1);
    assert.deepEqual(child!.links[0], {
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      traceState: '',
      attributes: { 'link.reason': 'retry' },
      droppedAttributesCount: 0,
      flags: child!.links[0]!.flags,
    });
  });

  void it('decodes resource and scope, shared by reference between the spans of one envelope', () => {
    assert.equal(child!.resource, root!.resource);
    assert.equal(child!.scope, root!.scope);
    assert.equal(child!.resource.attributes['service.name'], 'rich-agent');
    assert.equal(child!.resource.attributes['process.pid'], 4242n);
    assert.equal(child!.resource.schemaUrl, 'https://opentelemetry.io/schemas/1.30.0');
    assert.equal(child!.scope.name, 'cairn-rich');
    assert.equal(child!.scope.version, '4.5.6');
    assert.equal(child!.scope.schemaUrl, 'https://example.com/scope-schema');
  });

  void it('decodes a large batch (the same request a real exporter sends) in wire order', () => {
    const spans = typicalSpans(300);
    const batch = decodeTracesProtobuf(ProtobufTraceSerializer.serializeRequest(spans)!);
    assert.equal(batch.spans.length, 301);
    assert.deepEqual(
      batch.spans.map((span) => span.spanId),
      spans.map((span) => span.spanContext().spanId),
    );
  });

  void it('reads a Buffer body the same way as a Uint8Array', () => {
    const bytes = ProtobufTraceSerializer.serializeRequest(sdkSpans)!;
    const padded = Buffer.concat([Buffer.from([9, 9, 9]), Buffer.from(bytes)]).subarray(3);
    assert.deepEqual(decodeTracesProtobuf(padded), decoded);
  });
});

void describe('decodeTracesProtobuf with hand-encoded values no SDK produces', () => {
  void it('decodes int64 extremes and 10-byte negative varints exactly', () => {
    const span = onlySpan(
      traceRequest(
        spanFields(
          'op',
          keyValue(9, 'max', pb.varint(3, 9223372036854775807n)),
          keyValue(9, 'min', pb.varint(3, -9223372036854775808n)),
          keyValue(9, 'minus.one', pb.varint(3, -1n)),
          keyValue(9, 'two.pow.53.plus.one', pb.varint(3, 2n ** 53n + 1n)),
          keyValue(9, 'zero', pb.varint(3, 0n)),
        ),
      ),
    );
    assert.deepEqual(span.attributes, {
      max: 9223372036854775807n,
      min: -9223372036854775808n,
      'minus.one': -1n,
      'two.pow.53.plus.one': 9007199254740993n,
      zero: 0n,
    });
  });

  void it('decodes bytes, kvlist, nested arrays, empty AnyValue and special doubles', () => {
    const span = onlySpan(
      traceRequest(
        spanFields(
          'op',
          keyValue(9, 'bytes', pb.bytes(7, Uint8Array.from([0, 255, 16]))),
          keyValue(
            9,
            'kvlist',
            pb.message(6, keyValue(1, 'inner', pb.string(1, 'v')), keyValue(1, 'deeper', pb.message(6, keyValue(1, 'n', pb.varint(3, 7n))))),
          ),
          keyValue(9, 'nested', pb.message(5, pb.message(1, pb.message(5, pb.message(1, pb.varint(2, 1n)))), pb.message(1))),
          keyValue(9, 'empty'),
          keyValue(9, 'nan', pb.double(4, Number.NaN)),
          keyValue(9, 'inf', pb.double(4, Number.NEGATIVE_INFINITY)),
        ),
      ),
    );
    assert.deepEqual(span.attributes.bytes, Uint8Array.from([0, 255, 16]));
    assert.deepEqual(span.attributes.kvlist, { inner: 'v', deeper: { n: 7n } });
    assert.deepEqual(span.attributes.nested, [[true], null]);
    assert.equal(span.attributes.empty, null);
    assert.ok(Number.isNaN(span.attributes.nan));
    assert.equal(span.attributes.inf, Number.NEGATIVE_INFINITY);
  });

  void it('skips unknown fields of every wire type and the profiles-only strindex fields', () => {
    const span = onlySpan(
      traceRequest(
        spanFields(
          'op',
          pb.varint(100, 2n ** 63n), // unknown varint (10 bytes)
          pb.fixed64(101, 5n),
          pb.fixed32(102, 7),
          pb.string(103, 'unknown'),
          keyValue(9, 'a', pb.varint(8, 3n), pb.string(1, 'kept')), // string_value_strindex ignored
          pb.message(9, pb.varint(3, 1n), pb.string(1, 'b'), pb.message(2, pb.string(1, 'x'))), // key_strindex ignored
        ),
      ),
    );
    assert.deepEqual(span.attributes, { a: 'kept', b: 'x' });
    assert.equal(span.name, 'op');
  });

  void it('treats a field sent with an unexpected wire type as unknown instead of misreading it', () => {
    const span = onlySpan(traceRequest(spanFields('op', pb.fixed32(6, 3), pb.varint(7, 99n))));
    assert.equal(span.kind, 0);
    assert.equal(span.startTimeUnixNano, 1n);
  });

  void it('keeps an out-of-range kind as sent, maps unknown status codes to unset and defaults a missing status', () => {
    const span = onlySpan(traceRequest(spanFields('op', pb.varint(6, 9n), pb.message(15, pb.varint(3, 7n), pb.string(2, 'x')))));
    assert.equal(span.kind, 9);
    assert.deepEqual(span.status, { code: 'unset', message: 'x' });
    assert.deepEqual(onlySpan(traceRequest(spanFields())).status, { code: 'unset', message: '' });
  });

  void it('keeps end before start as sent', () => {
    const span = onlySpan(traceRequest([pb.hex(1, TRACE_ID), pb.hex(2, SPAN_ID), pb.fixed64(7, 10n), pb.fixed64(8, 5n)]));
    assert.equal(span.startTimeUnixNano, 10n);
    assert.equal(span.endTimeUnixNano, 5n);
  });

  void it('treats an all-zero parent span id as a root', () => {
    assert.equal(onlySpan(traceRequest(spanFields('op', pb.hex(4, '0'.repeat(16))))).parentSpanId, null);
    assert.equal(onlySpan(traceRequest(spanFields('op', pb.hex(4, PARENT_ID)))).parentSpanId, PARENT_ID);
  });

  void it('stores a "__proto__" attribute key as data without touching the prototype', () => {
    const span = onlySpan(traceRequest(spanFields('op', keyValue(9, '__proto__', pb.string(1, 'x')))));
    assert.equal(Object.getPrototypeOf(span.attributes), Object.prototype);
    assert.deepEqual(Object.entries(span.attributes), [['__proto__', 'x']]);
  });

  void it('never mixes up repeated short strings, across requests and with many distinct keys', () => {
    // Keys and short values go through a byte-keyed string cache; thousands of near-identical keys
    // (more than the cache has slots) must each come back as sent, on first and second decode.
    const keys = Array.from({ length: 6000 }, (_, index) => `k.${index % 7}.${index}.ключ`);
    const body = traceRequest(spanFields('op', ...keys.map((key, index) => keyValue(9, key, pb.string(1, `v${index}`)))));
    for (let pass = 0; pass < 2; pass++) {
      const attributes = onlySpan(body).attributes;
      assert.deepEqual(Object.keys(attributes), keys);
      assert.ok(keys.every((key, index) => attributes[key] === `v${index}`));
    }
  });

  void it('accepts an empty request', () => {
    assert.deepEqual(decodeTracesProtobuf(new Uint8Array(0)), { spans: [], rejectedSpans: 0, rejectionMessages: [] });
  });
});

void describe('decodeTracesProtobuf span validation', () => {
  const invalid: [string, Uint8Array[], RegExp][] = [
    ['missing trace id', [pb.hex(2, SPAN_ID)], /trace id must be 16 bytes, got 0/],
    ['short trace id', [pb.hex(1, 'ab'.repeat(8)), pb.hex(2, SPAN_ID)], /trace id must be 16 bytes, got 8/],
    ['zero trace id', [pb.hex(1, '0'.repeat(32)), pb.hex(2, SPAN_ID)], /trace id is all zeros/],
    ['missing span id', [pb.hex(1, TRACE_ID)], /span id must be 8 bytes, got 0/],
    ['long span id', [pb.hex(1, TRACE_ID), pb.hex(2, 'ab'.repeat(9))], /span id must be 8 bytes, got 9/],
    ['zero span id', [pb.hex(1, TRACE_ID), pb.hex(2, '0'.repeat(16))], /span id is all zeros/],
    ['bad parent', [pb.hex(1, TRACE_ID), pb.hex(2, SPAN_ID), pb.hex(4, 'abcd')], /parent span id must be empty or 8 bytes, got 2/],
  ];
  for (const [label, fields, message] of invalid) {
    void it(`rejects a span with ${label} and keeps its valid neighbour`, () => {
      const decoded = decodeTracesProtobuf(traceRequest(spanFields('good'), [pb.string(5, 'bad'), ...fields]));
      assert.deepEqual(
        decoded.spans.map((span) => span.name),
        ['good'],
      );
      assert.equal(decoded.rejectedSpans, 1);
      assert.equal(decoded.rejectionMessages.length, 1);
      assert.match(decoded.rejectionMessages[0]!, message);
      assert.match(decoded.rejectionMessages[0]!, /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[1\] "bad"/);
    });
  }

  void it('caps the rejection messages at five plus a count of the rest', () => {
    const bad = Array.from({ length: 12 }, (_, index) => [pb.string(5, `bad-${index}`), pb.hex(2, SPAN_ID)]);
    const decoded = decodeTracesProtobuf(traceRequest(...bad));
    assert.equal(decoded.rejectedSpans, 12);
    assert.equal(decoded.rejectionMessages.length, 6);
    assert.equal(decoded.rejectionMessages[5], 'and 7 more');
  });

  void it('rejects a logs request posted to /v1/traces with a hint instead of accepting id-less spans', () => {
    const body = ProtobufLogsSerializer.serializeRequest(genAiLogRecords())!;
    const decoded = decodeTracesProtobuf(body);
    assert.equal(decoded.spans.length, 0);
    assert.equal(decoded.rejectedSpans, genAiLogRecords().length);
    assert.match(decoded.rejectionMessages[0]!, /is this a logs request sent to \/v1\/traces\?/);
  });

  void it('rejects log records without time fields (which an encoder may omit) with the same hint', () => {
    const logRecord = [pb.varint(2, 9n), pb.hex(9, TRACE_ID), pb.hex(10, SPAN_ID), pb.string(12, 'gen_ai.choice')];
    const decoded = decodeTracesProtobuf(traceRequest(logRecord, logRecord));
    assert.equal(decoded.spans.length, 0);
    assert.equal(decoded.rejectedSpans, 2);
    assert.match(decoded.rejectionMessages[0]!, /decodes as OTLP logs with 2 log records.*is this a logs request sent to \/v1\/traces\?/);
  });

  void it('still reports a damaged traces body as a decode error, not as logs', () => {
    const valid = traceRequest(spanFields('op', keyValue(9, 'k', pb.string(1, 'v'))));
    assert.throws(() => decodeTracesProtobuf(valid.subarray(0, valid.length - 2)), OtlpDecodeError);
  });

  void it('hints at a logs request when a span has neither trace id nor span id', () => {
    const decoded = decodeTracesProtobuf(traceRequest([pb.string(5, 'no ids')]));
    assert.equal(decoded.rejectedSpans, 1);
    assert.match(decoded.rejectionMessages[0]!, /no trace id and no span id \(is this a logs request sent to \/v1\/traces\?\)/);
  });
});

void describe('decodeTracesProtobuf on malformed bytes', () => {
  const valid = traceRequest(spanFields('op', keyValue(9, 'k', pb.string(1, 'v'))));

  function assertDecodeError(body: Uint8Array, message: RegExp): void {
    assert.throws(
      () => decodeTracesProtobuf(body),
      (error: unknown) => error instanceof OtlpDecodeError && error.code === 'otlp_decode_error' && message.test(error.message),
    );
  }

  void it('names the byte offset of a length that runs past the end', () => {
    assertDecodeError(valid.subarray(0, valid.length - 3), /length \d+ at byte offset \d+ runs past the end/);
  });

  void it('reports a truncated varint', () => {
    assertDecodeError(pb.raw(0x08, 0x80, 0x80), /truncated varint at byte offset 1/);
  });

  void it('rejects groups and invalid wire types', () => {
    assertDecodeError(pb.raw(0x0b), /group \(wire type 3\)/);
    assertDecodeError(pb.raw(0x0c), /group \(wire type 4\)/);
    assertDecodeError(pb.raw(0x0e), /invalid wire type 6/);
    assertDecodeError(concat(traceRequest(spanFields()), pb.raw(0x0f)), /invalid wire type 7/);
  });

  void it('rejects field number 0 and varints longer than 10 bytes', () => {
    assertDecodeError(pb.raw(0x00, 0x01), /invalid field number 0 at byte offset 0/);
    assertDecodeError(pb.raw(0x08, ...Array<number>(10).fill(0xff), 0x01), /varint longer than 10 bytes/);
  });

  void it('caps AnyValue nesting depth instead of overflowing the stack', () => {
    let value = pb.string(1, 'leaf');
    for (let depth = 0; depth < 200; depth++) value = pb.message(5, pb.message(1, value));
    assertDecodeError(traceRequest(spanFields('op', keyValue(9, 'deep', value))), /nested deeper than 64 levels/);
  });
});

// Damaged input must give either a result or an OtlpDecodeError — never another exception, a
// hang, or spans with invalid ids. Seeded, bounded loops keep failures reproducible and fast.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonLogsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { isValidSpanId, isValidTraceId } from '@cairn/model';
import { decodeLogsJson, decodeLogsProtobuf, decodeTracesJson, decodeTracesProtobuf, OtlpDecodeError } from '../src/index.js';
import { genAiLogRecords } from './support/sdk-log-records.js';
import { richSpans, typicalSpans } from './support/sdk-spans.js';

/** mulberry32: a tiny deterministic PRNG. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

interface Outcome {
  results: number;
  decodeErrors: number;
}

/** Runs every decoder for the format on `body`; fails on any exception other than OtlpDecodeError. */
function decodeAll(body: Uint8Array | string, format: 'protobuf' | 'json', outcome: Outcome): void {
  const decoders =
    format === 'protobuf'
      ? [() => decodeTracesProtobuf(body as Uint8Array), () => decodeLogsProtobuf(body as Uint8Array)]
      : [() => decodeTracesJson(body), () => decodeLogsJson(body)];
  for (const decode of decoders) {
    let result: ReturnType<(typeof decoders)[number]>;
    try {
      result = decode();
    } catch (error) {
      if (!(error instanceof OtlpDecodeError)) {
        const shown = typeof body === 'string' ? JSON.stringify(body.slice(0, 200)) : Buffer.from(body).toString('hex');
        assert.fail(`${format} decoder threw ${String(error)} for input ${shown}`);
      }
      outcome.decodeErrors++;
      continue;
    }
    outcome.results++;
    if ('spans' in result) {
      assert.ok(result.rejectedSpans >= 0);
      for (const span of result.spans) {
        assert.ok(isValidTraceId(span.traceId), `returned trace id ${span.traceId}`);
        assert.ok(isValidSpanId(span.spanId), `returned span id ${span.spanId}`);
        assert.ok(span.parentSpanId === null || isValidSpanId(span.parentSpanId));
        assert.equal(typeof span.startTimeUnixNano, 'bigint');
      }
    } else {
      assert.equal(result.totalLogRecords, result.events.length + result.skippedLogRecords);
      for (const event of result.events) assert.ok(isValidTraceId(event.traceId) && isValidSpanId(event.spanId));
    }
  }
}

const protobufBodies: [string, Uint8Array][] = [
  ['traces', ProtobufTraceSerializer.serializeRequest([...richSpans(), ...typicalSpans(2)])!],
  ['logs', ProtobufLogsSerializer.serializeRequest(genAiLogRecords())!],
];
const jsonBodies: [string, string][] = [
  ['traces', new TextDecoder().decode(JsonTraceSerializer.serializeRequest(richSpans())!)],
  ['logs', new TextDecoder().decode(JsonLogsSerializer.serializeRequest(genAiLogRecords())!)],
];

void describe('protobuf decoders on damaged input', () => {
  void it('random bytes', () => {
    const next = random(1);
    const outcome: Outcome = { results: 0, decodeErrors: 0 };
    for (let round = 0; round < 3000; round++) {
      const body = new Uint8Array(Math.floor(next() * 64));
      for (let index = 0; index < body.length; index++) body[index] = Math.floor(next() * 256);
      decodeAll(body, 'protobuf', outcome);
    }
    assert.ok(outcome.decodeErrors > 0 && outcome.results > 0, JSON.stringify(outcome));
  });

  for (const [label, valid] of protobufBodies) {
    void it(`every truncation of a valid ${label} body`, () => {
      const outcome: Outcome = { results: 0, decodeErrors: 0 };
      for (let length = 0; length < valid.length; length++) decodeAll(valid.subarray(0, length), 'protobuf', outcome);
      assert.ok(outcome.decodeErrors > valid.length / 2, JSON.stringify(outcome));
    });

    void it(`3000 bit-flipped copies of a valid ${label} body`, () => {
      const next = random(label.length);
      const outcome: Outcome = { results: 0, decodeErrors: 0 };
      for (let round = 0; round < 3000; round++) {
        const body = valid.slice();
        const flips = 1 + Math.floor(next() * 4);
        for (let flip = 0; flip < flips; flip++) {
          const bit = Math.floor(next() * body.length * 8);
          body[bit >> 3]! ^= 1 << (bit & 7);
        }
        decodeAll(body, 'protobuf', outcome);
      }
      assert.ok(outcome.results > 0 && outcome.decodeErrors > 0, JSON.stringify(outcome));
    });
  }
});

void describe('JSON decoders on damaged input', () => {
  for (const [label, valid] of jsonBodies) {
    void it(`every truncation of a valid ${label} body`, () => {
      const outcome: Outcome = { results: 0, decodeErrors: 0 };
      for (let length = 0; length < valid.length; length++) decodeAll(valid.slice(0, length), 'json', outcome);
      assert.ok(outcome.decodeErrors >= valid.length - 1, JSON.stringify(outcome));
    });

    void it(`2000 garbled copies of a valid ${label} body`, () => {
      const next = random(100 + label.length);
      const alphabet = '{}[]",:0123456789-.eE truefalsn\\abcdefABCDEF';
      const outcome: Outcome = { results: 0, decodeErrors: 0 };
      for (let round = 0; round < 2000; round++) {
        let body = valid;
        const edits = 1 + Math.floor(next() * 3);
        for (let edit = 0; edit < edits; edit++) {
          const at = Math.floor(next() * body.length);
          const character = alphabet[Math.floor(next() * alphabet.length)]!;
          const mode = Math.floor(next() * 3);
          if (mode === 0) body = body.slice(0, at) + character + body.slice(at + 1);
          else if (mode === 1) body = body.slice(0, at) + character + body.slice(at);
          else body = body.slice(0, at) + body.slice(at + 1);
        }
        decodeAll(body, 'json', outcome);
      }
      assert.ok(outcome.results > 0 && outcome.decodeErrors > 0, JSON.stringify(outcome));
    });
  }

  void it('valid JSON of every wrong type at every position of a span', () => {
    const replacements = ['null', '1', '-1', '1.5', '"x"', '""', 'true', '[]', '{}', '[{}]', '12345678901234567890', '"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"'];
    const valid = jsonBodies[0]![1];
    const values = [...valid.matchAll(/:("[^"]*"|-?\d[\d.eE+-]*|true|false|null)/g)];
    const outcome: Outcome = { results: 0, decodeErrors: 0 };
    for (const match of values) {
      const start = match.index + 1;
      for (const replacement of replacements) {
        decodeAll(valid.slice(0, start) + replacement + valid.slice(start + match[1]!.length), 'json', outcome);
      }
    }
    assert.ok(outcome.results > 0 && outcome.decodeErrors > 0, JSON.stringify(outcome));
  });
});

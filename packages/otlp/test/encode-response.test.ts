import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonLogsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { encodeLogsResponse, encodeStatus, encodeTracesResponse } from '../src/index.js';
import { concat, pb } from './support/protobuf-builder.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

void describe('encodeTracesResponse, read back by the OpenTelemetry JS exporter', () => {
  void it('full success is an empty message with partial_success unset', () => {
    assert.equal(encodeTracesResponse('protobuf', null).length, 0);
    assert.deepEqual(ProtobufTraceSerializer.deserializeResponse(encodeTracesResponse('protobuf', null)), {});
    assert.equal(text(encodeTracesResponse('json', null)), '{}');
    assert.deepEqual(encodeTracesResponse('json', { rejected: 0, errorMessage: '' }), encodeTracesResponse('json', null));
  });

  void it('partial success carries the rejected count and the message (protobuf)', () => {
    const body = encodeTracesResponse('protobuf', { rejected: 3, errorMessage: 'spans[0]: trace id is all zeros' });
    const response = ProtobufTraceSerializer.deserializeResponse(body);
    assert.equal(Number(response.partialSuccess?.rejectedSpans), 3);
    assert.equal(response.partialSuccess?.errorMessage, 'spans[0]: trace id is all zeros');
    assert.deepEqual(body, pb.message(1, pb.varint(1, 3n), pb.string(2, 'spans[0]: trace id is all zeros')));
  });

  void it('partial success in OTLP/JSON writes the int64 count as a decimal string', () => {
    const body = encodeTracesResponse('json', { rejected: 300, errorMessage: 'bad ids' });
    assert.equal(text(body), '{"partialSuccess":{"rejectedSpans":"300","errorMessage":"bad ids"}}');
    assert.equal(JsonTraceSerializer.deserializeResponse(body).partialSuccess?.errorMessage, 'bad ids');
  });

  void it('a warning (0 rejected, with a message) still sets partial_success', () => {
    const body = encodeTracesResponse('protobuf', { rejected: 0, errorMessage: 'attribute truncated' });
    assert.equal(ProtobufTraceSerializer.deserializeResponse(body).partialSuccess?.errorMessage, 'attribute truncated');
  });
});

void describe('encodeLogsResponse', () => {
  void it('uses rejected_log_records', () => {
    const protobuf = encodeLogsResponse('protobuf', { rejected: 2, errorMessage: 'x' });
    assert.equal(Number(ProtobufLogsSerializer.deserializeResponse(protobuf).partialSuccess?.rejectedLogRecords), 2);
    const json = encodeLogsResponse('json', { rejected: 2, errorMessage: 'x' });
    assert.equal(text(json), '{"partialSuccess":{"rejectedLogRecords":"2","errorMessage":"x"}}');
    assert.equal(JsonLogsSerializer.deserializeResponse(json).partialSuccess?.rejectedLogRecords, '2');
    assert.equal(encodeLogsResponse('protobuf', null).length, 0);
  });
});

void describe('encodeStatus', () => {
  void it('encodes google.rpc.Status in protobuf and JSON', () => {
    const message = 'invalid JSON: Unexpected end of JSON input — ✓';
    assert.deepEqual(encodeStatus('protobuf', 3, message), concat(pb.varint(1, 3n), pb.string(2, message)));
    assert.deepEqual(JSON.parse(text(encodeStatus('json', 3, message))), { code: 3, message });
  });

  void it('encodes long messages with multi-byte length prefixes', () => {
    const message = 'x'.repeat(300);
    assert.deepEqual(encodeStatus('protobuf', 8, message), concat(pb.varint(1, 8n), pb.string(2, message)));
  });
});

import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { agentTrace, jsonBody, logsBodies, protobufBody, recordSpans } from './support/otel-bodies.js';
import { getJson, postOtlp, startTestServer, type TestServer } from './support/test-server.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };

function oneTrace(options: Parameters<typeof agentTrace>[1] = {}) {
  let traceId = '';
  const spans = recordSpans((tracer) => {
    traceId = agentTrace(tracer, options);
  });
  return { traceId, spans };
}

async function storedSpanCount(server: TestServer, traceId: string): Promise<number> {
  const { status, body } = await getJson(`${server.apiUrl}/api/v1/traces/${traceId}`);
  return status === 200 ? body.spans.length : 0;
}

void describe('OTLP/HTTP receiver', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config: { maxRequestBytes: 256 * 1024 } });
  });
  after(async () => {
    await server.close();
  });

  void test('protobuf export: 200 with an empty ExportTraceServiceResponse, and the trace is queryable at once', async () => {
    const { traceId, spans } = oneTrace();
    const response = await postOtlp(server.otlpUrl, protobufBody(spans), PROTOBUF);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/x-protobuf');
    const decoded = ProtobufTraceSerializer.deserializeResponse(new Uint8Array(await response.arrayBuffer()));
    assert.equal(decoded.partialSuccess, undefined);
    // 200 means durable: no polling needed.
    assert.equal(await storedSpanCount(server, traceId), 3);
  });

  void test('the OpenTelemetry OTLP/HTTP protobuf exporter with gzip', async () => {
    const { traceId, spans } = oneTrace();
    const exporter = new OTLPTraceExporter({ url: `${server.otlpUrl}/v1/traces`, compression: CompressionAlgorithm.GZIP });
    try {
      const result = await new Promise<{ code: ExportResultCode; error?: Error }>((resolve) => exporter.export(spans, resolve));
      assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
    } finally {
      await exporter.shutdown();
    }
    assert.equal(await storedSpanCount(server, traceId), 3);
  });

  void test('JSON export with a charset parameter answers in JSON', async () => {
    const { traceId, spans } = oneTrace();
    const response = await postOtlp(server.otlpUrl, jsonBody(spans), { 'content-type': 'application/json; charset=utf-8' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.partialSuccess, undefined);
    assert.equal(await storedSpanCount(server, traceId), 3);
  });

  for (const [encoding, variant, compress] of [
    ['gzip', 'gzip', gzipSync],
    ['deflate', 'zlib-wrapped', deflateSync],
    ['deflate', 'raw', deflateRawSync],
  ] as const) {
    void test(`Content-Encoding ${encoding} (${variant})`, async () => {
      const { traceId, spans } = oneTrace();
      const response = await postOtlp(server.otlpUrl, compress(protobufBody(spans)), {
        ...PROTOBUF,
        'content-encoding': encoding,
      });
      assert.equal(response.status, 200);
      assert.equal(await storedSpanCount(server, traceId), 3);
    });
  }

  void test('chunked body without Content-Length on the Langfuse alias path', async () => {
    const { traceId, spans } = oneTrace();
    const body = protobufBody(spans);
    const url = new URL(`${server.otlpUrl}/api/public/otel/v1/traces`);
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = request(url, { method: 'POST', headers: { ...PROTOBUF, 'transfer-encoding': 'chunked' } }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      outgoing.on('error', reject);
      const middle = Math.floor(body.length / 2);
      outgoing.write(body.subarray(0, middle));
      setTimeout(() => outgoing.end(body.subarray(middle)), 20);
    });
    assert.equal(status, 200);
    assert.equal(await storedSpanCount(server, traceId), 3);
  });

  void test('an empty request succeeds', async () => {
    const response = await postOtlp(server.otlpUrl, new Uint8Array(0), PROTOBUF);
    assert.equal(response.status, 200);
    for (const body of ['{}', '']) {
      const json = await postOtlp(server.otlpUrl, body, JSON_TYPE);
      assert.equal(json.status, 200);
      assert.equal(await json.text(), '{}');
    }
  });

  void test('spans with invalid ids are rejected with partialSuccess; the valid ones are stored', async () => {
    const { traceId, spans } = oneTrace();
    const request = JSON.parse(Buffer.from(jsonBody(spans)).toString('utf8'));
    const scopeSpans = request.resourceSpans[0].scopeSpans[0].spans;
    const bad = scopeSpans.find((span: { parentSpanId?: string }) => span.parentSpanId !== undefined);
    bad.spanId = 'not-hex';
    const response = await postOtlp(server.otlpUrl, JSON.stringify(request), JSON_TYPE);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { partialSuccess: { rejectedSpans: string | number; errorMessage: string } };
    assert.equal(Number(body.partialSuccess.rejectedSpans), 1);
    assert.match(body.partialSuccess.errorMessage, /span/i);
    assert.equal(await storedSpanCount(server, traceId), 2);
  });

  void test('unsupported Content-Type → 415 with a message', async () => {
    const response = await postOtlp(server.otlpUrl, 'hello', { 'content-type': 'text/plain' });
    assert.equal(response.status, 415);
    const body = (await response.json()) as { message: string };
    assert.match(body.message, /text\/plain.*application\/x-protobuf/);
  });

  void test('unsupported Content-Encoding → 415 naming the encoding', async () => {
    const response = await postOtlp(server.otlpUrl, new Uint8Array([1, 2, 3]), { ...PROTOBUF, 'content-encoding': 'br' });
    assert.equal(response.status, 415);
    assert.match(Buffer.from(await response.arrayBuffer()).toString('utf8'), /Content-Encoding "br" is not supported/);
  });

  void test('a body over maxRequestBytes → 413 (declared length, chunked, and after decompression)', async () => {
    const big = new Uint8Array(300 * 1024);
    const declared = await postOtlp(server.otlpUrl, big, PROTOBUF);
    assert.equal(declared.status, 413);
    assert.match(Buffer.from(await declared.arrayBuffer()).toString('utf8'), /larger than the limit of 262144 bytes/);

    const chunked = await fetch(`${server.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: PROTOBUF,
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);

    // A multi-megabyte chunked upload still gets its 413 (the rest is discarded, not reset).
    const streamed = await new Promise<number>((resolve, reject) => {
      const outgoing = request(`${server.otlpUrl}/v1/traces`, { method: 'POST', headers: PROTOBUF }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      outgoing.on('error', reject);
      for (let index = 0; index < 16; index++) outgoing.write(new Uint8Array(256 * 1024));
      outgoing.end();
    });
    assert.equal(streamed, 413);

    // A 2 MiB run of zeros gzips to ~2 KiB: a small request that must not expand past the limit.
    const bomb = gzipSync(new Uint8Array(2 * 1024 * 1024));
    assert.ok(bomb.length < 10 * 1024);
    const inflated = await postOtlp(server.otlpUrl, bomb, { ...JSON_TYPE, 'content-encoding': 'gzip' });
    assert.equal(inflated.status, 413);
    const body = (await inflated.json()) as { message: string };
    assert.match(body.message, /decompressed request body is larger than the limit/);
  });

  void test('undecodable bodies → 400 with a google.rpc.Status in the request content type', async () => {
    const json = await postOtlp(server.otlpUrl, '{"resourceSpans": 5', JSON_TYPE);
    assert.equal(json.status, 400);
    const status = (await json.json()) as { code: number; message: string };
    assert.equal(status.code, 3);
    assert.ok(status.message.length > 0);

    const protobuf = await postOtlp(server.otlpUrl, new Uint8Array([0x0a, 0xff, 0xff, 0x01]), PROTOBUF);
    assert.equal(protobuf.status, 400);
    assert.equal(protobuf.headers.get('content-type'), 'application/x-protobuf');
    assert.ok((await protobuf.arrayBuffer()).byteLength > 0);

    const corruptGzip = await postOtlp(server.otlpUrl, new Uint8Array([0x1f, 0x8b, 1, 2, 3]), {
      ...PROTOBUF,
      'content-encoding': 'gzip',
    });
    assert.equal(corruptGzip.status, 400);
    assert.match(Buffer.from(await corruptGzip.arrayBuffer()).toString('utf8'), /not valid gzip/);
  });

  void test('wrong method → 405 with Allow; unknown path → 404', async () => {
    const get = await fetch(`${server.otlpUrl}/v1/traces`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    const unknown = await postOtlp(server.otlpUrl, new Uint8Array(0), PROTOBUF, '/v1/metrics');
    assert.equal(unknown.status, 404);
    assert.match(((await unknown.json()) as { message: string }).message, /no OTLP endpoint at \/v1\/metrics/);
  });

  void test('logs: gen_ai.* events attach to their span, other records are ignored with a warning', async () => {
    const { traceId, spans } = oneTrace();
    assert.equal((await postOtlp(server.otlpUrl, protobufBody(spans), PROTOBUF)).status, 200);
    const llm = spans.find((span) => span.name.startsWith('chat'))!;
    const spanId = llm.spanContext().spanId;
    const bodies = await logsBodies(traceId, spanId, ['gen_ai.user.message', 'gen_ai.choice', 'app.debug']);

    const response = await postOtlp(server.otlpUrl, bodies.json, JSON_TYPE, '/v1/logs');
    assert.equal(response.status, 200);
    const answer = (await response.json()) as { partialSuccess: { rejectedLogRecords?: string | number; errorMessage: string } };
    assert.equal(Number(answer.partialSuccess.rejectedLogRecords ?? 0), 0);
    assert.match(answer.partialSuccess.errorMessage, /1 of 3 log record\(s\) ignored/);

    const detail = await getJson(`${server.apiUrl}/api/v1/traces/${traceId}/spans/${spanId}`);
    assert.equal(detail.status, 200);
    const names = detail.body.events.map((event: { name: string }) => event.name).sort();
    assert.deepEqual(names, ['gen_ai.choice', 'gen_ai.user.message']);

    const protobuf = await postOtlp(server.otlpUrl, (await logsBodies(traceId, spanId, ['gen_ai.assistant.message'])).protobuf, PROTOBUF, '/v1/logs');
    assert.equal(protobuf.status, 200);
    assert.equal(protobuf.headers.get('content-type'), 'application/x-protobuf');
  });

  void test('stats count received, accepted and rejected spans', () => {
    const stats = server.server.stats();
    assert.ok(stats.spansAccepted >= 20, `accepted ${stats.spansAccepted}`);
    assert.ok(stats.spansRejected >= 1);
    assert.equal(stats.spansReceived, stats.spansAccepted + stats.spansRejected + stats.spansDeduplicated + stats.spansRefused);
    assert.equal(stats.queueDepth, 0);
    assert.ok(stats.requestsInvalid >= 5);
  });
});

void test('the query API and OTLP/HTTP can share one port', async () => {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const server = await startTestServer({ config: { port, otlpHttpPort: port } });
  try {
    assert.equal(server.apiUrl, `http://127.0.0.1:${port}`);
    assert.equal(server.otlpUrl, server.apiUrl);
    const { traceId, spans } = oneTrace();
    assert.equal((await postOtlp(server.otlpUrl, protobufBody(spans), PROTOBUF)).status, 200);
    assert.equal(await storedSpanCount(server, traceId), 3);
  } finally {
    await server.close();
  }
});

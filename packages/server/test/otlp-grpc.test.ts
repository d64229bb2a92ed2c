import { strict as assert } from 'node:assert';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, OTLP_LOGS_SERVICE, OTLP_TRACE_SERVICE, PortInUseError, silentLogger } from '../src/index.js';
import type { OtlpExportService } from '../src/otlp-grpc/otlp-grpc-services.js';
import { agentTrace, logsBodies, protobufBody, recordSpans } from './support/otel-bodies.js';
import { getJson, startTestServer, withWrite, type TestServer } from './support/test-server.js';

function oneTrace() {
  let traceId = '';
  const spans = recordSpans((tracer) => {
    traceId = agentTrace(tracer);
  });
  return { traceId, spans };
}

function exportWith(exporter: OTLPTraceExporter, spans: ReadableSpan[]) {
  return new Promise<{ code: ExportResultCode; error?: Error }>((resolve) => exporter.export(spans, resolve));
}

/** A raw unary call with our pass-through definition: lets the test send arbitrary bytes. */
function rawExport(
  client: Client,
  body: Uint8Array,
  service: OtlpExportService = OTLP_TRACE_SERVICE,
): Promise<{ error: ServiceError | null; response: Buffer | undefined }> {
  const method = service.Export;
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      Buffer.from(body),
      new Metadata(),
      {},
      (error, response) => resolve({ error, response }),
    );
  });
}

void describe('OTLP/gRPC receiver', () => {
  let server: TestServer;
  let address: string;
  let client: Client;
  before(async () => {
    server = await startTestServer({ config: { otlpGrpcPort: 0, maxRequestBytes: 64 * 1024 } });
    address = server.addresses.otlpGrpcAddress!;
    client = new Client(address, credentials.createInsecure());
  });
  after(async () => {
    client.close();
    await server.close();
  });

  void test('the OpenTelemetry gRPC exporter (gzip) exports a trace that is then queryable', async () => {
    const { traceId, spans } = oneTrace();
    const exporter = new OTLPTraceExporter({ url: `http://${address}`, compression: CompressionAlgorithm.GZIP });
    try {
      const result = await exportWith(exporter, spans);
      assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
    } finally {
      await exporter.shutdown();
    }
    const { status: httpStatus, body } = await getJson(`${server.apiUrl}/api/v1/traces/${traceId}`);
    assert.equal(httpStatus, 200);
    assert.equal(body.spans.length, 3);
  });

  void test('a raw call with our service definition gets an empty ExportTraceServiceResponse', async () => {
    const { traceId, spans } = oneTrace();
    const { error, response } = await rawExport(client, protobufBody(spans));
    assert.equal(error, null);
    assert.equal(response?.length, 0);
    assert.equal((await getJson(`${server.apiUrl}/api/v1/traces/${traceId}`)).status, 200);
  });

  void test('undecodable bytes → INVALID_ARGUMENT with a message', async () => {
    const { error } = await rawExport(client, new Uint8Array([0x0a, 0xff, 0xff, 0x01]));
    assert.equal(error?.code, status.INVALID_ARGUMENT);
    assert.ok((error?.details ?? '').length > 0);
  });

  void test('LogsService/Export attaches gen_ai.* events', async () => {
    const { traceId, spans } = oneTrace();
    assert.equal((await rawExport(client, protobufBody(spans))).error, null);
    const spanId = spans[0]!.spanContext().spanId;
    const { protobuf } = await logsBodies(traceId, spanId, ['gen_ai.choice']);
    const { error, response } = await rawExport(client, protobuf, OTLP_LOGS_SERVICE);
    assert.equal(error, null);
    assert.equal(response?.length, 0);
    const detail = await getJson(`${server.apiUrl}/api/v1/traces/${traceId}/spans/${spanId}`);
    assert.deepEqual(detail.body.events.map((event: { name: string }) => event.name), ['gen_ai.choice']);
  });

  void test('a message over maxRequestBytes → RESOURCE_EXHAUSTED', async () => {
    const { error } = await rawExport(client, new Uint8Array(100 * 1024));
    assert.equal(error?.code, status.RESOURCE_EXHAUSTED);
  });
});

void test('start() rejects with PortInUseError naming the port and its flag', async () => {
  const blocker = createNetServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as AddressInfo).port;
  const store = { description: 'unused' } as never;
  try {
    for (const [config, flag] of [
      [{ port: null, otlpHttpPort: port, otlpGrpcPort: null }, '--otlp-http-port'],
      [{ port: null, otlpHttpPort: null, otlpGrpcPort: port }, '--otlp-grpc-port'],
      [{ port, otlpHttpPort: null, otlpGrpcPort: null }, '--port'],
    ] as const) {
      const server = createServer({ store, config, logger: silentLogger });
      await assert.rejects(server.start(), (error: unknown) => {
        assert.ok(error instanceof PortInUseError);
        assert.equal(error.code, 'port_in_use');
        assert.equal(error.port, port);
        assert.ok(error.message.includes(String(port)) && error.message.includes(flag), error.message);
        return true;
      });
      await server.stop();
    }
  } finally {
    blocker.close();
  }
});

void test('a full queue answers UNAVAILABLE with RetryInfo and grpc-retry-pushback-ms', async () => {
  const server = await startTestServer({
    config: { otlpGrpcPort: 0, maxQueuedSpans: 3, maxBatchSpans: 3 },
    wrapStore: (store) =>
      withWrite(store, async (batch) => {
        await sleep(150);
        return store.write(batch);
      }),
  });
  const client = new Client(server.addresses.otlpGrpcAddress!, credentials.createInsecure());
  try {
    const bodies = Array.from({ length: 6 }, () => protobufBody(oneTrace().spans));
    const results = await Promise.all(bodies.map((body) => rawExport(client, body)));
    const throttled = results.filter((result) => result.error !== null);
    assert.ok(throttled.length > 0 && throttled.length < results.length, `${throttled.length} of ${results.length} throttled`);
    for (const { error } of throttled) {
      assert.equal(error!.code, status.UNAVAILABLE);
      assert.match(error!.details, /queue is full/);
      assert.deepEqual(error!.metadata.get('grpc-retry-pushback-ms'), ['1000']);
      const details = error!.metadata.get('grpc-status-details-bin')[0] as Buffer;
      assert.ok(details.includes('type.googleapis.com/google.rpc.RetryInfo'));
    }
    assert.equal(server.server.stats().spansAccepted, (results.length - throttled.length) * 3);
  } finally {
    client.close();
    await server.close();
  }
});

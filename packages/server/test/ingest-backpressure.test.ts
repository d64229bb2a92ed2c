import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { agentTrace, protobufBody, recordSpans } from './support/otel-bodies.js';
import type { TraceStore } from '@cairn/storage';
import { getJson, postOtlp, startTestServer, withSlowPreparedWrites, withWrite } from './support/test-server.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf' };

function traces(count: number) {
  return Array.from({ length: count }, () => {
    let traceId = '';
    const spans = recordSpans((tracer) => {
      traceId = agentTrace(tracer);
    });
    return { traceId, body: protobufBody(spans) };
  });
}

// Exports are decoded on the event loop when the store has no write preparer (the withWrite
// wrapper), else in an ingest thread: both refuse and count the same way.
const SLOW_STORES = [
  {
    where: 'decoded on the event loop',
    wrap: (store: TraceStore) =>
      withWrite(store, async (batch) => {
        await sleep(150);
        return store.write(batch);
      }),
  },
  { where: 'decoded in an ingest thread', wrap: (store: TraceStore) => withSlowPreparedWrites(store, 150) },
];

for (const { where, wrap } of SLOW_STORES) {
  void test(`a full write queue answers 429 with Retry-After; every 200 is stored (${where})`, async () => {
    const server = await startTestServer({ config: { maxQueuedSpans: 6, maxBatchSpans: 6 }, wrapStore: wrap });
    try {
      const requests = traces(10);
      const responses = await Promise.all(requests.map(({ body }) => postOtlp(server.otlpUrl, body, PROTOBUF)));
      const statuses = responses.map((response) => response.status);
      const accepted = requests.filter((_, index) => statuses[index] === 200);
      const throttled = responses.filter((response) => response.status === 429);
      assert.ok(throttled.length > 0, `expected some 429s, got ${statuses.join(',')}`);
      assert.ok(accepted.length >= 3, `expected at least 3 accepted, got ${statuses.join(',')}`);
      assert.deepEqual(new Set(statuses), new Set([200, 429]));
      for (const response of throttled) {
        assert.equal(response.headers.get('retry-after'), '1');
        // A google.rpc.Status in protobuf, the request's content type; the message is readable UTF-8.
        assert.equal(response.headers.get('content-type'), 'application/x-protobuf');
        assert.match(Buffer.from(await response.arrayBuffer()).toString('utf8'), /queue is full/);
      }
      for (const { traceId } of accepted) {
        const { status, body } = await getJson(`${server.apiUrl}/api/v1/traces/${traceId}`);
        assert.equal(status, 200);
        assert.equal(body.spans.length, 3);
      }
      const stats = server.server.stats();
      assert.equal(stats.spansAccepted, accepted.length * 3);
      assert.equal(stats.requestsThrottled, throttled.length);
      assert.equal(stats.spansRefused, throttled.length * 3);
    } finally {
      await server.close();
    }
  });
}

void test('a failing store gives 503 with Retry-After and the error is logged; the queue recovers', async () => {
  let failing = true;
  const server = await startTestServer({
    wrapStore: (store) =>
      withWrite(store, async (batch) => {
        if (failing) throw new Error('disk full', { cause: new Error('ENOSPC') });
        return store.write(batch);
      }),
  });
  try {
    const [first, second] = traces(2);
    const failed = await postOtlp(server.otlpUrl, first!.body, PROTOBUF);
    assert.equal(failed.status, 503);
    assert.equal(failed.headers.get('retry-after'), '5');
    assert.ok(server.logs.some((line) => line.startsWith('error store write') && line.includes('disk full')));

    failing = false;
    const retried = await postOtlp(server.otlpUrl, first!.body, PROTOBUF);
    assert.equal(retried.status, 200);
    assert.equal((await postOtlp(server.otlpUrl, second!.body, PROTOBUF)).status, 200);
    for (const { traceId } of [first!, second!]) {
      assert.equal((await getJson(`${server.apiUrl}/api/v1/traces/${traceId}`)).status, 200);
    }
    const stats = server.server.stats();
    assert.equal(stats.batchesFailed, 1);
    assert.equal(stats.requestsFailed, 1);
    assert.equal(stats.spansAccepted, 6);
  } finally {
    await server.close();
  }
});

void test('stop() finishes queued writes before it resolves', async () => {
  let writes = 0;
  const server = await startTestServer({
    wrapStore: (store) =>
      withWrite(store, async (batch) => {
        await sleep(100);
        const result = await store.write(batch);
        writes++;
        return result;
      }),
  });
  const [only] = traces(1);
  const pending = postOtlp(server.otlpUrl, only!.body, PROTOBUF);
  await sleep(30);
  await server.server.stop();
  assert.equal(writes, 1);
  assert.equal((await pending).status, 200);
  await server.close();
});

void test('a retried export is deduplicated, not stored twice', async () => {
  const server = await startTestServer();
  try {
    const [only] = traces(1);
    assert.equal((await postOtlp(server.otlpUrl, only!.body, PROTOBUF)).status, 200);
    assert.equal((await postOtlp(server.otlpUrl, only!.body, PROTOBUF)).status, 200);
    const { body } = await getJson(`${server.apiUrl}/api/v1/traces/${only!.traceId}`);
    assert.equal(body.spans.length, 3);
    assert.equal(server.server.stats().spansDeduplicated, 3);
  } finally {
    await server.close();
  }
});

// Ingest threads: trace exports decoded, normalized and prepared off the event loop. What a client
// and a user of the API see must not depend on where that ran, and a thread that fails or dies
// must cost only the requests it held (retryable), never the server.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { threadId } from 'node:worker_threads';
import { decodeTracesProtobuf, OtlpDecodeError } from '@cairn/otlp';
import { parsePriceTable, PricingContext } from '@cairn/semantic';
import { siblingModuleUrl } from '@cairn/storage/adapter-kit';
import { openDuckDbStore } from '@cairn/storage-duckdb';
import { createServer } from '../src/index.js';
import { IngestThreadError, QueueFullError, ServerStoppingError } from '../src/errors.js';
import type { PreparedTraces } from '../src/ingest/ingest-thread-protocol.js';
import { IngestThreads, PrepareFailedError } from '../src/ingest/ingest-threads.js';
import type { Logger } from '../src/logger.js';
import { agentTrace, jsonBody, protobufBody, recordSpans } from './support/otel-bodies.js';
import type { ProbePrepared } from './support/probe-preparer.js';
import { getJson, postOtlp, startTestServer, type TestServer } from './support/test-server.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };
const PROBE_MODULE = siblingModuleUrl('./support/probe-preparer', import.meta.url);

function namedSpans(...names: string[]): Uint8Array {
  return protobufBody(
    recordSpans((tracer) => {
      for (const name of names) tracer.startSpan(name).end();
    }),
  );
}

function probeOf(traces: PreparedTraces): ProbePrepared {
  return traces.prepared as ProbePrepared;
}

describe('IngestThreads', () => {
  const logs: string[] = [];
  const logger: Logger = {
    info: () => undefined,
    warn: () => undefined,
    error: (message, cause) => logs.push(`${message} ${cause instanceof Error ? cause.message : String(cause)}`),
  };
  const pricing = new PricingContext();
  const threads = (options: { maxPendingBytes?: number; threads?: number } = {}) =>
    new IngestThreads({
      threads: options.threads ?? 1,
      projectId: 'default',
      preparer: { module: PROBE_MODULE, options: null },
      pricing,
      logger,
      maxPendingBytes: options.maxPendingBytes ?? 64 * 1024 * 1024,
      retryAfterSeconds: 1,
    });

  it('decodes, normalizes and prepares protobuf and JSON exports in another thread', async () => {
    const pool = threads();
    try {
      const spans = recordSpans((tracer) => void agentTrace(tracer));
      for (const [encoding, body] of [['protobuf', protobufBody(spans)], ['json', jsonBody(spans)]] as const) {
        const traces = await pool.prepare(encoding, body);
        const probe = probeOf(traces);
        assert.notEqual(probe.threadId, threadId);
        assert.deepEqual(probe.spans.map((span) => span.name).sort(), spans.map((span) => span.name).sort());
        assert.equal(traces.spanCount, 3);
        assert.equal(traces.received, 3);
        assert.equal(traces.rejected, 0);
        // The moved buffer arrives whole: every span's cost, in order.
        assert.deepEqual([...new Float64Array(probe.buffer)], probe.spans.map((span) => span.costUsd ?? -1));
      }
    } finally {
      await pool.close();
    }
  });

  it('prices the exports sent after a price change with the new prices', async () => {
    const pool = threads();
    try {
      const body = protobufBody(recordSpans((tracer) => void agentTrace(tracer, { model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 100_000 })));
      const costOf = async () => probeOf(await pool.prepare('protobuf', body)).spans.find((span) => span.name.startsWith('chat'))!.costUsd;
      const listCost = await costOf();
      assert.ok(listCost !== null && Math.abs(listCost - 0.21) < 1e-9, `bundled price, got ${listCost}`);
      const table = {
        version: 'acme-1',
        models: [{ id: 'gpt-4o-mini', providers: ['openai'], effectiveFrom: '2024-01-01', prices: { input: 0.1, output: 0.5 } }],
      };
      pricing.setProjectPrices('default', parsePriceTable(table, 'custom', 'test prices'));
      assert.ok(Math.abs((await costOf())! - 0.15) < 1e-9);
      pricing.setProjectPrices('default', null);
      assert.ok(Math.abs((await costOf())! - 0.21) < 1e-9);
    } finally {
      await pool.close();
    }
  });

  it('an undecodable body fails with the decoder\'s own error and message', async () => {
    const pool = threads();
    try {
      const body = namedSpans('a').subarray(0, 20);
      let expected: unknown;
      try {
        decodeTracesProtobuf(body);
      } catch (error) {
        expected = error;
      }
      assert.ok(expected instanceof OtlpDecodeError);
      await assert.rejects(pool.prepare('protobuf', body), (error) => error instanceof OtlpDecodeError && error.message === expected.message);
    } finally {
      await pool.close();
    }
  });

  it('a failing preparer fails that export only, with its span count and cause', async () => {
    const pool = threads();
    try {
      await assert.rejects(
        pool.prepare('protobuf', namedSpans('ok', 'throw')),
        (error) => error instanceof PrepareFailedError && error.spanCount === 2 && /told to fail/.test(String((error.cause as Error).message)),
      );
      assert.equal(probeOf(await pool.prepare('protobuf', namedSpans('next'))).spans.length, 1);
    } finally {
      await pool.close();
    }
  });

  it('a thread that dies fails the exports it held as retryable, is logged, and is replaced', async () => {
    const pool = threads();
    try {
      const before = probeOf(await pool.prepare('protobuf', namedSpans('first'))).threadId;
      const held = [pool.prepare('protobuf', namedSpans('exit-thread')), pool.prepare('protobuf', namedSpans('queued-behind'))];
      for (const result of await Promise.allSettled(held)) {
        assert.equal(result.status, 'rejected');
        assert.ok(result.reason instanceof IngestThreadError, String(result.reason));
        assert.equal(result.reason.retryAfterSeconds, 1);
      }
      assert.ok(logs.some((line) => /ingest thread stopped with 2 export/.test(line)), logs.join('\n'));
      const after = probeOf(await pool.prepare('protobuf', namedSpans('after'))).threadId;
      assert.notEqual(after, before);
    } finally {
      await pool.close();
    }
  });

  it('spreads exports over its threads', async () => {
    const pool = threads({ threads: 2 });
    try {
      const prepared = await Promise.all(Array.from({ length: 6 }, (_, index) => pool.prepare('protobuf', namedSpans(`span-${index}`))));
      assert.equal(new Set(prepared.map((traces) => probeOf(traces).threadId)).size, 2);
    } finally {
      await pool.close();
    }
  });

  it('refuses an export once too many bytes wait for a thread, and takes one again when they are done', async () => {
    const body = namedSpans('a', 'b', 'c');
    const pool = threads({ maxPendingBytes: body.byteLength });
    try {
      const first = pool.prepare('protobuf', body);
      await assert.rejects(pool.prepare('protobuf', body), (error) => error instanceof QueueFullError && /waiting to be decoded/.test(error.message));
      await first;
      await pool.prepare('protobuf', body);
    } finally {
      await pool.close();
    }
  });

  it('close() finishes the exports in hand, then refuses new ones', async () => {
    const pool = threads();
    const inHand = pool.prepare('protobuf', namedSpans('in-hand'));
    await pool.close();
    assert.equal(probeOf(await inHand).spans[0]!.name, 'in-hand');
    await assert.rejects(pool.prepare('protobuf', namedSpans('late')), ServerStoppingError);
  });
});

void it('a server whose ingest thread cannot start says so at start, naming the way around it', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-ingest-thread-'));
  const store = await openDuckDbStore({ dataDir });
  const missing = new URL('./support/no-such-preparer.ts', import.meta.url).href;
  const broken = new Proxy(store, { get: (target, property) => (property === 'writePreparer' ? { module: missing, options: null } : (Reflect.get(target, property, target) as unknown)) });
  const server = createServer({ store: broken, logger: { info: () => undefined, warn: () => undefined, error: () => undefined }, config: { port: 0, otlpHttpPort: 0, otlpGrpcPort: null } });
  try {
    await assert.rejects(server.start(), (error: Error) => /ingest thread could not start \(--ingest-threads 0 decodes on the event loop instead\).*no-such-preparer/.test(error.message));
  } finally {
    await server.stop();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

/** What a client and the API show for a set of exports, receive times and running spans' elapsed time left out. */
async function observe(server: TestServer, bodies: { body: Uint8Array | string; headers: Record<string, string> }[], traceIds: string[]) {
  const answers = [];
  for (const { body, headers } of bodies) {
    const response = await postOtlp(server.otlpUrl, body, headers);
    answers.push({ status: response.status, body: Buffer.from(await response.arrayBuffer()).toString('base64') });
  }
  const traces = [];
  for (const traceId of traceIds) {
    const { status, body } = await getJson(`${server.apiUrl}/api/v1/traces/${traceId}`);
    assert.equal(status, 200);
    const spans = [];
    for (const span of body.spans as { spanId: string }[]) {
      const detail = await getJson(`${server.apiUrl}/api/v1/traces/${traceId}/spans/${span.spanId}`);
      spans.push(detail.body);
    }
    traces.push({ summary: body.summary, spans: body.spans, details: spans });
  }
  const live = await getJson(`${server.apiUrl}/api/v1/live`);
  return JSON.parse(JSON.stringify({ answers, traces, live: live.body }, (key, value: unknown) => (/^(received|lastSeen|elapsedMs)/i.test(key) ? undefined : value)));
}

describe('a server with and without an ingest thread', () => {
  let onLoop: TestServer;
  let inThread: TestServer;
  before(async () => {
    onLoop = await startTestServer({ config: { ingestThreads: 0, analysisQuietMillis: null } });
    inThread = await startTestServer({ config: { ingestThreads: 1, analysisQuietMillis: null } });
  });
  after(async () => {
    await onLoop.close();
    await inThread.close();
  });

  it('answers and stores the same exports identically', async () => {
    const traceIds: string[] = [];
    const agent = recordSpans((tracer) => void traceIds.push(agentTrace(tracer, { sessionId: 'session-1' })));
    const other = recordSpans((tracer) => void traceIds.push(agentTrace(tracer, { model: 'gpt-4o-mini' })));
    // One span with an invalid id: rejected through partialSuccess, the others stored.
    const partial = JSON.parse(Buffer.from(jsonBody(other)).toString('utf8'));
    partial.resourceSpans[0].scopeSpans[0].spans.find((span: { parentSpanId?: string }) => span.parentSpanId !== undefined).spanId = 'not-hex';
    // A live snapshot of a running span (the Cairn SDK marks it cairn.live).
    const running = recordSpans((tracer) => {
      const span = tracer.startSpan('invoke_agent still-running', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'cairn.live': true } });
      traceIds.push(span.spanContext().traceId);
      span.end();
    });
    const bodies = [
      { body: protobufBody(agent), headers: PROTOBUF },
      { body: protobufBody(agent), headers: PROTOBUF }, // a retry: deduplicated
      { body: JSON.stringify(partial), headers: JSON_TYPE },
      { body: protobufBody(running), headers: PROTOBUF },
      { body: namedSpans('x').subarray(0, 20), headers: PROTOBUF }, // undecodable: 400
      { body: '{"resourceSpans": 7}', headers: JSON_TYPE },
    ];
    const expected = await observe(onLoop, bodies, traceIds);
    const actual = await observe(inThread, bodies, traceIds);
    assert.deepEqual(
      expected.answers.map((answer: { status: number }) => answer.status),
      [200, 200, 200, 200, 400, 400],
    );
    assert.equal(expected.traces.length, 3);
    assert.equal(expected.live.items.length, 1);
    assert.deepEqual(actual, expected);
    const countersOf = (server: TestServer) => {
      const { spansReceived, spansAccepted, spansDeduplicated, spansRejected, liveSpansReceived, requestsInvalid, requestsSucceeded } = server.server.stats();
      return { spansReceived, spansAccepted, spansDeduplicated, spansRejected, liveSpansReceived, requestsInvalid, requestsSucceeded };
    };
    assert.deepEqual(countersOf(inThread), countersOf(onLoop));
    assert.equal(countersOf(inThread).spansDeduplicated, 3);
  });
});

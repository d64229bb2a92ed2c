// Retention scheduled by the server over a real DuckDB store: a pass at start and then every
// interval removes traces past the configured age; a failing pass is logged and the server
// keeps serving.

import { strict as assert } from 'node:assert';
import { afterEach, describe, it } from 'node:test';
import type { TraceStore } from '@cairn/storage';
import { agentTrace, protobufBody, recordSpans } from './support/otel-bodies.js';
import { getJson, postOtlp, startTestServer, withWrite, type TestServer } from './support/test-server.js';

const MAX_AGE_MS = 3_000;

async function eventually(probe: () => Promise<boolean>, what: string, timeoutMillis = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('retention scheduled by the server', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const traceStatus = async (traceId: string) => (await getJson(`${server!.apiUrl}/api/v1/traces/${traceId}`)).status;

  it('removes traces past their age at start and then at every interval, keeping younger ones', async () => {
    server = await startTestServer({
      config: { analysisQuietMillis: null, retention: { defaultMaxAgeMs: MAX_AGE_MS, projects: [] }, retentionIntervalMillis: 200 },
    });
    let oldTrace = '';
    let freshTrace = '';
    // The fresh trace's age counts from its start, at or after this.
    const startedAt = Date.now();
    const spans = recordSpans((tracer) => {
      oldTrace = agentTrace(tracer, { startMillis: Date.now() - 3_600_000 });
      freshTrace = agentTrace(tracer, { startMillis: Date.now() });
    });
    assert.equal((await postOtlp(server.otlpUrl, protobufBody(spans), { 'content-type': 'application/x-protobuf' })).status, 200);

    await eventually(async () => (await traceStatus(oldTrace)) === 404, 'the hour-old trace to be removed');
    if (Date.now() - startedAt < MAX_AGE_MS - 500) assert.equal(await traceStatus(freshTrace), 200, 'a trace younger than the age stays');
    // A later pass removes the fresh trace once it is older than the age.
    await eventually(async () => (await traceStatus(freshTrace)) === 404, 'the fresh trace to age out');
    assert.ok(Date.now() - startedAt >= MAX_AGE_MS - 100, 'not before its age');
    assert.ok(server.logs.some((line) => /^info retention: keeping traces 3000 ms, applied every/.test(line)), server.logs.join('\n'));
    assert.ok(server.logs.some((line) => /^info retention: removed 1 traces \(3 spans\)/.test(line)), server.logs.join('\n'));
  });

  it('logs a failing pass and keeps serving; no pass runs without a policy', async () => {
    let passes = 0;
    const failing = (store: TraceStore): TraceStore => ({
      ...withWrite(store, (batch) => store.write(batch)),
      applyRetention: () => {
        passes += 1;
        return Promise.reject(new Error('disk on fire'));
      },
    });
    server = await startTestServer({
      config: { analysisQuietMillis: null, retention: { defaultMaxAgeMs: MAX_AGE_MS, projects: [] }, retentionIntervalMillis: 100 },
      wrapStore: failing,
    });
    await eventually(async () => passes >= 2, 'a second pass after the failed first one');
    assert.ok(server.logs.some((line) => line.startsWith('error retention pass failed') && line.includes('disk on fire')), server.logs.join('\n'));
    assert.equal((await getJson(`${server.apiUrl}/healthz`)).status, 200);
    await server.close();
    server = undefined;
    const after = passes;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(passes, after, 'no pass after stop');

    server = await startTestServer({ config: { analysisQuietMillis: null, retentionIntervalMillis: 100 }, wrapStore: failing });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(passes, after, 'without a policy the store is never asked');
  });
});

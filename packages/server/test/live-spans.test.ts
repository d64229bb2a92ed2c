// Live spans over OTLP: a span carrying cairn.live = true is a snapshot of a running span. The
// trace shows it (live: true) and GET /api/v1/live lists it until the finished span replaces it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { protobufBody, recordSpans } from './support/otel-bodies.js';
import { getJson, postOtlp, startTestServer, type JsonBody, type TestServer } from './support/test-server.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf' };

/** What the Cairn SDK sends while `span` runs: the same ids and attributes, ending at the snapshot. */
function snapshotOf(span: ReadableSpan, atMillis: number): ReadableSpan {
  const endTime = millisToHrTime(atMillis);
  return { ...span, spanContext: () => span.spanContext(), endTime, attributes: { ...span.attributes, 'cairn.live': true }, ended: false };
}

/** An agent root with a tool call that started 5 s ago; the spans as they end later. */
function agentWithTool(): { root: ReadableSpan; tool: ReadableSpan } {
  const start = Date.now() - 5_000;
  const spans = recordSpans((tracer) => {
    const root = tracer.startSpan('invoke_agent planner', { startTime: start, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'planner' } });
    const tool = tracer.startSpan(
      'execute_tool web_search',
      { startTime: start + 100, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'web_search' } },
      trace.setSpan(ROOT_CONTEXT, root),
    );
    tool.end(start + 5_000);
    root.end(start + 5_200);
  });
  return { root: spans.find((span) => span.name.startsWith('invoke_agent'))!, tool: spans.find((span) => span.name.startsWith('execute_tool'))! };
}

async function send(server: TestServer, spans: ReadableSpan[]): Promise<void> {
  const response = await postOtlp(server.otlpUrl, protobufBody(spans), PROTOBUF);
  assert.equal(response.status, 200);
  await response.arrayBuffer();
}

describe('live spans', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('shows a running span until its finished span replaces it', async () => {
    const { root, tool } = agentWithTool();
    const traceId = tool.spanContext().traceId;
    await send(server, [snapshotOf(tool, Date.now() - 2_000)]);

    const running = await getJson(`${server.apiUrl}/api/v1/traces/${traceId}`);
    assert.equal(running.status, 200, 'a trace known only from a live span is found');
    assert.equal(running.body.spans.length, 1);
    assert.equal(running.body.spans[0].live, true);
    assert.equal(running.body.spans[0].toolName, 'web_search');
    assert.equal(running.body.summary.spanCount, 1);

    const live = await getJson(`${server.apiUrl}/api/v1/live`);
    assert.equal(live.status, 200);
    const item = live.body.items.find((entry: JsonBody) => entry.spanId === tool.spanContext().spanId);
    assert.ok(item, 'GET /api/v1/live lists the running span');
    assert.equal(item.traceId, traceId);
    assert.equal(item.spanType, 'tool');
    assert.equal(item.toolName, 'web_search');
    assert.ok(item.elapsedMs >= 4_800 && item.elapsedMs < 60_000, `elapsed ${item.elapsedMs} ms since the start`);

    const stats = await getJson(`${server.apiUrl}/api/v1/stats`);
    assert.equal(stats.body.liveSpansReceived, 1);
    assert.equal(stats.body.spansReceived, 0, 'live records are not counted as received spans');

    await send(server, [tool, root]);
    const finished = await getJson(`${server.apiUrl}/api/v1/traces/${traceId}`);
    assert.equal(finished.body.spans.length, 2);
    assert.ok(finished.body.spans.every((span: JsonBody) => span.live === false));
    const finishedTool = finished.body.spans.find((span: JsonBody) => span.spanId === tool.spanContext().spanId);
    assert.equal(finishedTool.durationMs, 4_900);
    const after = await getJson(`${server.apiUrl}/api/v1/live`);
    assert.equal(after.body.items.filter((entry: JsonBody) => entry.traceId === traceId).length, 0);

    // A snapshot that was in flight when the span ended arrives late: nothing changes.
    await send(server, [snapshotOf(tool, Date.now() - 1_000)]);
    const late = await getJson(`${server.apiUrl}/api/v1/traces/${traceId}`);
    assert.deepEqual(late.body, finished.body);
  });

  it('validates the parameters of GET /api/v1/live and documents it', async () => {
    const bad = await getJson(`${server.apiUrl}/api/v1/live?limit=0`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /limit/);
    const document = await getJson(`${server.apiUrl}/api/v1/openapi.json`);
    assert.ok(document.body.paths['/api/v1/live']);
    assert.ok(document.body.components.schemas.LiveSpan.properties.elapsedMs);
    assert.ok(document.body.components.schemas.Span.properties.live);
  });
});

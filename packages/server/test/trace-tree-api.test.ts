// GET /api/v1/traces/{id}?view=tree (the viewer's lean read) and GET /api/v1/attributes (the
// filter suggestions), against a real server and DuckDB store seeded over OTLP.

import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { SpanStatusCode, trace, ROOT_CONTEXT } from '@opentelemetry/api';
import { agentTrace, protobufBody, recordSpans } from './support/otel-bodies.js';
import { getJson, postOtlp, startTestServer, type JsonBody, type TestServer } from './support/test-server.js';

const NOW = Date.now();

/** Rows of the tree view as objects keyed by its field list. */
function treeSpans(body: JsonBody): Record<string, unknown>[] {
  const fields = body.fields as string[];
  return (body.rows as unknown[][]).map((row) => Object.fromEntries(fields.map((field, index) => [field, row[index]])));
}

void describe('trace tree view and attribute catalog API', () => {
  let server: TestServer;
  let traceId = '';
  let orphanTraceId = '';
  const api = (path: string) => getJson(`${server.apiUrl}${path}`);

  before(async () => {
    server = await startTestServer();
    const spans = recordSpans((tracer) => {
      const root = tracer.startSpan('invoke_agent planner', { startTime: NOW - 10_000, attributes: { 'gen_ai.agent.name': 'planner', 'gen_ai.operation.name': 'invoke_agent', 'app.tier': 'gold' } }, ROOT_CONTEXT);
      traceId = root.spanContext().traceId;
      const context = trace.setSpan(ROOT_CONTEXT, root);
      const llm = tracer.startSpan(
        'chat gpt-4o-mini',
        {
          startTime: NOW - 9_000,
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.provider.name': 'openai', 'gen_ai.usage.input_tokens': 120, 'gen_ai.usage.output_tokens': 30, 'app.tier': 'gold' },
        },
        context,
      );
      llm.addEvent('rate_limited', { 'http.response.status_code': 429, detail: 'x'.repeat(3_000) }, NOW - 8_900);
      llm.addEvent('gen_ai.fallback', { 'fallback.model': 'gpt-4o' }, NOW - 8_800);
      llm.end(NOW - 8_000);
      const tool = tracer.startSpan('execute_tool lookup_order', { startTime: NOW - 7_000, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup_order', 'app.tier': 'silver' } }, context);
      tool.setStatus({ code: SpanStatusCode.ERROR, message: 'order service down' });
      tool.end(NOW - 6_500);
      root.end(NOW - 5_000);
    }, 'support-bot');
    const orphans = recordSpans((tracer) => {
      orphanTraceId = agentTrace(tracer, { startMillis: NOW - 60_000 });
    }).filter((span) => span.parentSpanContext !== undefined);
    for (const body of [protobufBody(spans), protobufBody(orphans)]) {
      const response = await postOtlp(server.otlpUrl, body, { 'content-type': 'application/x-protobuf' });
      assert.equal(response.status, 200);
    }
  });
  after(async () => {
    await server.close();
  });

  void test('?view=tree: the same spans and summary as the default view, as rows of the tree fields', async () => {
    const full = await api(`/api/v1/traces/${traceId}`);
    const tree = await api(`/api/v1/traces/${traceId}?view=tree`);
    assert.equal(tree.status, 200);
    assert.deepEqual(tree.body.summary, full.body.summary);
    assert.deepEqual(tree.body.placeholders, []);
    const spans = treeSpans(tree.body);
    assert.deepEqual(spans.map((span) => span.spanId), full.body.spans.map((span: JsonBody) => span.spanId));
    for (const [index, span] of spans.entries()) {
      const expected = full.body.spans[index];
      for (const key of ['parentSpanId', 'name', 'kind', 'spanType', 'serviceName', 'startTimeUnixNano', 'endTimeUnixNano', 'durationMs', 'model', 'provider', 'operation', 'agentName', 'toolName', 'costUsd', 'inputPreview', 'outputPreview', 'live']) {
        assert.deepEqual(span[key], expected[key], `${key} of span ${index}`);
      }
      assert.deepEqual([span.statusCode, span.statusMessage], [expected.status.code, expected.status.message]);
      assert.deepEqual([span.inputTokens, span.outputTokens, span.cacheReadTokens, span.cacheWriteTokens, span.reasoningTokens], Object.values(expected.usage));
      // What the tree view leaves out: the span detail has it.
      assert.equal(span.attributes, undefined);
    }
    const llm = spans.find((span) => span.spanType === 'llm')!;
    assert.deepEqual(
      (llm.events as [string, string][]).map(([, name]) => name),
      ['rate_limited', 'gen_ai.fallback'],
    );
    assert.equal((llm.events as [string, string][])[0]![0], `${BigInt(NOW - 8_900) * 1_000_000n}`);
    assert.equal(spans.find((span) => span.spanType === 'tool')!.statusMessage, 'order service down');
    assert.equal(spans.find((span) => span.parentSpanId === null)!.events, null);
    assert.ok(JSON.stringify(tree.body).length < JSON.stringify(full.body).length);
  });

  void test('?view=tree lists placeholders; bad view → 400; unknown trace → 404', async () => {
    const orphan = await api(`/api/v1/traces/${orphanTraceId}?view=tree`);
    assert.equal(orphan.status, 200);
    assert.equal(orphan.body.placeholders.length, 1);
    assert.equal(orphan.body.placeholders[0].childSpanIds.length, 2);
    const bad = await api(`/api/v1/traces/${traceId}?view=lean`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /view/);
    const unknown = await api(`/api/v1/traces/${'cd'.repeat(16)}?view=tree`);
    assert.equal(unknown.status, 404);
    assert.equal((await api(`/api/v1/traces/${traceId}?view=full`)).body.spans.length, 3);
  });

  void test('GET /api/v1/attributes: keys, values of a key, values of a filter field, prefix', async () => {
    const from = NOW - 3_600_000;
    const keys = await api(`/api/v1/attributes?from=${from}`);
    assert.equal(keys.status, 200);
    assert.equal(keys.body.key, null);
    const keyNames = keys.body.entries.map((entry: JsonBody) => entry.value);
    assert.ok(keyNames.includes('app.tier'));
    assert.ok(keyNames.includes('gen_ai.request.model'));
    assert.ok(keys.body.sampledSpans >= 3);

    const tiers = await api(`/api/v1/attributes?from=${from}&key=app.tier`);
    assert.deepEqual(tiers.body.entries, [{ value: 'gold', count: 2 }, { value: 'silver', count: 1 }]);
    assert.equal(tiers.body.key, 'app.tier');

    const models = await api(`/api/v1/attributes?from=${from}&field=model&prefix=GPT-4o-M`);
    assert.deepEqual(models.body.entries.map((entry: JsonBody) => entry.value), ['gpt-4o-mini']);
    assert.equal(models.body.field, 'model');
    const tools = await api(`/api/v1/attributes?from=${from}&field=tool`);
    assert.ok(tools.body.entries.some((entry: JsonBody) => entry.value === 'lookup_order'));

    const bad = await api('/api/v1/attributes?field=colour');
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /field/);
    const doc = await api('/api/v1/openapi.json');
    assert.ok(doc.body.paths['/api/v1/attributes']);
    assert.ok(doc.body.components.schemas.TraceTree);
    assert.ok(doc.body.paths['/api/v1/traces/{traceId}'].get.parameters.some((parameter: JsonBody) => parameter.name === 'view'));
  });
});

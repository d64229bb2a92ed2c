// GET /api/v1/traces/{id}?view=tree (the viewer's lean read) and GET /api/v1/attributes (the
// filter suggestions), against a real server and DuckDB store seeded over OTLP.

import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { SpanKind, SpanStatusCode, trace, ROOT_CONTEXT, type HrTime } from '@opentelemetry/api';
import { TREE_ROW_FIELDS } from '@cairn/storage';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { findPlaceholders } from '../src/api/shape-records.js';
import { traceTreeJson } from '../src/api/trace-tree-json.js';
import { TREE_FIELD_NAMES } from '../src/api/trace-tree-schemas.js';
import { agentTrace, logsBodies, protobufBody, recordSpans } from './support/otel-bodies.js';
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
    // A small trace's tree view is made of its decoded spans.
    assert.equal((await server.store.getTraceTreeView!('default', traceId))!.summary.spanCount, 3);
    assert.ok(!('rowsJson' in (await server.store.getTraceTreeView!('default', traceId))!));
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

/**
 * A 2,400-span agent trace (above SUMMARY_FROM_SPANS_MAX, so the DuckDB store builds its tree rows
 * itself): every span kind, errors, events, LLM calls with and without a known price, text
 * needing JSON escapes, durations with sub-microsecond parts, and ten spans left out so their
 * children hang under placeholders.
 */
function bigVariedTrace(): { traceId: string; spans: ReadableSpan[] } {
  let traceId = '';
  const base = Math.floor(NOW / 1000) - 600;
  const at = (nanos: number): HrTime => [base + Math.floor(nanos / 1e9), nanos % 1e9];
  const kinds = [SpanKind.INTERNAL, SpanKind.CLIENT, SpanKind.SERVER, SpanKind.PRODUCER, SpanKind.CONSUMER];
  const spans = recordSpans((tracer) => {
    const root = tracer.startSpan('invoke_agent orchestrator', { kind: SpanKind.SERVER, startTime: at(0), attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'orchestrator' } }, ROOT_CONTEXT);
    traceId = root.spanContext().traceId;
    for (let agent = 0; agent < 20; agent++) {
      const agentStart = 1_000_000 + agent * 7_000_001;
      const sub = tracer.startSpan(`invoke_agent worker-${agent}`, { startTime: at(agentStart), attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': `worker-${agent}` } }, trace.setSpan(ROOT_CONTEXT, root));
      const context = trace.setSpan(ROOT_CONTEXT, sub);
      for (let step = 0; step < 119; step++) {
        const start = agentStart + 1_000 + step * 50_003;
        // Durations of 499, 500, 1,500 and 2,500 ns and longer: durationMs rounds to the microsecond.
        const duration = [499, 500, 1_500, 2_500, 1_234_567, 40_000_001][step % 6]!;
        const llm = step % 3 === 0;
        const span = tracer.startSpan(
          llm ? `chat ${step % 2 === 0 ? 'gpt-4o' : 'in-house-model'}` : `execute_tool tool_${step % 7} "quoted" \\ ✓`,
          {
            kind: kinds[step % kinds.length],
            startTime: at(start),
            attributes: llm
              ? {
                  'gen_ai.operation.name': 'chat',
                  'gen_ai.provider.name': 'openai',
                  'gen_ai.request.model': step % 2 === 0 ? 'gpt-4o' : 'in-house-model',
                  'gen_ai.usage.input_tokens': 100 + step,
                  'gen_ai.usage.output_tokens': step,
                  'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `line one\nline "two" 🚀 ${step}` }] }]),
                }
              : { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': `tool_${step % 7}`, 'gen_ai.tool.call.arguments': `{"q":"\u2028 step ${step}"}` },
          },
          context,
        );
        // Added out of time order: both paths keep the order the span was sent with them.
        if (step % 10 === 0) span.addEvent('retry', { attempt: 1 }, at(start + 100));
        if (step % 10 === 0) span.addEvent('gen_ai.fallback', {}, at(start + 50));
        if (step % 13 === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: `failed: "${step}"\n\u0001` });
        span.end(at(start + duration));
      }
      sub.end(at(agentStart + 6_500_000));
    }
    root.end(at(200_000_000));
  }, 'big-bot');
  // Ten sub-agents' spans are never sent: their children are orphans.
  const dropped = new Set(spans.filter((span) => /^invoke_agent worker-[0-9]$/.test(span.name)).map((span) => span.spanContext().spanId));
  return { traceId, spans: spans.filter((span) => !dropped.has(span.spanContext().spanId)) };
}

void describe('trace tree view of a large trace (rows built by the store)', () => {
  let server: TestServer;
  let traceId = '';
  let spanIds: string[] = [];
  const api = (path: string) => getJson(`${server.apiUrl}${path}`);
  /** Whether the store answers the trace's tree view with rows it wrote (else with spans). */
  const rowsBuilt = async (id: string) => 'rowsJson' in (await server.store.getTraceTreeView!('default', id))!;
  /** The tree view as the server writes it from the store's decoded spans. */
  const decodedTreeView = async () => {
    const tree = (await server.store.getTrace('default', traceId, { view: 'tree' }))!;
    return JSON.parse(traceTreeJson(tree, findPlaceholders(tree.spans))) as JsonBody;
  };

  before(async () => {
    server = await startTestServer();
    const big = bigVariedTrace();
    traceId = big.traceId;
    spanIds = big.spans.map((span) => span.spanContext().spanId);
    // Two requests, so the trace has two parts.
    for (const part of [big.spans.slice(0, 1_000), big.spans.slice(1_000)]) {
      const response = await postOtlp(server.otlpUrl, protobufBody(part), { 'content-type': 'application/x-protobuf' });
      assert.equal(response.status, 200);
    }
  });
  after(async () => {
    await server.close();
  });

  void test('the rows the store builds are exactly the rows of its decoded spans', async () => {
    assert.deepEqual(TREE_FIELD_NAMES, [...TREE_ROW_FIELDS]);
    assert.ok(await rowsBuilt(traceId), 'the DuckDB store builds the rows of a large trace');
    const tree = await api(`/api/v1/traces/${traceId}?view=tree`);
    assert.equal(tree.status, 200);
    assert.equal(tree.body.rows.length, 2_391);
    assert.deepEqual(tree.body, await decodedTreeView());
    // What the comparison covers.
    const spans = treeSpans(tree.body);
    assert.equal(tree.body.placeholders.length, 10);
    assert.deepEqual(new Set(spans.map((span) => span.kind)), new Set(['INTERNAL', 'CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER']));
    assert.deepEqual(new Set(spans.map((span) => span.durationMs).filter((ms) => (ms as number) < 0.01)), new Set([0, 0.001, 0.002, 0.003]));
    assert.ok(spans.some((span) => span.costUsd === null) && spans.some((span) => (span.costUsd as number) > 0));
    assert.ok(spans.some((span) => span.statusCode === 'error' && span.statusMessage === 'failed: "0"\n\u0001'));
    const withEvents = spans.find((span) => span.events !== null)!;
    assert.deepEqual((withEvents.events as [string, string][]).map(([, name]) => name), ['retry', 'gen_ai.fallback']);
    assert.ok(spans.some((span) => (span.inputPreview as string).includes('🚀')));
  });

  void test('events that arrive apart from their span still show: the store answers from decoded spans', async () => {
    const spanId = spanIds[1_500]!;
    const response = await postOtlp(server.otlpUrl, (await logsBodies(traceId, spanId, ['gen_ai.choice'])).protobuf, { 'content-type': 'application/x-protobuf' }, '/v1/logs');
    assert.equal(response.status, 200);
    assert.equal(await rowsBuilt(traceId), false);
    const tree = await api(`/api/v1/traces/${traceId}?view=tree`);
    assert.deepEqual(tree.body, await decodedTreeView());
    const span = treeSpans(tree.body).find((row) => row.spanId === spanId)!;
    assert.deepEqual((span.events as [string, string][]).map(([, name]) => name).at(-1), 'gen_ai.choice');
  });

  void test('a running span (a live snapshot) shows too: the store answers from decoded spans', async () => {
    // A second large trace: the first one now has events that arrived apart.
    const big = bigVariedTrace();
    assert.equal((await postOtlp(server.otlpUrl, protobufBody(big.spans), { 'content-type': 'application/x-protobuf' })).status, 200);
    assert.ok(await rowsBuilt(big.traceId));
    const rootId = big.spans.at(-1)!.spanContext().spanId; // the root ends last
    const [running] = recordSpans((tracer) => {
      const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: big.traceId, spanId: rootId, traceFlags: 1 });
      tracer.startSpan('execute_tool still_running', { startTime: NOW - 1_000, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'still_running' } }, parent).end(NOW);
    }, 'big-bot');
    const snapshot: ReadableSpan = { ...running!, spanContext: () => running!.spanContext(), attributes: { ...running!.attributes, 'cairn.live': true }, ended: false };
    const response = await postOtlp(server.otlpUrl, protobufBody([snapshot]), { 'content-type': 'application/x-protobuf' });
    assert.equal(response.status, 200);
    assert.equal(await rowsBuilt(big.traceId), false);
    const tree = await api(`/api/v1/traces/${big.traceId}?view=tree`);
    const live = treeSpans(tree.body).find((row) => row.name === 'execute_tool still_running');
    assert.equal(live?.live, true);
    assert.equal(tree.body.rows.length, 2_392);
  });
});

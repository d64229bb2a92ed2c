// The analytics endpoints over real HTTP: spans produced by the OpenTelemetry JS SDK, sent as
// OTLP/protobuf, normalized and stored in DuckDB, then analysed on request.

import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { ROOT_CONTEXT, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { protobufBody, recordSpans } from './support/otel-bodies.js';
import { getJson, postOtlp, startTestServer, type TestServer } from './support/test-server.js';

interface ToolStep {
  tool: string;
  args: string;
  error?: string;
}

interface RunIds {
  traceId: string;
  rootId: string;
  toolIds: string[];
}

/** An agent run: root → (chat → tool)* → chat; the root fails when a tool step failed. */
function agentRun(tracer: Tracer, startMillis: number, steps: ToolStep[]): RunIds {
  const failing = steps.some((step) => step.error !== undefined);
  const root = tracer.startSpan('invoke_agent support', {
    startTime: startMillis,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support' },
  });
  const parent = trace.setSpan(ROOT_CONTEXT, root);
  let cursor = startMillis + 5;
  const chat = (inputTokens: number) => {
    const span = tracer.startSpan(
      'chat gpt-4o-mini',
      {
        startTime: cursor,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.usage.input_tokens': inputTokens,
          'gen_ai.usage.output_tokens': 40,
        },
      },
      parent,
    );
    span.end(cursor + 300);
    cursor += 310;
  };
  const toolIds: string[] = [];
  steps.forEach((step, index) => {
    chat(500 + index * 20);
    const tool = tracer.startSpan(
      `execute_tool ${step.tool}`,
      {
        startTime: cursor,
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': step.tool,
          'gen_ai.tool.call.arguments': step.args,
        },
      },
      parent,
    );
    if (step.error !== undefined) tool.setStatus({ code: SpanStatusCode.ERROR, message: step.error });
    tool.end(cursor + 100);
    toolIds.push(tool.spanContext().spanId);
    cursor += 110;
  });
  chat(500 + steps.length * 20);
  if (failing) root.setStatus({ code: SpanStatusCode.ERROR, message: 'agent run failed' });
  root.end(cursor + 10);
  return { traceId: root.spanContext().traceId, rootId: root.spanContext().spanId, toolIds };
}

const LOOP_ARGS = '{"query":"refund policy for damaged items"}';
const BASE_STEPS: ToolStep[] = [
  { tool: 'lookup_order', args: '{"orderId":"48213"}' },
  { tool: 'create_replacement_order', args: '{"orderId":"48213","items":["door-left"]}' },
];

void describe('analytics API', () => {
  let server: TestServer;
  let looping: RunIds;
  let runV1: RunIds;
  let runV2: RunIds;
  const api = (path: string) => getJson(`${server.apiUrl}${path}`);

  before(async () => {
    server = await startTestServer();
    const now = Date.now() - 10 * 60_000;
    const spans = recordSpans((tracer) => {
      looping = agentRun(tracer, now, [
        { tool: 'search_docs', args: LOOP_ARGS },
        { tool: 'search_docs', args: LOOP_ARGS },
        { tool: 'search_docs', args: LOOP_ARGS },
        { tool: 'escalate', args: '{"reason":"no answer"}', error: 'escalation queue unavailable' },
      ]);
      runV1 = agentRun(tracer, now + 60_000, BASE_STEPS);
      runV2 = agentRun(tracer, now + 120_000, [
        BASE_STEPS[0]!,
        { tool: 'create_replacement_order', args: '{"orderId":"48213","items":["door-left","shelf"]}' },
      ]);
    }, 'support-agent');
    const response = await postOtlp(server.otlpUrl, protobufBody(spans), { 'content-type': 'application/x-protobuf' });
    assert.equal(response.status, 200);
    // Ingest is asynchronous: wait until the last trace is queryable.
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await api(`/api/v1/traces/${runV2.traceId}`)).status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  after(async () => {
    await server.close();
  });

  void test('GET /api/v1/traces/{traceId}/analysis flags the loop and points at the failed tool', async () => {
    const { status, body } = await api(`/api/v1/traces/${looping.traceId}/analysis`);
    assert.equal(status, 200);
    assert.equal(body.traceId, looping.traceId);
    assert.equal(body.criticalPath[0], looping.rootId);
    assert.ok(body.criticalPath.includes(looping.toolIds[3]), 'the last tool call is on the critical path');
    assert.deepEqual(
      body.findings.map((finding: { kind: string; spanIds: string[] }) => [finding.kind, finding.spanIds]),
      [['tool_loop', looping.toolIds.slice(0, 3)]],
    );
    assert.deepEqual(body.rootCause, {
      spanId: looping.toolIds[3],
      message: 'tool "escalate" failed: "escalation queue unavailable"',
    });
    assert.equal(Object.keys(body.selfTimeMs).length, 10);
    assert.equal(body.selfTimeMs[looping.toolIds[0]!], 100);
    assert.equal(typeof body.criticalPathSections[0].startTimeUnixNano, 'string');
  });

  void test('a clean run has no findings and no root cause', async () => {
    const { status, body } = await api(`/api/v1/traces/${runV1.traceId}/analysis`);
    assert.equal(status, 200);
    assert.deepEqual(body.findings, []);
    assert.equal(body.rootCause, null);
  });

  void test('GET /api/v1/diff shows exactly the one changed tool call', async () => {
    const { status, body } = await api(`/api/v1/diff?a=${runV1.traceId}&b=${runV2.traceId.toUpperCase()}`);
    assert.equal(status, 200);
    assert.equal(body.a, runV1.traceId);
    assert.equal(body.b, runV2.traceId);
    assert.deepEqual(body.added, []);
    assert.deepEqual(body.removed, []);
    assert.equal(body.changed.length, 1);
    assert.equal(body.changed[0].a, runV1.toolIds[1]);
    assert.equal(body.changed[0].b, runV2.toolIds[1]);
    assert.deepEqual(body.changed[0].changes.map((change: { field: string }) => change.field), ['arguments']);
    assert.equal(body.unchanged.length, 5);
    assert.deepEqual(
      body.toolCalls.b.map((call: { toolName: string; arguments: string }) => [call.toolName, call.arguments]),
      [
        ['lookup_order', '{"orderId":"48213"}'],
        ['create_replacement_order', '{"items":["door-left","shelf"],"orderId":"48213"}'],
      ],
    );
    assert.equal(body.totals.delta.inputTokens, 0);
    assert.equal(body.totals.a.modelCalls, 3);
  });

  void test('unknown traces are 404 and bad parameters 400, with messages', async () => {
    const unknown = 'ab'.repeat(16);
    const missing = await api(`/api/v1/traces/${unknown}/analysis`);
    assert.equal(missing.status, 404);
    assert.match(missing.body.error.message, new RegExp(`trace ${unknown} not found`));
    const missingB = await api(`/api/v1/diff?a=${runV1.traceId}&b=${unknown}`);
    assert.equal(missingB.status, 404);
    assert.match(missingB.body.error.message, /parameter b/);
    const bad = await api(`/api/v1/diff?a=${runV1.traceId}`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /^b: /);
    const extra = await api(`/api/v1/diff?a=${runV1.traceId}&b=${runV2.traceId}&c=1`);
    assert.equal(extra.status, 400);
  });

  void test('the OpenAPI document describes both endpoints and their records', async () => {
    const { body } = await api('/api/v1/openapi.json');
    assert.equal(body.paths['/api/v1/traces/{traceId}/analysis'].get.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/TraceAnalysis');
    assert.deepEqual(
      body.paths['/api/v1/diff'].get.parameters.map((parameter: { name: string; required: boolean }) => [parameter.name, parameter.required]),
      [['a', true], ['b', true]],
    );
    assert.deepEqual(body.components.schemas.Finding.properties.kind.enum, [
      'tool_loop',
      'straggler',
      'retry_storm',
      'handoff_ping_pong',
      'context_blowup',
      'broken_trace',
    ]);
    assert.ok(body.components.schemas.TraceDiff.properties.changed);
  });
});

// The dashboard endpoints and the background analyzer over real HTTP: spans from the
// OpenTelemetry JS SDK sent as OTLP/protobuf into a server on DuckDB. The analyzer runs with a
// short quiet period, so findings appear in ?finding= and /findings without any request.

import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { ROOT_CONTEXT, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import { protobufBody, recordSpans } from './support/otel-bodies.js';
import { getJson, postOtlp, startTestServer, type TestServer } from './support/test-server.js';

const SEARCH = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search_docs', 'gen_ai.tool.call.arguments': '{"query":"refund policy"}' };

/** Agent run: root → chat → n × search_docs(same args) → chat; `gap`: the idle 10 ms before the last chat. */
function run(tracer: Tracer, startMillis: number, searches: number, prompt: string): { traceId: string; rootId: string; gap: number } {
  const root = tracer.startSpan('invoke_agent support', { startTime: startMillis, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support' } });
  const parent = trace.setSpan(ROOT_CONTEXT, root);
  let cursor = startMillis + 5;
  const chat = (inputTokens: number) => {
    const span = tracer.startSpan('chat gpt-4o-mini', {
      startTime: cursor,
      attributes: {
        'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': inputTokens, 'gen_ai.usage.output_tokens': 40, 'gen_ai.prompt.version': prompt,
      },
    }, parent);
    span.end(cursor + 300);
    cursor += 310;
  };
  chat(500);
  for (let index = 0; index < searches; index++) {
    tracer.startSpan('execute_tool search_docs', { startTime: cursor, attributes: SEARCH }, parent).end(cursor + 100);
    cursor += 110;
  }
  const gap = cursor - 10;
  chat(700);
  root.end(cursor + 10);
  return { traceId: root.spanContext().traceId, rootId: root.spanContext().spanId, gap };
}

void describe('dashboard API and background analysis', () => {
  let server: TestServer;
  let loop: { traceId: string; rootId: string };
  let clean: { traceId: string; rootId: string; gap: number };
  let caller: string;
  let callee: string;
  const start = Date.now() - 10 * 60_000;
  const api = (path: string) => getJson(`${server.apiUrl}${path}`);
  const post = async (build: (tracer: Tracer) => void, service = 'support-agent') => {
    const response = await postOtlp(server.otlpUrl, protobufBody(recordSpans(build, service)), { 'content-type': 'application/x-protobuf' });
    assert.equal(response.status, 200);
  };
  async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
    let value = await probe();
    for (let attempt = 0; attempt < 150 && !done(value); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      value = await probe();
    }
    assert.ok(done(value), `${what}: ${JSON.stringify(value)}`);
    return value;
  }
  const listed = async (finding: string) => ((await api(`/api/v1/traces?finding=${finding}`)).body as { items: { traceId: string }[] }).items.map((item) => item.traceId).sort();

  before(async () => {
    server = await startTestServer({ config: { analysisQuietMillis: 300, analysisPollMillis: 100 } });
    await post((tracer) => {
      loop = run(tracer, start, 3, 'v1');
      clean = run(tracer, start + 60_000, 2, 'v2');
      // One session split in two: the client call's callee started its own trace.
      const session = { 'session.id': 'split-session' };
      const root = tracer.startSpan('checkout', { startTime: start + 120_000, attributes: session });
      const client = tracer.startSpan('POST /billing', { kind: SpanKind.CLIENT, startTime: start + 120_010, attributes: session }, trace.setSpan(ROOT_CONTEXT, root));
      client.end(start + 120_500);
      root.end(start + 120_600);
      const server = tracer.startSpan('POST /billing', { kind: SpanKind.SERVER, root: true, startTime: start + 120_020, attributes: session });
      server.end(start + 120_400);
      caller = root.spanContext().traceId;
      callee = server.spanContext().traceId;
    });
    // 120 span names that differ only by an id: high cardinality for the quality report.
    await post((tracer) => {
      const root = tracer.startSpan('sync orders', { startTime: start + 180_000 });
      for (let index = 0; index < 120; index++) tracer.startSpan(`GET /orders/${10_000 + index}`, { startTime: start + 180_001 + index }, trace.setSpan(ROOT_CONTEXT, root)).end(start + 180_002 + index);
      root.end(start + 180_200);
    }, 'order-sync');
  });
  after(async () => {
    await server.close();
  });

  void test('the analyzer persists findings once traces are quiet: ?finding= lists them and /findings counts them', async () => {
    await eventually(() => listed('tool_loop'), (ids) => ids.length === 1, 'tool_loop traces');
    assert.deepEqual(await listed('tool_loop'), [loop.traceId]);
    const broken = await eventually(() => listed('broken_trace'), (ids) => ids.length === 2, 'broken traces');
    assert.deepEqual(broken, [caller, callee].sort());
    const { status, body } = await api('/api/v1/findings');
    assert.equal(status, 200);
    const counts = Object.fromEntries((body.counts as { kind: string; traces: number }[]).map((entry) => [entry.kind, entry.traces]));
    assert.deepEqual(counts, { tool_loop: 1, straggler: 0, retry_storm: 0, handoff_ping_pong: 0, context_blowup: 0, broken_trace: 2 });
    const narrowed = await api('/api/v1/findings?service=order-sync');
    assert.ok((narrowed.body.counts as { traces: number }[]).every((entry) => entry.traces === 0));
    // The cross-trace finding (only the analyzer sees both traces) shows in the trace's analysis.
    const analysis = await api(`/api/v1/traces/${callee}/analysis`);
    const messages = (analysis.body.findings as { kind: string; message: string }[]).map((finding) => `${finding.kind}: ${finding.message}`);
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /^broken_trace: "POST \/billing" started a new trace while "POST \/billing" of trace [0-9a-f]{8} \(same session\)/);
  });

  void test('a trace is analyzed again when spans arrive after its analysis', async () => {
    await eventually(() => api(`/api/v1/traces/${clean.traceId}/analysis`), (answer) => answer.status === 200, 'clean trace');
    assert.deepEqual(await listed('tool_loop'), [loop.traceId]);
    await post((tracer) => {
      const context = trace.setSpanContext(ROOT_CONTEXT, { traceId: clean.traceId, spanId: clean.rootId, traceFlags: 1, isRemote: true });
      tracer.startSpan('execute_tool search_docs', { startTime: clean.gap + 1, attributes: SEARCH }, context).end(clean.gap + 9);
    });
    await eventually(() => listed('tool_loop'), (ids) => ids.length === 2, 'the grown trace flagged');
    assert.deepEqual(await listed('tool_loop'), [loop.traceId, clean.traceId].sort());
  });

  void test('GET /api/v1/metrics groups model calls; totals equal the sum over single calls', async () => {
    const { status, body } = await api('/api/v1/metrics?groupBy=model');
    assert.equal(status, 200);
    assert.equal(body.groupBy, 'model');
    assert.equal(body.interval, null);
    assert.equal(body.rows.length, 1);
    const [row] = body.rows;
    assert.equal(row.key, 'gpt-4o-mini');
    assert.equal(row.calls, 4);
    assert.equal(row.inputTokens, 2 * (500 + 700));
    assert.equal(row.outputTokens, 4 * 40);
    assert.equal(row.errorRate, 0);
    assert.ok(Math.abs(row.p50Ms - 300) < 1e-6, `p50 ${row.p50Ms}`);
    assert.equal(row.bucket, undefined);
    const byPrompt = await api('/api/v1/metrics?groupBy=promptVersion&interval=1h');
    assert.deepEqual(
      byPrompt.body.rows.map((entry: { key: string; calls: number; bucket: string }) => [entry.key, entry.calls, typeof entry.bucket]),
      [['v1', 2, 'string'], ['v2', 2, 'string']],
    );
    const filtered = await api(`/api/v1/metrics?groupBy=agent&finding=tool_loop`);
    assert.equal(filtered.body.rows.find((entry: { key: string }) => entry.key === 'support').calls, 2);
  });

  void test('metrics parameters are checked', async () => {
    assert.equal((await api('/api/v1/metrics')).status, 400);
    assert.match((await api('/api/v1/metrics?groupBy=colour')).body.error.message, /groupBy/);
    const tooMany = await api('/api/v1/metrics?groupBy=model&interval=1m&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.body.error.message, /interval/);
    assert.equal((await api('/api/v1/traces?finding=nonsense')).status, 400);
  });

  void test('GET /api/v1/quality reports high-cardinality names, missing propagation and what to change', async () => {
    const { status, body } = await api('/api/v1/quality');
    assert.equal(status, 200);
    const services = Object.fromEntries((body.services as { service: string; issues: { kind: string; count: number; exampleTraceId: string; fix: string }[] }[]).map((entry) => [entry.service, entry.issues]));
    const names = services['order-sync']!.find((issue) => issue.kind === 'high_cardinality_span_names');
    assert.equal(names?.count, 120);
    assert.match(names!.fix, /route template/);
    const support = services['support-agent']!.map((issue) => issue.kind).sort();
    assert.deepEqual(support, []);
  });

  void test('the OpenAPI document lists the dashboard endpoints', async () => {
    const { body } = await api('/api/v1/openapi.json');
    for (const path of ['/api/v1/metrics', '/api/v1/findings', '/api/v1/quality']) assert.ok(body.paths[path], path);
    assert.ok(body.components.schemas.MetricsRow);
    assert.ok(body.paths['/api/v1/traces'].get.parameters.some((parameter: { name: string }) => parameter.name === 'finding'));
  });
});

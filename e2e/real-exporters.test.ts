// Black box: the real OpenTelemetry JS exporters (protobuf, JSON, gRPC) with default wire
// behaviour send to a real `cairn serve` process; every span comes back exactly through the API.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type HrTime } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { getJson, runCli, startCairn, type CairnProcess } from './support/cairn-process.js';

interface ApiSpan {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string;
  spanType: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  model: string | null;
  provider: string | null;
  status: { code: string; message: string };
  usage: { inputTokens: number; outputTokens: number };
}
interface ApiTrace {
  summary: { traceId: string; rootName: string; serviceName: string; spanCount: number; llmCallCount: number; toolCallCount: number; errorCount: number; inputTokens: number; outputTokens: number; models: string[]; agents: string[]; startTimeUnixNano: string };
  spans: ApiSpan[];
}

// 2025-11-21T04:40:00.123456789Z — below it the last digits would be lost by any JS number.
const BASE_SECONDS = 1_763_700_000;
const at = (offsetMillis: number, extraNanos = 0): HrTime => [BASE_SECONDS, 123_456_789 + offsetMillis * 1_000_000 + extraNanos];
const nanosOf = (time: HrTime) => (BigInt(time[0]) * 1_000_000_000n + BigInt(time[1])).toString();

/** Records one small agent trace with the real SDK and returns its spans. */
function recordAgentTrace(transport: string): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `agent-over-${transport}` }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('e2e', '1.0.0');
  const root = tracer.startSpan('invoke_agent planner', { kind: SpanKind.SERVER, startTime: at(0), attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'planner', 'gen_ai.conversation.id': `session-${transport}`, 'user.id': 'user-1' } }, ROOT_CONTEXT);
  const inRoot = trace.setSpan(ROOT_CONTEXT, root);
  const llm = tracer.startSpan('chat gpt-4o', {
    kind: SpanKind.CLIENT,
    startTime: at(5, 1),
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 321,
      'gen_ai.usage.output_tokens': 45,
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `What is 2+2 (${transport})?` }] }]),
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: '4' }], finish_reason: 'stop' }]),
    },
  }, inRoot);
  llm.end(at(400, 7));
  const tool = tracer.startSpan('execute_tool calculator', { startTime: at(401), attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'calculator', 'gen_ai.tool.call.arguments': '{"expression":"2+2"}', 'gen_ai.tool.call.result': '4' } }, inRoot);
  const inner = tracer.startSpan('http GET', { kind: SpanKind.CLIENT, startTime: at(402) }, trace.setSpan(ROOT_CONTEXT, tool));
  inner.setStatus({ code: SpanStatusCode.ERROR, message: 'connection reset' });
  inner.end(at(450));
  tool.end(at(460));
  root.end(at(500, 3));
  return memory.getFinishedSpans();
}

function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) => {
    exporter.export(spans, (result) => (result.code === ExportResultCode.SUCCESS ? resolve() : reject(result.error ?? new Error('export failed'))));
  });
}

describe('real OpenTelemetry exporters → cairn serve → query API', () => {
  let cairn: CairnProcess;
  before(async () => {
    cairn = await startCairn();
  });
  after(async () => {
    await cairn.stop();
  });

  const transports: [string, () => SpanExporter][] = [
    ['protobuf', () => new ProtoExporter({ url: `${cairn.otlpHttpUrl}/v1/traces` })],
    ['protobuf-gzip', () => new ProtoExporter({ url: `${cairn.otlpHttpUrl}/v1/traces`, compression: CompressionAlgorithm.GZIP })],
    ['json', () => new JsonExporter({ url: `${cairn.otlpHttpUrl}/v1/traces` })],
    ['langfuse-path', () => new ProtoExporter({ url: `${cairn.otlpHttpUrl}/api/public/otel/v1/traces` })],
    ['grpc', () => new GrpcExporter({ url: `http://${cairn.otlpGrpcAddress}` })],
    ['grpc-gzip', () => new GrpcExporter({ url: `http://${cairn.otlpGrpcAddress}`, compression: CompressionAlgorithm.GZIP })],
  ];

  for (const [transport, makeExporter] of transports) {
    it(`stores every span sent over ${transport} with its tree, exact times, tokens and models`, async () => {
      const spans = recordAgentTrace(transport);
      const exporter = makeExporter();
      await exportSpans(exporter, spans);
      await exporter.shutdown();

      const traceId = spans[0]!.spanContext().traceId;
      const { status, body } = await getJson<ApiTrace>(`${cairn.apiUrl}/api/v1/traces/${traceId}`);
      assert.equal(status, 200);
      assert.equal(body.spans.length, spans.length);
      for (const sent of spans) {
        const stored = body.spans.find((span) => span.spanId === sent.spanContext().spanId);
        assert.ok(stored, `span ${sent.name} is stored`);
        assert.equal(stored.name, sent.name);
        assert.equal(stored.parentSpanId, sent.parentSpanContext?.spanId ?? null);
        assert.equal(stored.startTimeUnixNano, nanosOf(sent.startTime), `${sent.name} start is exact to the nanosecond`);
        assert.equal(stored.endTimeUnixNano, nanosOf(sent.endTime));
      }
      const llm = body.spans.find((span) => span.name === 'chat gpt-4o')!;
      assert.equal(llm.spanType, 'llm');
      assert.equal(llm.kind, 'CLIENT');
      assert.equal(llm.model, 'gpt-4o-2024-08-06');
      assert.equal(llm.provider, 'openai');
      assert.deepEqual([llm.usage.inputTokens, llm.usage.outputTokens], [321, 45]);
      assert.equal(body.spans.find((span) => span.name === 'http GET')!.status.code, 'error');

      const summary = body.summary;
      assert.equal(summary.rootName, 'invoke_agent planner');
      assert.equal(summary.serviceName, `agent-over-${transport}`);
      assert.equal(summary.startTimeUnixNano, nanosOf(at(0)));
      assert.deepEqual([summary.spanCount, summary.llmCallCount, summary.toolCallCount, summary.errorCount], [4, 1, 1, 1]);
      assert.deepEqual([summary.inputTokens, summary.outputTokens], [321, 45]);
      assert.deepEqual(summary.models, ['gpt-4o-2024-08-06']);
      assert.deepEqual(summary.agents, ['planner']);

      const detail = await getJson<{ input: unknown; output: unknown; attributes: Record<string, unknown> }>(`${cairn.apiUrl}/api/v1/traces/${traceId}/spans/${llm.spanId}`);
      assert.deepEqual(detail.body.input, [{ role: 'user', parts: [{ type: 'text', text: `What is 2+2 (${transport})?` }] }]);
      assert.deepEqual(detail.body.output, [{ role: 'assistant', parts: [{ type: 'text', text: '4' }] }]);
      assert.equal(detail.body.attributes['gen_ai.usage.input_tokens'], 321);

      const from = new Date(BASE_SECONDS * 1000 - 60_000).toISOString();
      const listed = await getJson<{ items: { traceId: string }[] }>(`${cairn.apiUrl}/api/v1/traces?from=${from}&service=agent-over-${transport}&model=gpt-4o-2024-08-06`);
      assert.deepEqual(listed.body.items.map((item) => item.traceId), [traceId]);
    });
  }

  it('cairn demo sends a multi-agent workload that the API lists with sessions, errors and tokens', async () => {
    const result = await runCli(['demo', '--endpoint', cairn.otlpHttpUrl]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /sent \d+ spans in 5 traces/);
    const demoTraceIds = [...result.stdout.matchAll(/trace ([0-9a-f]{32})/g)].map((match) => match[1]);
    assert.equal(demoTraceIds.length, 5);

    const list = await getJson<{ items: { traceId: string; errorCount: number; agents: string[]; inputTokens: number; sessionId: string }[] }>(`${cairn.apiUrl}/api/v1/traces?limit=50`);
    const demoTraces = list.body.items.filter((item) => demoTraceIds.includes(item.traceId));
    assert.equal(demoTraces.length, 5);
    assert.ok(demoTraces.some((item) => item.errorCount > 0), 'the failing run shows errors');
    assert.ok(demoTraces.some((item) => item.agents.includes('researcher') && item.agents.includes('writer')));
    assert.ok(demoTraces.every((item) => item.inputTokens > 0));

    const errors = await getJson<{ items: { traceId: string }[] }>(`${cairn.apiUrl}/api/v1/traces?status=error&tool=issue_refund`);
    assert.equal(errors.body.items.length, 1);
    const sessions = await getJson<{ items: { sessionId: string; traceCount: number }[] }>(`${cairn.apiUrl}/api/v1/sessions`);
    const refund = sessions.body.items.find((session) => session.sessionId === 'sess-refund-4471');
    assert.equal(refund?.traceCount, 3);
  });
});

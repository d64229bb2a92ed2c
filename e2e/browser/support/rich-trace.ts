// Seeds one agent trace with what the demo lacks, recorded with the real OpenTelemetry SDK and
// sent as OTLP/HTTP protobuf: a model call with several request parameters and events of every
// kind the waterfall tells apart (rate limited, retry, fallback, cache hit, exception), and a
// span linked to another trace.

import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface RichTrace {
  traceId: string;
  llmSpanId: string;
  linkingSpanId: string;
}

export async function postRichTrace(otlpHttpUrl: string, apiUrl: string, linkTo: { traceId: string; spanId: string }): Promise<RichTrace> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'concierge-bot' }), spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('cairn-e2e-browser');
  const base = Date.now() - 90_000;
  const session = { 'gen_ai.conversation.id': 'sess-rich-1', 'user.id': 'user-rich' };

  const root = tracer.startSpan('invoke_agent concierge', { kind: SpanKind.SERVER, startTime: base, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'concierge', ...session } }, ROOT_CONTEXT);
  const inRoot = trace.setSpan(ROOT_CONTEXT, root);
  const llm = tracer.startSpan(
    'chat gpt-4o',
    {
      kind: SpanKind.CLIENT,
      startTime: base + 100,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        'gen_ai.request.temperature': 0.7,
        'gen_ai.request.max_tokens': 256,
        'gen_ai.request.top_p': 0.9,
        'gen_ai.usage.input_tokens': 120,
        'gen_ai.usage.output_tokens': 12,
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Book me a table for two tonight.' }] }]),
        'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Booked: 19:30 at Tasca, two people.' }] }]),
        ...session,
      },
    },
    inRoot,
  );
  llm.addEvent('rate_limited', { 'http.response.status_code': 429 }, base + 200);
  llm.addEvent('retry', { 'retry.attempt': 1 }, base + 400);
  llm.addEvent('gen_ai.fallback', { 'gen_ai.fallback.model': 'gpt-4o-mini' }, base + 600);
  llm.addEvent('cache.hit', {}, base + 800);
  llm.recordException({ name: 'APITimeoutError', message: 'first attempt timed out' }, base + 300);
  llm.end(base + 1_000);
  const linking = tracer.startSpan('resume_booking', { startTime: base + 1_050, links: [{ context: { traceId: linkTo.traceId, spanId: linkTo.spanId, traceFlags: 1 } }], attributes: session }, inRoot);
  linking.setStatus({ code: SpanStatusCode.OK });
  linking.end(base + 1_200);
  root.end(base + 1_300);

  const finished = memory.getFinishedSpans();
  const body = ProtobufTraceSerializer.serializeRequest(finished)!;
  const response = await fetch(`${otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(body) });
  if (response.status !== 200) throw new Error(`posting the rich trace failed: ${response.status} ${await response.text()}`);
  const traceId = root.spanContext().traceId;
  for (let attempt = 0; attempt < 100; attempt++) {
    const stored = await fetch(`${apiUrl}/api/v1/traces/${traceId}`);
    if (stored.status === 200 && ((await stored.json()) as { spans: unknown[] }).spans.length === 3) {
      return { traceId, llmSpanId: llm.spanContext().spanId, linkingSpanId: linking.spanContext().spanId };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the rich trace never became queryable');
}

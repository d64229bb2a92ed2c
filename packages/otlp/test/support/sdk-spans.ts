// Real spans from the OpenTelemetry JS SDK, and the OTLP request bytes its exporters would send.

import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type HrTime } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

export type SdkTracer = ReturnType<BasicTracerProvider['getTracer']>;

export interface RecordOptions {
  resourceSchemaUrl?: string;
  scopeName?: string;
  scopeVersion?: string;
  scopeSchemaUrl?: string;
}

/** Runs `body` with a tracer of a fresh provider and returns the spans it ended, in end order. */
export function recordSpans(
  resourceAttributes: Attributes,
  body: (tracer: SdkTracer) => void,
  options: RecordOptions = {},
): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const resourceOptions = options.resourceSchemaUrl === undefined ? undefined : { schemaUrl: options.resourceSchemaUrl };
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resourceAttributes, resourceOptions),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracerOptions = options.scopeSchemaUrl === undefined ? undefined : { schemaUrl: options.scopeSchemaUrl };
  body(provider.getTracer(options.scopeName ?? 'cairn-test', options.scopeVersion ?? '1.2.3', tracerOptions));
  const spans = exporter.getFinishedSpans();
  void provider.shutdown();
  return [...spans];
}

/** [seconds, nanos] for an exact nanosecond epoch time. */
export function hrTime(nanos: bigint): HrTime {
  return [Number(nanos / 1_000_000_000n), Number(nanos % 1_000_000_000n)];
}

/** About 1 KB of protobuf per span: a GenAI-flavoured client span with typical attributes. */
export function typicalSpans(count: number): ReadableSpan[] {
  return recordSpans({ 'service.name': 'bench-agent', 'service.version': '0.9.1', 'host.name': 'worker-17' }, (tracer) => {
    const root = tracer.startSpan('invoke_agent planner', { kind: SpanKind.INTERNAL, startTime: hrTime(1763700000000000000n) });
    const context = trace.setSpan(ROOT_CONTEXT, root);
    for (let index = 0; index < count; index++) {
      const start = 1763700000000000000n + BigInt(index) * 1_000_123n;
      const span = tracer.startSpan(
        'chat gpt-4o-mini',
        {
          kind: SpanKind.CLIENT,
          startTime: hrTime(start),
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o-mini',
            'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
            'gen_ai.usage.input_tokens': 1200 + index,
            'gen_ai.usage.output_tokens': 310,
            'gen_ai.request.temperature': 0.2,
            'gen_ai.response.finish_reasons': ['stop'],
            'gen_ai.conversation.id': 'conv-5f1c2a9e-7d0b-4e58-9d63-3f2b1a0c9e77',
            'gen_ai.input.messages':
              '[{"role":"user","parts":[{"type":"text","content":"Summarize the quarterly report and list three risks."}]}]',
            'gen_ai.output.messages':
              '[{"role":"assistant","parts":[{"type":"text","content":"Revenue grew 12%. Risks: supply, FX, churn."}],"finish_reason":"stop"}]',
            'server.address': 'api.openai.com',
            'server.port': 443,
            'http.response.status_code': 200,
            'user.id': 'user-42',
            'session.id': 'session-2026-11-21-a',
          },
        },
        context,
      );
      span.addEvent('gen_ai.content.chunk', { 'gen_ai.chunk.index': 0 }, hrTime(start + 5_000_000n));
      span.setStatus({ code: SpanStatusCode.OK });
      span.end(hrTime(start + 850_000_000n));
    }
    root.end(hrTime(1763700100000000000n));
  });
}

export const RICH_START = 1763700000123456789n;
export const RICH_END = 1763700001987654321n;

/**
 * A root SERVER span and an erroring CLIENT child with attributes of every SDK type, an event
 * and a link, at exact nanosecond times. Returned in end order: child first.
 */
export function richSpans(): ReadableSpan[] {
  return recordSpans(
    { 'service.name': 'rich-agent', 'deployment.environment.name': 'test', 'process.pid': 4242 },
    (tracer) => {
      const root = tracer.startSpan('POST /chat', { kind: SpanKind.SERVER, startTime: hrTime(RICH_START) });
      const child = tracer.startSpan(
        'chat claude',
        {
          kind: SpanKind.CLIENT,
          startTime: hrTime(RICH_START + 1_000n),
          attributes: {
            'text': 'héllo ✓ 🚀',
            'empty.text': '',
            'int.positive': 1200,
            'int.negative': -42,
            'int.big': 2 ** 62,
            'int.min.safe': Number.MIN_SAFE_INTEGER,
            'double': 0.25,
            'double.negative': -1.5e-7,
            'bool.true': true,
            'bool.false': false,
            'array.strings': ['a', 'b'],
            'array.ints': [1, -2, 3],
            'array.doubles': [0.5, 1.5],
            'array.bools': [true, false],
          },
          links: [
            {
              context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 },
              attributes: { 'link.reason': 'retry' },
            },
          ],
        },
        trace.setSpan(ROOT_CONTEXT, root),
      );
      child.addEvent('gen_ai.choice', { index: 0, 'finish.reason': 'stop' }, hrTime(RICH_START + 5_000n));
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
      child.end(hrTime(RICH_END - 1n));
      root.end(hrTime(RICH_END));
    },
    { resourceSchemaUrl: 'https://opentelemetry.io/schemas/1.30.0', scopeName: 'cairn-rich', scopeVersion: '4.5.6', scopeSchemaUrl: 'https://example.com/scope-schema' },
  );
}

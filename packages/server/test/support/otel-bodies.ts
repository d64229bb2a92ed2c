// Real OTLP request bodies, produced by the OpenTelemetry JS SDK and its own serializers.

import { ROOT_CONTEXT, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { LoggerProvider, InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { JsonLogsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

export function recordSpans(build: (tracer: Tracer) => void, serviceName = 'test-service'): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  build(provider.getTracer('cairn-server-test', '1.0.0'));
  return exporter.getFinishedSpans();
}

export interface AgentTraceOptions {
  agentName?: string;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  sessionId?: string;
  userId?: string;
  failTool?: boolean;
  /** Start time of the root in epoch ms. */
  startMillis?: number;
  /** Root duration in ms. */
  durationMillis?: number;
  rootName?: string;
  extraRootAttributes?: Record<string, string | number | boolean>;
}

/** An agent turn: root agent span → one LLM call and one tool call. */
export function agentTrace(tracer: Tracer, options: AgentTraceOptions = {}): string {
  const start = options.startMillis ?? Date.now() - 60_000;
  const duration = options.durationMillis ?? 1_000;
  const agentName = options.agentName ?? 'planner';
  const root = tracer.startSpan(options.rootName ?? `invoke_agent ${agentName}`, {
    startTime: start,
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': agentName,
      ...(options.sessionId === undefined ? {} : { 'session.id': options.sessionId, 'gen_ai.conversation.id': options.sessionId }),
      ...(options.userId === undefined ? {} : { 'user.id': options.userId }),
      ...options.extraRootAttributes,
    },
  });
  const parent = trace.setSpan(ROOT_CONTEXT, root);
  const model = options.model ?? 'gpt-4o';
  const llm = tracer.startSpan(
    `chat ${model}`,
    {
      startTime: start + 10,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': model,
        'gen_ai.response.model': model,
        'gen_ai.usage.input_tokens': options.inputTokens ?? 100,
        'gen_ai.usage.output_tokens': options.outputTokens ?? 20,
      },
    },
    parent,
  );
  llm.end(start + 400);
  const tool = tracer.startSpan(
    'execute_tool get_weather',
    {
      startTime: start + 410,
      attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather' },
    },
    parent,
  );
  if (options.failTool === true) tool.setStatus({ code: SpanStatusCode.ERROR, message: 'weather API down' });
  tool.end(start + 600);
  root.end(start + duration);
  return root.spanContext().traceId;
}

export function protobufBody(spans: ReadableSpan[]): Uint8Array {
  return ProtobufTraceSerializer.serializeRequest(spans)!;
}

export function jsonBody(spans: ReadableSpan[]): Uint8Array {
  return JsonTraceSerializer.serializeRequest(spans)!;
}

/** A log record per event name, each attached to the given span. */
export async function logsBodies(
  traceId: string,
  spanId: string,
  eventNames: string[],
): Promise<{ protobuf: Uint8Array; json: Uint8Array }> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'test-service' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('cairn-server-test');
  const spanContext = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: 1 });
  for (const eventName of eventNames) {
    logger.emit({
      eventName,
      context: spanContext,
      body: { content: `payload of ${eventName}` },
      attributes: { 'gen_ai.provider.name': 'openai' },
    });
  }
  await provider.forceFlush();
  const records = exporter.getFinishedLogRecords();
  return { protobuf: ProtobufLogsSerializer.serializeRequest(records)!, json: JsonLogsSerializer.serializeRequest(records)! };
}

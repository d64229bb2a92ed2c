// Realistic SpanRecords for the conformance suite and the benchmarks. Defaults describe one LLM
// call (~1 KB of attributes plus gen_ai messages), the shape that dominates agent traces; any
// field can be overridden. Fast enough to build millions of spans: ids come from a counter and
// resource/scope objects are shared, as the OTLP decoder shares them per ResourceSpans.

import type { AttributeMap, InstrumentationScope, Resource, SpanRecord, SpanType } from '@cairn/model';
import { EMPTY_USAGE } from '@cairn/model';

const SESSION_SEED = Math.floor(Math.random() * 0xffffffff);
let idCounter = 0;

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

/** A new trace id, unique within this process and unlikely to collide across runs. */
export function nextTraceId(): string {
  idCounter += 1;
  return hex(SESSION_SEED, 8) + hex(Date.now() % 0xffffffff, 8) + hex(idCounter, 16);
}

/** A new span id, unique within this process. */
export function nextSpanId(): string {
  idCounter += 1;
  return hex(SESSION_SEED % 0xffff, 4) + hex(idCounter, 12);
}

export const DEFAULT_RESOURCE: Resource = {
  attributes: {
    'service.name': 'support-agent',
    'service.version': '1.4.2',
    'deployment.environment.name': 'production',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.version': '2.1.0',
    'host.name': 'worker-7',
    'process.pid': 4242n,
  },
  droppedAttributesCount: 0,
  schemaUrl: 'https://opentelemetry.io/schemas/1.37.0',
};

export const DEFAULT_SCOPE: InstrumentationScope = {
  name: '@cairn/sdk',
  version: '0.1.0',
  attributes: {},
  schemaUrl: '',
};

const USER_TEXT =
  'My order #48213 arrived damaged: the left hinge of the cabinet door is cracked and one shelf is missing. ' +
  'I would like a replacement shipped to the same address, and please confirm whether I need to return the broken part. ';
const ASSISTANT_TEXT =
  'I am sorry about the damaged cabinet. I have created replacement order #48377 with a new door and shelf; ' +
  'it ships tomorrow to your address on file. You do not need to return the broken part. ';

function llmMessages(): { input: unknown; output: unknown; inputJson: string; outputJson: string } {
  const input = [
    { role: 'system', parts: [{ type: 'text', text: 'You are a careful support agent for a furniture store.' }] },
    { role: 'user', parts: [{ type: 'text', text: USER_TEXT + USER_TEXT }] },
  ];
  const output = [{ role: 'assistant', parts: [{ type: 'text', text: ASSISTANT_TEXT }] }];
  return { input, output, inputJson: JSON.stringify(input), outputJson: JSON.stringify(output) };
}

// Built once: the benchmarks create millions of spans and the content does not need to vary.
const LLM_MESSAGES = llmMessages();

function llmAttributes(model: string): AttributeMap {
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': model,
    'gen_ai.response.model': model,
    'gen_ai.request.temperature': 0.2,
    'gen_ai.request.max_tokens': 1024n,
    'gen_ai.response.id': 'chatcmpl-9x8y7z6w5v4u3t2s1r',
    'gen_ai.response.finish_reasons': ['stop'],
    'gen_ai.usage.input_tokens': 412n,
    'gen_ai.usage.output_tokens': 96n,
    'gen_ai.conversation.id': 'conv-default',
    'gen_ai.input.messages': LLM_MESSAGES.inputJson,
    'gen_ai.output.messages': LLM_MESSAGES.outputJson,
    'server.address': 'api.openai.com',
    'server.port': 443n,
    'http.response.status_code': 200n,
  };
}

function toolAttributes(toolName: string): AttributeMap {
  return {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': toolName,
    'gen_ai.tool.call.id': 'call_7f3a9c',
    'gen_ai.tool.type': 'function',
    'gen_ai.tool.call.arguments': '{"orderId":"48213","items":["door-left","shelf"]}',
    'gen_ai.tool.call.result': '{"replacementOrderId":"48377","eta":"tomorrow"}',
  };
}

function defaultsFor(spanType: SpanType): Partial<SpanRecord> {
  switch (spanType) {
    case 'llm':
    case 'embedding': {
      const model = 'gpt-4o-mini';
      return {
        name: `chat ${model}`,
        kind: 3,
        attributes: llmAttributes(model),
        model,
        requestModel: model,
        provider: 'openai',
        operation: spanType === 'llm' ? 'chat' : 'embeddings',
        usage: { inputTokens: 412, outputTokens: 96, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
        hasUsage: true,
        costUsd: 0.0001194,
        input: LLM_MESSAGES.input,
        output: LLM_MESSAGES.output,
        inputPreview: USER_TEXT.slice(0, 240).trim(),
        outputPreview: ASSISTANT_TEXT.slice(0, 240).trim(),
        dialects: ['gen_ai'],
      };
    }
    case 'tool':
      return {
        name: 'execute_tool create_replacement_order',
        attributes: toolAttributes('create_replacement_order'),
        operation: 'execute_tool',
        toolName: 'create_replacement_order',
        toolCallId: 'call_7f3a9c',
        input: { orderId: '48213', items: ['door-left', 'shelf'] },
        output: { replacementOrderId: '48377', eta: 'tomorrow' },
        inputPreview: '{"orderId":"48213","items":["door-left","shelf"]}',
        outputPreview: '{"replacementOrderId":"48377","eta":"tomorrow"}',
        dialects: ['gen_ai'],
      };
    case 'agent':
      return {
        name: 'invoke_agent support',
        attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support' },
        operation: 'invoke_agent',
        agentName: 'support',
        dialects: ['gen_ai'],
      };
    default:
      return { name: `${spanType} step`, attributes: { 'app.step': spanType } };
  }
}

/**
 * A complete SpanRecord: an LLM call by default, or a typical span of `overrides.spanType`.
 * Start time defaults to one minute ago, duration 1.2 s, fresh ids, no parent.
 */
export function buildSpanRecord(overrides: Partial<SpanRecord> = {}): SpanRecord {
  const spanType = overrides.spanType ?? 'llm';
  const start = overrides.startTimeUnixNano ?? (BigInt(Date.now()) - 60_000n) * 1_000_000n;
  const record: SpanRecord = {
    projectId: 'default',
    traceId: nextTraceId(),
    spanId: nextSpanId(),
    parentSpanId: null,
    traceState: '',
    flags: 1,
    name: 'span',
    kind: 1,
    startTimeUnixNano: start,
    endTimeUnixNano: start + 1_200_000_000n,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 'unset', message: '' },
    resource: DEFAULT_RESOURCE,
    scope: DEFAULT_SCOPE,
    serviceName: 'support-agent',
    receivedUnixNano: BigInt(Date.now()) * 1_000_000n,
    spanType,
    model: null,
    requestModel: null,
    provider: null,
    operation: null,
    agentName: null,
    toolName: null,
    toolCallId: null,
    sessionId: null,
    userId: null,
    usage: { ...EMPTY_USAGE },
    hasUsage: false,
    costUsd: null,
    input: null,
    output: null,
    inputPreview: '',
    outputPreview: '',
    dialects: [],
    ...defaultsFor(spanType),
  };
  return Object.assign(record, overrides);
}

export interface AgentTraceOptions {
  traceId?: string;
  startUnixNano?: bigint;
  /** Model calls under the agent span (each followed by a tool call except the last). Default 3. */
  llmCalls?: number;
  sessionId?: string | null;
  userId?: string | null;
  serviceName?: string;
  model?: string;
  projectId?: string;
}

/**
 * A small agent trace in the usual shape: agent root → (llm → tool)* → llm, children in time
 * order, 2·llmCalls spans in total. Usage and cost sit on the llm spans only.
 */
export function buildAgentTrace(options: AgentTraceOptions = {}): SpanRecord[] {
  const traceId = options.traceId ?? nextTraceId();
  const start = options.startUnixNano ?? (BigInt(Date.now()) - 60_000n) * 1_000_000n;
  const llmCalls = options.llmCalls ?? 3;
  const common: Partial<SpanRecord> = {
    traceId,
    projectId: options.projectId ?? 'default',
    sessionId: options.sessionId ?? null,
    userId: options.userId ?? null,
    serviceName: options.serviceName ?? 'support-agent',
  };
  const root = buildSpanRecord({ ...common, spanType: 'agent', startTimeUnixNano: start });
  const spans = [root];
  const model = options.model ?? 'gpt-4o-mini';
  let cursor = start + 5_000_000n;
  for (let index = 0; index < llmCalls; index++) {
    const llm = buildSpanRecord({
      ...common,
      spanType: 'llm',
      parentSpanId: root.spanId,
      name: `chat ${model}`,
      model,
      requestModel: model,
      startTimeUnixNano: cursor,
      endTimeUnixNano: cursor + 800_000_000n,
    });
    spans.push(llm);
    cursor += 810_000_000n;
    if (index < llmCalls - 1) {
      spans.push(
        buildSpanRecord({
          ...common,
          spanType: 'tool',
          parentSpanId: root.spanId,
          startTimeUnixNano: cursor,
          endTimeUnixNano: cursor + 150_000_000n,
        }),
      );
      cursor += 160_000_000n;
    }
  }
  root.endTimeUnixNano = cursor + 5_000_000n;
  return spans;
}

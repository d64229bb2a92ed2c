// A realistic multi-agent workload for `cairn demo`, built with the real OpenTelemetry SDK and
// the current OTel GenAI conventions. Times are laid out explicitly (no sleeping), so the demo
// finishes in a second while its timelines look like real runs:
//
//   orchestrator ─┬─ chat (plan)
//                 ├─ researcher ─┬─ retrieval
//                 │              ├─ web_search ×3 in parallel (one straggler)
//                 │              └─ chat (summarize)
//                 └─ writer ──── chat (draft)
//
// plus a run whose refund tool fails, and a coder agent stuck calling run_tests in a loop.

import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';

export interface DemoTracers {
  /** One tracer per service, so the demo shows a trace crossing services. */
  forService(serviceName: string): Tracer;
}

interface Step {
  name: string;
  service: string;
  startMs: number;
  endMs: number;
  attributes: Attributes;
  kind?: SpanKind;
  error?: { type: string; message: string };
  events?: { name: string; atMs: number; attributes?: Attributes }[];
}

class TraceBuilder {
  constructor(
    private readonly tracers: DemoTracers,
    private readonly baseMs: number,
  ) {}

  span(parent: Span | null, step: Step): Span {
    const context = parent ? trace.setSpan(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
    const span = this.tracers
      .forService(step.service)
      .startSpan(step.name, { kind: step.kind ?? SpanKind.INTERNAL, startTime: this.baseMs + step.startMs, attributes: step.attributes }, context);
    for (const event of step.events ?? []) span.addEvent(event.name, event.attributes ?? {}, this.baseMs + event.atMs);
    if (step.error) {
      span.recordException({ name: step.error.type, message: step.error.message }, this.baseMs + step.endMs);
      span.setAttribute('error.type', step.error.type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: step.error.message });
    }
    span.end(this.baseMs + step.endMs);
    return span;
  }
}

const text = (content: string) => ({ type: 'text', content });
const messages = (list: unknown[]) => JSON.stringify(list);

function agent(name: string, service: string, startMs: number, endMs: number, session: Attributes): Step {
  return {
    name: `invoke_agent ${name}`,
    service,
    startMs,
    endMs,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': name, 'gen_ai.provider.name': 'openai', ...session },
  };
}

interface ChatOptions {
  model?: string;
  system?: string;
  user: string;
  answer?: string;
  toolCall?: { id: string; name: string; arguments: Record<string, unknown> };
  toolResult?: { id: string; result: unknown };
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
}

function chat(service: string, startMs: number, endMs: number, options: ChatOptions, session: Attributes): Step {
  const model = options.model ?? 'gpt-4o';
  const input: unknown[] = [{ role: 'user', parts: [text(options.user)] }];
  if (options.toolResult) {
    input.push({ role: 'assistant', parts: [{ type: 'tool_call', id: options.toolResult.id, name: 'tool', arguments: {} }] });
    input.push({ role: 'tool', parts: [{ type: 'tool_call_response', id: options.toolResult.id, response: options.toolResult.result }] });
  }
  const output = options.toolCall
    ? [{ role: 'assistant', parts: [{ type: 'tool_call', ...options.toolCall }], finish_reason: 'tool_call' }]
    : [{ role: 'assistant', parts: [text(options.answer ?? '')], finish_reason: 'stop' }];
  const attributes: Attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': model,
    'gen_ai.response.model': model === 'gpt-4o' ? 'gpt-4o-2024-08-06' : `${model}-2024-07-18`,
    'gen_ai.request.temperature': 0.2,
    'gen_ai.usage.input_tokens': options.inputTokens,
    'gen_ai.usage.output_tokens': options.outputTokens,
    'gen_ai.response.finish_reasons': [options.toolCall ? 'tool_call' : 'stop'],
    'gen_ai.input.messages': messages(input),
    'gen_ai.output.messages': messages(output),
    ...session,
  };
  if (options.system) attributes['gen_ai.system_instructions'] = messages([text(options.system)]);
  if (options.cacheReadTokens) attributes['gen_ai.usage.cache_read.input_tokens'] = options.cacheReadTokens;
  return { name: `chat ${model}`, service, startMs, endMs, kind: SpanKind.CLIENT, attributes };
}

function tool(service: string, name: string, callId: string, startMs: number, endMs: number, args: unknown, result: unknown, session: Attributes): Step {
  return {
    name: `execute_tool ${name}`,
    service,
    startMs,
    endMs,
    attributes: {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': name,
      'gen_ai.tool.call.id': callId,
      'gen_ai.tool.call.arguments': JSON.stringify(args),
      ...(result === undefined ? {} : { 'gen_ai.tool.call.result': JSON.stringify(result) }),
      ...session,
    },
  };
}

function sessionAttributes(sessionId: string, userId: string): Attributes {
  return { 'gen_ai.conversation.id': sessionId, 'user.id': userId };
}

/** The research run: delegation to two sub-agents, retrieval and a fan-out with a straggler. */
function researchRun(builder: TraceBuilder, session: Attributes): void {
  const root = builder.span(null, { ...agent('orchestrator', 'support-bot', 0, 9_400, session), kind: SpanKind.SERVER });
  builder.span(root, chat('support-bot', 20, 1_150, { system: 'You are a support orchestrator. Delegate research and writing.', user: 'Can I get a refund for order #4471? It arrived broken.', toolCall: { id: 'call_plan_1', name: 'delegate', arguments: { agent: 'researcher', task: 'refund policy for damaged goods' } }, inputTokens: 412, outputTokens: 38 }, session));
  const researcher = builder.span(root, agent('researcher', 'research-agent', 1_200, 6_900, session));
  builder.span(researcher, {
    name: 'retrieval policy_docs',
    service: 'research-agent',
    startMs: 1_210,
    endMs: 1_480,
    attributes: { 'gen_ai.operation.name': 'retrieval', 'gen_ai.data_source.id': 'policy_docs', 'gen_ai.request.top_k': 3, 'gen_ai.retrieval.documents': JSON.stringify([{ id: 'refunds.md#damaged', score: 0.91, content: 'Damaged items are refunded in full within 30 days of delivery.' }, { id: 'shipping.md#claims', score: 0.74, content: 'Open a carrier claim for items damaged in transit.' }]), ...session },
  });
  const searches = [
    { query: 'damaged goods refund law EU', ms: 900 },
    { query: 'order 4471 carrier status', ms: 4_300 },
    { query: 'refund processing time card', ms: 1_100 },
  ];
  searches.forEach((search, index) =>
    builder.span(researcher, tool('research-agent', 'web_search', `call_ws_${index}`, 1_500, 1_500 + search.ms, { query: search.query }, { results: [`https://example.com/${index}`] }, session)),
  );
  builder.span(researcher, chat('research-agent', 5_850, 6_880, { model: 'gpt-4o-mini', user: 'Summarize the policy and search results for the orchestrator.', answer: 'Damaged items qualify for a full refund within 30 days; the carrier shows the parcel delivered damaged.', inputTokens: 1_830, outputTokens: 96, cacheReadTokens: 1_024 }, session));
  const writer = builder.span(root, agent('writer', 'support-bot', 6_950, 9_350, session));
  builder.span(writer, chat('support-bot', 6_960, 9_300, { system: 'Write short, friendly replies.', user: 'Draft the customer reply from the research summary.', answer: 'Sorry your order arrived broken! You qualify for a full refund; it is on its way and should reach your card in 3–5 days.', inputTokens: 655, outputTokens: 71 }, session));
}

/** A run where the refund tool fails and the agent apologises. */
function failingRun(builder: TraceBuilder, session: Attributes): void {
  const root = builder.span(null, { ...agent('orchestrator', 'support-bot', 0, 3_100, session), kind: SpanKind.SERVER, error: { type: 'ToolExecutionError', message: 'refund could not be issued' } });
  const billing = builder.span(root, agent('billing', 'billing-agent', 50, 3_050, session));
  builder.span(billing, chat('billing-agent', 60, 900, { user: 'Issue a refund of 59.90 EUR for order #4471.', toolCall: { id: 'call_refund_1', name: 'issue_refund', arguments: { order: '4471', amount: 59.9, currency: 'EUR' } }, inputTokens: 530, outputTokens: 41 }, session));
  builder.span(billing, {
    ...tool('billing-agent', 'issue_refund', 'call_refund_1', 950, 2_050, { order: '4471', amount: 59.9, currency: 'EUR' }, undefined, session),
    error: { type: 'PaymentGatewayError', message: 'payment gateway returned 502 Bad Gateway' },
    events: [{ name: 'retry', atMs: 1_500, attributes: { 'retry.attempt': 1, 'http.response.status_code': 502 } }],
  });
  builder.span(billing, chat('billing-agent', 2_100, 3_000, { user: 'The refund tool failed. Tell the user.', answer: 'I could not issue the refund right now; a human agent will follow up within 24 hours.', inputTokens: 702, outputTokens: 33 }, session));
}

/** A coder agent stuck in a loop: the same tool with the same arguments again and again. */
function toolLoopRun(builder: TraceBuilder, session: Attributes): void {
  const root = builder.span(null, { ...agent('orchestrator', 'dev-assistant', 0, 15_200, session), kind: SpanKind.SERVER });
  const coder = builder.span(root, { ...agent('coder', 'dev-assistant', 100, 15_100, session), error: { type: 'MaxIterationsExceeded', message: 'agent stopped after 7 iterations' } });
  for (let iteration = 0; iteration < 7; iteration++) {
    const start = 200 + iteration * 2_100;
    builder.span(coder, chat('dev-assistant', start, start + 700, { model: 'gpt-4o-mini', user: iteration === 0 ? 'Fix the failing test in cart.test.ts' : 'Tests still fail. Try again.', toolCall: { id: `call_rt_${iteration}`, name: 'run_tests', arguments: { path: 'cart.test.ts' } }, inputTokens: 900 + iteration * 420, outputTokens: 28 }, session));
    builder.span(coder, tool('dev-assistant', 'run_tests', `call_rt_${iteration}`, start + 750, start + 2_000, { path: 'cart.test.ts' }, { passed: 11, failed: 1, failure: 'expected 3 items, got 2' }, session));
  }
}

/** A short follow-up turn answered directly, and an embedding-backed answer with a weather tool. */
function followUpRun(builder: TraceBuilder, session: Attributes): void {
  const root = builder.span(null, { ...agent('orchestrator', 'support-bot', 0, 1_300, session), kind: SpanKind.SERVER });
  builder.span(root, chat('support-bot', 10, 1_250, { user: 'Thanks! How long until I see the money?', answer: 'Usually 3–5 business days, depending on your bank.', inputTokens: 880, outputTokens: 19, cacheReadTokens: 768 }, session));
}

function weatherRun(builder: TraceBuilder, session: Attributes): void {
  const root = builder.span(null, { ...agent('travel-planner', 'travel-bot', 0, 2_600, session), kind: SpanKind.SERVER });
  builder.span(root, { name: 'embeddings text-embedding-3-small', service: 'travel-bot', startMs: 10, endMs: 180, kind: SpanKind.CLIENT, attributes: { 'gen_ai.operation.name': 'embeddings', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'text-embedding-3-small', 'gen_ai.usage.input_tokens': 14, ...session } });
  builder.span(root, chat('travel-bot', 200, 900, { user: 'Should I pack an umbrella for Lisbon tomorrow?', toolCall: { id: 'call_wx_1', name: 'get_weather', arguments: { city: 'Lisbon', day: 'tomorrow' } }, inputTokens: 310, outputTokens: 22 }, session));
  builder.span(root, tool('travel-bot', 'get_weather', 'call_wx_1', 950, 1_400, { city: 'Lisbon', day: 'tomorrow' }, { forecast: 'light rain', precipitationMm: 3 }, session));
  builder.span(root, chat('travel-bot', 1_450, 2_550, { user: 'Should I pack an umbrella for Lisbon tomorrow?', toolResult: { id: 'call_wx_1', result: { forecast: 'light rain' } }, answer: 'Yes — light rain is expected in Lisbon tomorrow, so pack a small umbrella.', inputTokens: 402, outputTokens: 24 }, session));
}

const RUNS = [researchRun, failingRun, toolLoopRun, followUpRun, weatherRun];
const SESSIONS = [
  ['sess-refund-4471', 'user-42'],
  ['sess-refund-4471', 'user-42'],
  ['sess-dev-7', 'user-7'],
  ['sess-refund-4471', 'user-42'],
  ['sess-travel-3', 'user-99'],
] as const;

/**
 * Records `traceCount` agent runs (cycling through the five scenarios) that started over the last
 * few minutes before `nowMs`. The caller exports what the tracers recorded.
 */
export function recordDemoWorkload(tracers: DemoTracers, traceCount: number, nowMs: number): void {
  const spacingMs = 20_000;
  for (let index = 0; index < traceCount; index++) {
    const scenario = index % RUNS.length;
    const [sessionId, userId] = SESSIONS[scenario]!;
    const round = Math.floor(index / RUNS.length);
    const session = sessionAttributes(round === 0 ? sessionId : `${sessionId}-${round}`, userId);
    const baseMs = nowMs - (traceCount - index) * spacingMs - 30_000;
    RUNS[scenario]!(new TraceBuilder(tracers, baseMs), session);
  }
}

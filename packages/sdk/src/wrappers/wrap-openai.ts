// Auto-instrumentation of the `openai` client: chat completions (streaming too, with time to
// first chunk and usage from the final chunk), tool calls, the Responses API and embeddings.
// The client object is patched in place and returned; calls keep their exact return types.

import * as names from '../internal/attribute-names.js';
import { guard } from '../internal/diagnostics.js';
import { recordSpan } from '../internal/record-span.js';
import { contentParts, parseMaybeJson, toJsonText, toMessages, type GenAiMessage, type GenAiPart } from '../internal/messages.js';
import { embeddingSpec, llmSpec } from '../span-options.js';
import { asRecord, LlmCall, numberOr, patchMethod } from './llm-call.js';

export interface WrapOpenAIOptions {
  /** `gen_ai.provider.name` (default `openai`; e.g. `azure.ai.openai`, `groq` for compatible APIs). */
  provider?: string;
  /**
   * Streamed chat completions report token usage only when asked to; when the caller streams and
   * did not set `stream_options.include_usage`, the wrapper sets it to `true` (default `true`).
   * The stream then ends with one more chunk whose `choices` is empty and which carries `usage`.
   * An explicit `include_usage: false` is never overridden. Set `false` for an OpenAI-compatible
   * server that rejects `stream_options`.
   */
  streamUsage?: boolean;
}

type Json = Record<string, unknown>;

function requestAttributes(params: Json): Record<string, string | number | boolean | undefined> {
  return {
    'gen_ai.request.max_tokens': numberOr(params.max_tokens ?? params.max_completion_tokens ?? params.max_output_tokens),
    'gen_ai.request.temperature': numberOr(params.temperature),
    'gen_ai.request.top_p': numberOr(params.top_p),
    'gen_ai.request.seed': numberOr(params.seed),
    [names.REQUEST_STREAM]: params.stream === true ? true : undefined,
    [names.TOOL_DEFINITIONS]: Array.isArray(params.tools) && params.tools.length > 0 ? toJsonText(params.tools) : undefined,
  };
}

function chatUsage(usage: unknown) {
  const record = asRecord(usage);
  return {
    inputTokens: numberOr(record.prompt_tokens),
    outputTokens: numberOr(record.completion_tokens),
    cacheReadTokens: numberOr(asRecord(record.prompt_tokens_details).cached_tokens),
    reasoningTokens: numberOr(asRecord(record.completion_tokens_details).reasoning_tokens),
  };
}

function choiceMessage(message: Json, finishReason: unknown): GenAiMessage {
  const [converted] = toMessages([{ ...message, role: typeof message.role === 'string' ? message.role : 'assistant' }], 'assistant');
  return { ...(converted ?? { role: 'assistant', parts: [] }), ...(typeof finishReason === 'string' ? { finish_reason: finishReason } : {}) };
}

interface ChoiceState {
  content: string;
  finish?: string;
  tools: Map<number, { id?: string; name?: string; arguments: string }>;
}

/** Accumulates streamed chat chunks into the final choices. */
class ChatStreamState {
  model?: string;
  id?: string;
  usage?: unknown;
  private readonly choices = new Map<number, ChoiceState>();

  add(chunk: Json): boolean {
    if (typeof chunk.model === 'string') this.model = chunk.model;
    if (typeof chunk.id === 'string') this.id = chunk.id;
    if (chunk.usage) this.usage = chunk.usage;
    let produced = false;
    for (const choice of Array.isArray(chunk.choices) ? (chunk.choices as Json[]) : []) {
      const index = numberOr(choice.index) ?? 0;
      const state: ChoiceState = this.choices.get(index) ?? { content: '', tools: new Map() };
      this.choices.set(index, state);
      const delta = asRecord(choice.delta);
      if (typeof delta.content === 'string' && delta.content.length > 0) {
        state.content += delta.content;
        produced = true;
      }
      for (const call of Array.isArray(delta.tool_calls) ? (delta.tool_calls as Json[]) : []) {
        const callIndex = numberOr(call.index) ?? 0;
        const tool = state.tools.get(callIndex) ?? { arguments: '' };
        state.tools.set(callIndex, tool);
        const fn = asRecord(call.function);
        if (typeof call.id === 'string') tool.id = call.id;
        if (typeof fn.name === 'string') tool.name = fn.name;
        if (typeof fn.arguments === 'string') tool.arguments += fn.arguments;
        produced = true;
      }
      if (typeof choice.finish_reason === 'string') state.finish = choice.finish_reason;
    }
    return produced;
  }

  output(): { messages: GenAiMessage[]; finishReasons: string[] } {
    const messages: GenAiMessage[] = [];
    const finishReasons: string[] = [];
    for (const [, state] of [...this.choices].sort(([a], [b]) => a - b)) {
      const parts: GenAiPart[] = state.content ? [{ type: 'text', content: state.content }] : [];
      for (const tool of state.tools.values()) parts.push({ type: 'tool_call', id: tool.id, name: tool.name, arguments: parseMaybeJson(tool.arguments) });
      messages.push({ role: 'assistant', parts, ...(state.finish ? { finish_reason: state.finish } : {}) });
      if (state.finish) finishReasons.push(state.finish);
    }
    return { messages, finishReasons };
  }
}

/** The request with `stream_options.include_usage: true` added when it streams and left it unset; a copy, never the caller's object. */
function withStreamUsage(params: Json): Json {
  if (params.stream !== true) return params;
  const streamOptions = params.stream_options;
  if (streamOptions !== undefined && streamOptions !== null && typeof streamOptions !== 'object') return params;
  if (asRecord(streamOptions).include_usage !== undefined) return params;
  return { ...params, stream_options: { ...asRecord(streamOptions), include_usage: true } };
}

function wrapChatCreate(provider: string, streamUsage: boolean) {
  return (original: (this: unknown, ...args: unknown[]) => unknown) =>
    function create(this: unknown, ...args: unknown[]): unknown {
      if (streamUsage && typeof args[0] === 'object' && args[0] !== null) {
        const requested = guard('add stream_options.include_usage', () => withStreamUsage(args[0] as Json), args[0]);
        if (requested !== args[0]) args = [requested, ...args.slice(1)];
      }
      const params = asRecord(args[0]);
      const spec = llmSpec({ model: String(params.model ?? 'unknown'), provider, attributes: requestAttributes(params) });
      let call: LlmCall | undefined;
      const stream = new ChatStreamState();
      return recordSpan(
        spec,
        (span) => {
          call = new LlmCall(span);
          if (Array.isArray(params.messages)) span.setAttribute(names.INPUT_MESSAGES, toJsonText(toMessages(params.messages, 'user')));
          return original.apply(this, args);
        },
        {
          value: (value) => {
            const response = asRecord(value);
            const choices = Array.isArray(response.choices) ? (response.choices as Json[]) : [];
            call?.finish({
              responseModel: typeof response.model === 'string' ? response.model : undefined,
              responseId: typeof response.id === 'string' ? response.id : undefined,
              finishReasons: choices.map((choice) => choice.finish_reason).filter((reason): reason is string => typeof reason === 'string'),
              usage: chatUsage(response.usage),
              output: choices.map((choice) => choiceMessage(asRecord(choice.message), choice.finish_reason)),
            });
          },
          chunk: (chunk) => {
            if (stream.add(asRecord(chunk))) call?.firstChunk();
          },
          streamEnd: () => {
            const { messages, finishReasons } = stream.output();
            call?.finish({ responseModel: stream.model, responseId: stream.id, finishReasons, usage: stream.usage ? chatUsage(stream.usage) : undefined, output: messages });
          },
        },
      );
    };
}

function responsesInput(params: Json): GenAiMessage[] {
  const input = params.input;
  if (typeof input === 'string') return [{ role: 'user', parts: [{ type: 'text', content: input }] }];
  if (!Array.isArray(input)) return [];
  return (input as Json[]).map((item): GenAiMessage => {
    if (item.type === 'function_call_output') return { role: 'tool', parts: [{ type: 'tool_call_response', id: item.call_id, response: item.output }] };
    if (item.type === 'function_call') return { role: 'assistant', parts: [{ type: 'tool_call', id: item.call_id, name: item.name, arguments: parseMaybeJson(item.arguments) }] };
    return { role: typeof item.role === 'string' ? item.role : 'user', parts: contentParts(item.content) };
  });
}

function responsesOutcome(call: LlmCall | undefined, value: unknown): void {
  const response = asRecord(value);
  const parts: GenAiPart[] = [];
  for (const item of Array.isArray(response.output) ? (response.output as Json[]) : []) {
    if (item.type === 'message') parts.push(...contentParts(item.content));
    else if (item.type === 'function_call') parts.push({ type: 'tool_call', id: item.call_id, name: item.name, arguments: parseMaybeJson(item.arguments) });
  }
  const usage = asRecord(response.usage);
  const status = typeof response.status === 'string' ? response.status : undefined;
  call?.finish({
    responseModel: typeof response.model === 'string' ? response.model : undefined,
    responseId: typeof response.id === 'string' ? response.id : undefined,
    finishReasons: status ? [status] : [],
    usage: {
      inputTokens: numberOr(usage.input_tokens),
      outputTokens: numberOr(usage.output_tokens),
      cacheReadTokens: numberOr(asRecord(usage.input_tokens_details).cached_tokens),
      reasoningTokens: numberOr(asRecord(usage.output_tokens_details).reasoning_tokens),
    },
    output: [{ role: 'assistant', parts }],
  });
}

function wrapResponsesCreate(provider: string) {
  return (original: (this: unknown, ...args: unknown[]) => unknown) =>
    function create(this: unknown, ...args: unknown[]): unknown {
      const params = asRecord(args[0]);
      let call: LlmCall | undefined;
      let completed: unknown;
      return recordSpan(
        llmSpec({ model: String(params.model ?? 'unknown'), provider, attributes: requestAttributes(params) }),
        (span) => {
          call = new LlmCall(span);
          if (typeof params.instructions === 'string') span.setAttribute(names.SYSTEM_INSTRUCTIONS, toJsonText([{ type: 'text', content: params.instructions }]));
          span.setAttribute(names.INPUT_MESSAGES, toJsonText(responsesInput(params)));
          return original.apply(this, args);
        },
        {
          value: (value) => responsesOutcome(call, value),
          // Streaming: text deltas mark the first chunk; `response.completed` carries the whole response.
          chunk: (event) => {
            const record = asRecord(event);
            if (record.type === 'response.output_text.delta') call?.firstChunk();
            if (record.type === 'response.completed') completed = record.response;
          },
          streamEnd: () => completed !== undefined && responsesOutcome(call, completed),
        },
      );
    };
}

function wrapEmbeddingsCreate(provider: string) {
  return (original: (this: unknown, ...args: unknown[]) => unknown) =>
    function create(this: unknown, ...args: unknown[]): unknown {
      const params = asRecord(args[0]);
      let call: LlmCall | undefined;
      const inputCount = Array.isArray(params.input) ? params.input.length : 1;
      return recordSpan(
        embeddingSpec({ model: String(params.model ?? 'unknown'), provider, attributes: { 'cairn.embeddings.input_count': inputCount } }),
        (span) => {
          call = new LlmCall(span);
          return original.apply(this, args);
        },
        {
          value: (value) => {
            const response = asRecord(value);
            const first = Array.isArray(response.data) ? asRecord(response.data[0]).embedding : undefined;
            if (Array.isArray(first)) call?.span.setAttribute(names.EMBEDDING_DIMENSIONS, first.length);
            call?.finish({ responseModel: typeof response.model === 'string' ? response.model : undefined, usage: { inputTokens: numberOr(asRecord(response.usage).prompt_tokens) } });
          },
        },
      );
    };
}

/** Instruments an `openai` client in place and returns it. */
export function wrapOpenAI<C extends object>(client: C, options: WrapOpenAIOptions = {}): C {
  const provider = options.provider ?? 'openai';
  const record = client as unknown as Json;
  patchMethod(asRecord(asRecord(record.chat).completions), 'create', wrapChatCreate(provider, options.streamUsage ?? true));
  patchMethod(asRecord(record.responses), 'create', wrapResponsesCreate(provider));
  patchMethod(asRecord(record.embeddings), 'create', wrapEmbeddingsCreate(provider));
  return client;
}

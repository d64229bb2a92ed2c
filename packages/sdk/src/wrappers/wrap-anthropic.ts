// Auto-instrumentation of the `@anthropic-ai/sdk` client: `messages.create` (and `messages.stream`,
// which calls it), streaming with time to first chunk, tool use and token usage.

import * as names from '../internal/attribute-names.js';
import { guard } from '../internal/diagnostics.js';
import { recordSpan } from '../internal/record-span.js';
import { contentParts, parseMaybeJson, toJsonText, toMessages, type GenAiPart } from '../internal/messages.js';
import { llmSpec } from '../span-options.js';
import { asRecord, LlmCall, numberOr, patchMethod } from './llm-call.js';

export interface WrapAnthropicOptions {
  /** `gen_ai.provider.name` (default `anthropic`; e.g. `aws.bedrock`, `gcp.vertex_ai`). */
  provider?: string;
  /**
   * Recent `@anthropic-ai/sdk` versions emit their own call spans. Wrapping turns them off for this
   * client (default), because two model-call spans per request would count its tokens twice.
   */
  keepBuiltInTracing?: boolean;
}

type Json = Record<string, unknown>;

/** Anthropic's `input_tokens` excludes cached tokens; GenAI's input count includes them. */
function usageOf(usage: Json, earlierInput?: number) {
  const cacheRead = numberOr(usage.cache_read_input_tokens) ?? 0;
  const cacheWrite = numberOr(usage.cache_creation_input_tokens) ?? 0;
  const uncached = numberOr(usage.input_tokens) ?? earlierInput;
  return {
    inputTokens: uncached === undefined ? undefined : uncached + cacheRead + cacheWrite,
    outputTokens: numberOr(usage.output_tokens),
    cacheReadTokens: cacheRead || undefined,
    cacheWriteTokens: cacheWrite || undefined,
  };
}

/** Accumulates streamed message events into the final message. */
class MessageStreamState {
  id?: string;
  model?: string;
  stopReason?: string;
  usage: Json = {};
  private readonly blocks: { type: string; text: string; id?: string; name?: string }[] = [];

  add(event: Json): boolean {
    switch (event.type) {
      case 'message_start': {
        const message = asRecord(event.message);
        if (typeof message.id === 'string') this.id = message.id;
        if (typeof message.model === 'string') this.model = message.model;
        this.usage = { ...asRecord(message.usage) };
        return false;
      }
      case 'content_block_start': {
        const block = asRecord(event.content_block);
        this.blocks[numberOr(event.index) ?? this.blocks.length] = {
          type: String(block.type), text: typeof block.text === 'string' ? block.text : '', id: block.id as string | undefined, name: block.name as string | undefined,
        };
        return false;
      }
      case 'content_block_delta': {
        const delta = asRecord(event.delta);
        const block = this.blocks[numberOr(event.index) ?? 0];
        if (block && typeof delta.text === 'string') block.text += delta.text;
        if (block && typeof delta.partial_json === 'string') block.text += delta.partial_json;
        return true;
      }
      case 'message_delta': {
        const delta = asRecord(event.delta);
        if (typeof delta.stop_reason === 'string') this.stopReason = delta.stop_reason;
        // The final usage counts are cumulative.
        this.usage = { ...this.usage, ...asRecord(event.usage) };
        return false;
      }
      default:
        return false;
    }
  }

  parts(): GenAiPart[] {
    return this.blocks.filter(Boolean).map((block): GenAiPart =>
      block.type === 'tool_use' ? { type: 'tool_call', id: block.id, name: block.name, arguments: parseMaybeJson(block.text || '{}') } : block.type === 'thinking' ? { type: 'reasoning', content: block.text } : { type: 'text', content: block.text },
    );
  }
}

function wrapMessagesCreate(provider: string) {
  return (original: (this: unknown, ...args: unknown[]) => unknown) =>
    function create(this: unknown, ...args: unknown[]): unknown {
      const params = asRecord(args[0]);
      let call: LlmCall | undefined;
      const stream = new MessageStreamState();
      return recordSpan(
        llmSpec({
          model: String(params.model ?? 'unknown'),
          provider,
          attributes: {
            'gen_ai.request.max_tokens': numberOr(params.max_tokens),
            'gen_ai.request.temperature': numberOr(params.temperature),
            'gen_ai.request.top_p': numberOr(params.top_p),
            'gen_ai.request.top_k': numberOr(params.top_k),
            [names.REQUEST_STREAM]: params.stream === true ? true : undefined,
            [names.TOOL_DEFINITIONS]: Array.isArray(params.tools) && params.tools.length > 0 ? toJsonText(params.tools) : undefined,
          },
        }),
        (span) => {
          call = new LlmCall(span);
          if (params.system !== undefined) span.setAttribute(names.SYSTEM_INSTRUCTIONS, toJsonText(contentParts(params.system)));
          if (Array.isArray(params.messages)) span.setAttribute(names.INPUT_MESSAGES, toJsonText(toMessages(params.messages, 'user')));
          return original.apply(this, args);
        },
        {
          value: (value) => {
            const message = asRecord(value);
            const stopReason = typeof message.stop_reason === 'string' ? message.stop_reason : undefined;
            call?.finish({
              responseModel: typeof message.model === 'string' ? message.model : undefined,
              responseId: typeof message.id === 'string' ? message.id : undefined,
              finishReasons: stopReason ? [stopReason] : [],
              usage: usageOf(asRecord(message.usage)),
              output: [{ role: 'assistant', parts: contentParts(message.content), ...(stopReason ? { finish_reason: stopReason } : {}) }],
            });
          },
          chunk: (event) => {
            if (stream.add(asRecord(event))) call?.firstChunk();
          },
          streamEnd: () =>
            call?.finish({
              responseModel: stream.model,
              responseId: stream.id,
              finishReasons: stream.stopReason ? [stream.stopReason] : [],
              usage: usageOf(stream.usage),
              output: [{ role: 'assistant', parts: stream.parts(), ...(stream.stopReason ? { finish_reason: stream.stopReason } : {}) }],
            }),
        },
      );
    };
}

/** Instruments an `@anthropic-ai/sdk` client in place and returns it. */
export function wrapAnthropic<C extends object>(client: C, options: WrapAnthropicOptions = {}): C {
  const record = client as unknown as Json;
  if (!options.keepBuiltInTracing && '_tracer' in record) guard('turn off built-in tracing', () => (record._tracer = undefined), undefined);
  patchMethod(asRecord(record.messages), 'create', wrapMessagesCreate(options.provider ?? 'anthropic'));
  return client;
}

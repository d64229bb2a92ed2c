// OpenTelemetry GenAI semantic conventions: the current form (≥1.37: gen_ai.provider.name,
// gen_ai.input/output.messages) and the common legacy forms (gen_ai.system, prompt/completion
// token names, per-message events, gen_ai.prompt/completion attributes).

import type { AttributeMap, SpanType, TokenUsage, WireSpan } from '@cairn/model';
import type { Dialect, DialectFields } from '../dialect.js';
import { amountAttribute, countAttribute, textAttribute } from '../internal/attribute-readers.js';
import { canonicalProviderName } from '../internal/provider-name.js';
import { extractGenAiContent } from './gen-ai-content.js';

const PREFIX = 'gen_ai.';

/** Well-known `gen_ai.operation.name` values. A Map, so odd values like "constructor" miss. */
const OPERATION_SPAN_TYPES = new Map<string, SpanType>([
  ['chat', 'llm'],
  ['text_completion', 'llm'],
  ['generate_content', 'llm'],
  ['embeddings', 'embedding'],
  ['execute_tool', 'tool'],
  ['invoke_agent', 'agent'],
  ['create_agent', 'agent'],
  ['plan', 'agent'],
  ['invoke_workflow', 'chain'],
  ['retrieval', 'retrieval'],
  // Not in the conventions, but what the Vercel AI SDK 7 emits for rerank calls.
  ['rerank', 'reranker'],
  ['create_memory', 'memory'],
  ['search_memory', 'memory'],
  ['update_memory', 'memory'],
  ['upsert_memory', 'memory'],
  ['delete_memory', 'memory'],
  ['create_memory_store', 'memory'],
  ['delete_memory_store', 'memory'],
]);

/** Each count with its current key first, then the legacy or vendor spellings still emitted. */
const USAGE_KEYS: ReadonlyArray<readonly [keyof TokenUsage, readonly string[]]> = [
  ['inputTokens', ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens']],
  ['outputTokens', ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens']],
  ['cacheReadTokens', ['gen_ai.usage.cache_read.input_tokens', 'gen_ai.usage.cache_read_input_tokens']],
  ['cacheWriteTokens', ['gen_ai.usage.cache_creation.input_tokens', 'gen_ai.usage.cache_creation_input_tokens']],
  ['reasoningTokens', ['gen_ai.usage.reasoning.output_tokens', 'gen_ai.usage.reasoning_tokens']],
];

export const genAiDialect: Dialect = {
  name: 'gen_ai',

  detect(span: WireSpan): boolean {
    for (const key in span.attributes) if (key.startsWith(PREFIX)) return true;
    for (const event of span.events) if (event.name.startsWith(PREFIX)) return true;
    return false;
  },

  extract(span: WireSpan): DialectFields {
    const attributes = span.attributes;
    const operation = textAttribute(attributes, 'gen_ai.operation.name');
    const requestModel = textAttribute(attributes, 'gen_ai.request.model');
    const model = textAttribute(attributes, 'gen_ai.response.model') ?? requestModel;
    const providerText = textAttribute(attributes, 'gen_ai.provider.name') ?? textAttribute(attributes, 'gen_ai.system');
    const provider = providerText === undefined ? undefined : canonicalProviderName(providerText);
    const toolName = textAttribute(attributes, 'gen_ai.tool.name');
    const content = extractGenAiContent(attributes, span.events);
    const declaredType = operation === undefined ? undefined : OPERATION_SPAN_TYPES.get(operation);
    const guessedType = operation === undefined ? guessSpanType(toolName, model, provider) : undefined;
    return {
      spanType: declaredType ?? guessedType,
      spanTypeIsGuess: guessedType !== undefined,
      model,
      requestModel,
      provider,
      operation,
      agentName: textAttribute(attributes, 'gen_ai.agent.name'),
      toolName,
      toolCallId: textAttribute(attributes, 'gen_ai.tool.call.id'),
      sessionId: textAttribute(attributes, 'gen_ai.conversation.id'),
      usage: usageOf(attributes),
      costUsd: amountAttribute(attributes, 'gen_ai.usage.cost'),
      input: content.input,
      output: content.output,
    };
  },
};

/**
 * Without a declared operation (which decides alone, an unknown one leaving the type open), a
 * tool name means a tool call and a model with a provider means a model call — both guesses.
 */
function guessSpanType(toolName: string | undefined, model: string | undefined, provider: string | undefined): SpanType | undefined {
  if (toolName !== undefined) return 'tool';
  if (model !== undefined && provider !== undefined) return 'llm';
  return undefined;
}

function usageOf(attributes: AttributeMap): Partial<TokenUsage> | undefined {
  let usage: Partial<TokenUsage> | undefined;
  for (const [field, keys] of USAGE_KEYS) {
    for (const key of keys) {
      const count = countAttribute(attributes, key);
      if (count === undefined) continue;
      (usage ??= {})[field] = count;
      break;
    }
  }
  return usage;
}

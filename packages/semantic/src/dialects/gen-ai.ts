// OpenTelemetry GenAI semantic conventions: the current form (≥1.37: gen_ai.provider.name,
// gen_ai.input/output.messages) and the common legacy forms (gen_ai.system, prompt/completion
// token names, per-message events, gen_ai.prompt/completion attributes).

import type { AttributeMap, SpanType, TokenUsage, WireSpan } from '@cairn/model';
import type { Dialect, DialectFields, ExtractNotes } from '../dialect.js';
import { isRecord, parseAttributeValue } from '../internal/attribute-readers.js';
import { canonicalProviderName } from '../internal/provider-name.js';
import { HINT_GEN_AI } from './dialect-hints.js';
import { describeValue, firstAmount, firstCount, firstText, firstTextList, numberValue, retrievalDocument } from './dialect-readers.js';
import { extractGenAiContent } from './gen-ai-content.js';

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
  [
    'cacheReadTokens',
    ['gen_ai.usage.cache_read.input_tokens', 'gen_ai.usage.cache_read_input_tokens', 'gen_ai.usage.cached_input_tokens'],
  ],
  ['cacheWriteTokens', ['gen_ai.usage.cache_creation.input_tokens', 'gen_ai.usage.cache_creation_input_tokens']],
  ['reasoningTokens', ['gen_ai.usage.reasoning.output_tokens', 'gen_ai.usage.reasoning_tokens']],
];

const MODEL_KEYS = ['gen_ai.response.model', 'gen_ai.request.model'];
const REQUEST_MODEL_KEYS = ['gen_ai.request.model'];
const PROVIDER_KEYS = ['gen_ai.provider.name', 'gen_ai.system'];
const OPERATION_KEYS = ['gen_ai.operation.name'];
const AGENT_NAME_KEYS = ['gen_ai.agent.name'];
const AGENT_ID_KEYS = ['gen_ai.agent.id'];
const TOOL_NAME_KEYS = ['gen_ai.tool.name'];
const TOOL_CALL_ID_KEYS = ['gen_ai.tool.call.id'];
const SESSION_KEYS = ['gen_ai.conversation.id'];
const PROMPT_NAME_KEYS = ['gen_ai.prompt.name'];
const COST_KEYS = ['gen_ai.usage.cost'];
const FINISH_REASON_KEYS = ['gen_ai.response.finish_reasons', 'gen_ai.response.finish_reason'];
const TTFT_KEY = 'gen_ai.response.time_to_first_chunk';

export const genAiDialect: Dialect = {
  name: 'gen_ai',

  detect(_span: WireSpan, hints: number): boolean {
    return (hints & HINT_GEN_AI) !== 0;
  },

  extract(span: WireSpan, notes?: ExtractNotes): DialectFields {
    const attributes = span.attributes;
    const operation = firstText(attributes, OPERATION_KEYS, 'operation', notes);
    const model = firstText(attributes, MODEL_KEYS, 'model', notes);
    const providerText = firstText(attributes, PROVIDER_KEYS, 'provider', notes);
    const provider = providerText === undefined ? undefined : canonicalProviderName(providerText);
    const toolName = firstText(attributes, TOOL_NAME_KEYS, 'toolName', notes);
    const content = extractGenAiContent(attributes, span.events);
    if (notes !== undefined) {
      if (content.inputSource !== undefined) notes.source('input', content.inputSource);
      if (content.outputSource !== undefined) notes.source('output', content.outputSource);
    }
    const declaredType = operation === undefined ? undefined : OPERATION_SPAN_TYPES.get(operation);
    if (operation !== undefined) {
      if (declaredType === undefined) notes?.problem('gen_ai.operation.name', `unknown operation ${describeValue(operation)}: span type left to other dialects`);
      else notes?.source('spanType', 'gen_ai.operation.name');
    }
    const guessedType = operation === undefined ? guessSpanType(toolName, model, provider, notes) : undefined;
    return {
      spanType: declaredType ?? guessedType,
      spanTypeIsGuess: guessedType !== undefined,
      model,
      requestModel: firstText(attributes, REQUEST_MODEL_KEYS, 'requestModel', notes),
      provider,
      operation,
      agentName: firstText(attributes, AGENT_NAME_KEYS, 'agentName', notes),
      agentId: firstText(attributes, AGENT_ID_KEYS, 'agentId', notes),
      toolName,
      toolCallId: firstText(attributes, TOOL_CALL_ID_KEYS, 'toolCallId', notes),
      sessionId: firstText(attributes, SESSION_KEYS, 'sessionId', notes),
      usage: usageOf(attributes, notes),
      costUsd: firstAmount(attributes, COST_KEYS, 'costUsd', notes),
      input: content.input,
      output: content.output,
      finishReasons: firstTextList(attributes, FINISH_REASON_KEYS, 'finishReasons', notes),
      timeToFirstTokenMs: timeToFirstChunkMs(attributes, notes),
      promptName: firstText(attributes, PROMPT_NAME_KEYS, 'promptName', notes),
      retrievalDocuments: retrievalDocumentsOf(attributes, notes),
    };
  },
};

/**
 * Without a declared operation (which decides alone, an unknown one leaving the type open), a
 * tool name means a tool call and a model with a provider means a model call — both guesses.
 */
function guessSpanType(toolName: string | undefined, model: string | undefined, provider: string | undefined, notes?: ExtractNotes): SpanType | undefined {
  if (toolName !== undefined) {
    notes?.source('spanType', 'gen_ai.tool.name (guess)');
    return 'tool';
  }
  if (model !== undefined && provider !== undefined) {
    notes?.source('spanType', 'gen_ai model + provider (guess)');
    return 'llm';
  }
  return undefined;
}

function usageOf(attributes: AttributeMap, notes?: ExtractNotes): Partial<TokenUsage> | undefined {
  let usage: Partial<TokenUsage> | undefined;
  for (const [field, keys] of USAGE_KEYS) {
    const count = firstCount(attributes, keys, `usage.${field}`, notes);
    if (count !== undefined) (usage ??= {})[field] = count;
  }
  return usage;
}

/** `gen_ai.response.time_to_first_chunk` is in seconds (a double). */
function timeToFirstChunkMs(attributes: AttributeMap, notes?: ExtractNotes): number | undefined {
  const value = attributes[TTFT_KEY];
  if (value === undefined) return undefined;
  const seconds = numberValue(value);
  if (seconds === undefined || seconds < 0) {
    notes?.problem(TTFT_KEY, `expected non-negative seconds, got ${describeValue(value)}`);
    return undefined;
  }
  notes?.source('timeToFirstTokenMs', TTFT_KEY);
  return seconds * 1000;
}

function retrievalDocumentsOf(attributes: AttributeMap, notes?: ExtractNotes): DialectFields['retrievalDocuments'] {
  const value = attributes['gen_ai.retrieval.documents'];
  if (value === undefined) return undefined;
  const parsed = parseAttributeValue(value);
  if (!Array.isArray(parsed)) {
    notes?.problem('gen_ai.retrieval.documents', `expected a list of documents, got ${describeValue(parsed)}`);
    return undefined;
  }
  notes?.source('retrievalDocuments', 'gen_ai.retrieval.documents');
  return parsed.map((item) => retrievalDocument(isRecord(item) ? item : { content: item }));
}

// Vercel AI SDK telemetry (≤6 `experimental_telemetry`, v7 `LegacyOpenTelemetry`): spans named
// by `ai.operationId` — ai.generateText → ai.generateText.doGenerate → ai.toolCall, and the
// stream / object / embed variants. The outer spans repeat the usage of their steps, so they are
// typed `agent` (text/object calls) or `chain` (embed, rerank) and only the do* steps count.

import type { AttributeMap, SpanType, TokenUsage, WireSpan } from '@cairn/model';
import type { Dialect, DialectFields, ExtractNotes } from '../dialect.js';
import { canonicalProviderName } from '../internal/provider-name.js';
import { HINT_VERCEL } from './dialect-hints.js';
import { describeValue, firstCount, firstText, firstTextList, numberValue } from './dialect-readers.js';
import { vercelInput, vercelOutput } from './vercel-ai-content.js';

const OPERATION_SPAN_TYPES = new Map<string, SpanType>([
  ['ai.generateText', 'agent'],
  ['ai.streamText', 'agent'],
  ['ai.generateObject', 'agent'],
  ['ai.streamObject', 'agent'],
  ['ai.generateText.doGenerate', 'llm'],
  ['ai.streamText.doStream', 'llm'],
  ['ai.generateObject.doGenerate', 'llm'],
  ['ai.streamObject.doStream', 'llm'],
  ['ai.embed', 'chain'],
  ['ai.embedMany', 'chain'],
  ['ai.embed.doEmbed', 'embedding'],
  ['ai.embedMany.doEmbed', 'embedding'],
  ['ai.rerank', 'chain'],
  ['ai.rerank.doRerank', 'reranker'],
  ['ai.toolCall', 'tool'],
]);

const USAGE_KEYS: ReadonlyArray<readonly [keyof TokenUsage, readonly string[]]> = [
  ['inputTokens', ['ai.usage.inputTokens', 'ai.usage.promptTokens', 'ai.usage.tokens']],
  ['outputTokens', ['ai.usage.outputTokens', 'ai.usage.completionTokens']],
  ['cacheReadTokens', ['ai.usage.cachedInputTokens', 'ai.usage.inputTokenDetails.cacheReadTokens']],
  ['cacheWriteTokens', ['ai.usage.inputTokenDetails.cacheWriteTokens']],
  ['reasoningTokens', ['ai.usage.reasoningTokens', 'ai.usage.outputTokenDetails.reasoningTokens']],
];

const TTFT_KEYS = ['ai.response.msToFirstChunk', 'ai.stream.msToFirstChunk'];

export const vercelAiDialect: Dialect = {
  name: 'vercel_ai',

  detect(_span: WireSpan, hints: number): boolean {
    return (hints & HINT_VERCEL) !== 0;
  },

  extract(span: WireSpan, notes?: ExtractNotes): DialectFields {
    const attributes = span.attributes;
    const operation = firstText(attributes, ['ai.operationId'], 'operation', notes) ?? (span.name.startsWith('ai.') ? span.name : undefined);
    const spanType = operation === undefined ? undefined : OPERATION_SPAN_TYPES.get(operation);
    if (spanType !== undefined) notes?.source('spanType', attributes['ai.operationId'] !== undefined ? 'ai.operationId' : 'span name');
    else if (operation !== undefined) notes?.problem('ai.operationId', `unknown AI SDK operation ${describeValue(operation)}`);
    const providerText = firstText(attributes, ['ai.model.provider'], 'provider', notes);
    return {
      spanType,
      operation,
      model: firstText(attributes, ['ai.response.model', 'ai.model.id'], 'model', notes),
      requestModel: firstText(attributes, ['ai.model.id'], 'requestModel', notes),
      provider: providerText === undefined ? undefined : canonicalProviderName(providerText),
      agentName: firstText(attributes, ['ai.telemetry.functionId'], 'agentName', notes),
      toolName: firstText(attributes, ['ai.toolCall.name'], 'toolName', notes),
      toolCallId: firstText(attributes, ['ai.toolCall.id'], 'toolCallId', notes),
      sessionId: firstText(attributes, ['ai.telemetry.metadata.sessionId', 'ai.telemetry.metadata.session_id'], 'sessionId', notes),
      userId: firstText(attributes, ['ai.telemetry.metadata.userId', 'ai.telemetry.metadata.user_id'], 'userId', notes),
      tags: firstTextList(attributes, ['ai.telemetry.metadata.tags'], 'tags', notes),
      usage: usageOf(attributes, notes),
      input: vercelInput(attributes, notes),
      output: vercelOutput(attributes, notes),
      finishReasons: firstTextList(attributes, ['ai.response.finishReason', 'ai.finishReason'], 'finishReasons', notes),
      timeToFirstTokenMs: timeToFirstChunk(span, notes),
    };
  },
};

function usageOf(attributes: AttributeMap, notes?: ExtractNotes): Partial<TokenUsage> | undefined {
  let usage: Partial<TokenUsage> | undefined;
  for (const [field, keys] of USAGE_KEYS) {
    const count = firstCount(attributes, keys, `usage.${field}`, notes);
    if (count !== undefined) (usage ??= {})[field] = count;
  }
  return usage;
}

/** Milliseconds, on the span or on its `ai.stream.firstChunk` event. */
function timeToFirstChunk(span: WireSpan, notes?: ExtractNotes): number | undefined {
  for (const key of TTFT_KEYS) {
    const millis = numberValue(span.attributes[key]);
    if (millis !== undefined && millis >= 0) {
      notes?.source('timeToFirstTokenMs', key);
      return millis;
    }
  }
  for (const event of span.events) {
    if (event.name !== 'ai.stream.firstChunk') continue;
    const millis = numberValue(event.attributes['ai.response.msToFirstChunk'] ?? event.attributes['ai.stream.msToFirstChunk']);
    if (millis !== undefined && millis >= 0) {
      notes?.source('timeToFirstTokenMs', 'event ai.stream.firstChunk');
      return millis;
    }
  }
  return undefined;
}

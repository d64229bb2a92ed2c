// How to read a span's token counts for billing. Providers disagree on whether cached prompt
// tokens are inside the input count (OpenAI, Gemini, DeepSeek, OTel GenAI) or beside it
// (Anthropic's native `input_tokens`), and whether reasoning tokens are inside the output count.
// Evidence on the span itself beats the provider default, and every decision carries a reason.

import type { AttributeMap, TokenUsage } from '@cairn/model';
import { numberAttribute } from '@cairn/model';
import type { CacheConvention } from './price-table.js';

export type ReasoningConvention = 'output_includes_reasoning' | 'reasoning_separate';

export interface UsageReading {
  cache: CacheConvention;
  cacheReason: string;
  reasoning: ReasoningConvention;
  reasoningReason: string;
}

/** Total-token attributes some instrumentations send; used only as evidence. */
const TOTAL_TOKEN_KEYS: readonly string[] = ['gen_ai.usage.total_tokens', 'llm.token_count.total', 'llm.usage.total_tokens', 'ai.usage.totalTokens'];
/** OTel GenAI defines these as part of gen_ai.usage.input_tokens. */
const OTEL_CACHE_KEYS: readonly string[] = ['gen_ai.usage.cache_read.input_tokens', 'gen_ai.usage.cache_creation.input_tokens'];

export function readUsage(usage: TokenUsage, attributes: AttributeMap, providerDefault: CacheConvention | null): UsageReading {
  // The total is evidence only when there are cache or reasoning tokens to place (most spans have none).
  const needsEvidence = usage.cacheReadTokens + usage.cacheWriteTokens + usage.reasoningTokens > 0;
  const total = needsEvidence ? totalTokensOf(attributes) : undefined;
  const cache = cacheConvention(usage, attributes, total, providerDefault);
  const reasoning = reasoningConvention(usage, total, cache.cache);
  return { cache: cache.cache, cacheReason: cache.cacheReason, reasoning: reasoning.reasoning, reasoningReason: reasoning.reasoningReason };
}

function cacheConvention(
  usage: TokenUsage,
  attributes: AttributeMap,
  total: number | undefined,
  providerDefault: CacheConvention | null,
): { cache: CacheConvention; cacheReason: string } {
  const cached = usage.cacheReadTokens + usage.cacheWriteTokens;
  const fallback = providerDefault ?? 'input_includes_cache';
  if (cached === 0) return { cache: fallback, cacheReason: 'no cache tokens reported' };
  if (usage.inputTokens < cached) {
    return {
      cache: 'cache_separate',
      cacheReason: `input tokens (${usage.inputTokens}) are fewer than the cache tokens (${cached}), so they cannot include them`,
    };
  }
  if (total !== undefined && total !== usage.inputTokens + usage.outputTokens) {
    if (total === usage.inputTokens + cached + usage.outputTokens || total === usage.inputTokens + cached + usage.outputTokens + usage.reasoningTokens) {
      return { cache: 'cache_separate', cacheReason: `total tokens (${total}) = input + cache + output, so input excludes cache` };
    }
  }
  for (const key of OTEL_CACHE_KEYS) {
    if (key in attributes) {
      return { cache: 'input_includes_cache', cacheReason: `the span reports ${key}, which OTel GenAI counts inside gen_ai.usage.input_tokens` };
    }
  }
  return {
    cache: fallback,
    cacheReason:
      fallback === 'cache_separate'
        ? "the provider reports cache tokens apart from input tokens (Anthropic's input_tokens)"
        : 'the provider counts cached tokens inside input tokens (OpenAI, Gemini, OTel GenAI)',
  };
}

function reasoningConvention(usage: TokenUsage, total: number | undefined, cache: CacheConvention): { reasoning: ReasoningConvention; reasoningReason: string } {
  if (usage.reasoningTokens === 0) return { reasoning: 'output_includes_reasoning', reasoningReason: 'no reasoning tokens reported' };
  if (usage.outputTokens < usage.reasoningTokens) {
    return {
      reasoning: 'reasoning_separate',
      reasoningReason: `output tokens (${usage.outputTokens}) are fewer than reasoning tokens (${usage.reasoningTokens}), so they cannot include them`,
    };
  }
  const prompt = cache === 'cache_separate' ? usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens : usage.inputTokens;
  if (total !== undefined && total === prompt + usage.outputTokens + usage.reasoningTokens) {
    return { reasoning: 'reasoning_separate', reasoningReason: `total tokens (${total}) = prompt + output + reasoning, so output excludes reasoning` };
  }
  return { reasoning: 'output_includes_reasoning', reasoningReason: 'reasoning tokens are part of output tokens (OTel GenAI, OpenAI, Anthropic)' };
}

function totalTokensOf(attributes: AttributeMap): number | undefined {
  for (const key of TOTAL_TOKEN_KEYS) {
    const total = numberAttribute(attributes, key);
    if (total !== undefined && total >= 0) return Math.round(total);
  }
  return undefined;
}

// Cost of realistic model-call spans, per provider family: cache and reasoning token semantics,
// long-context tiers, effective dates, provenance, and the count-once rule.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeMap, SpanRecord } from '@cairn/model';
import { BUNDLED_PRICE_TABLE, explainCost, normalizeSpan } from '../src/index.js';
import { CONTEXT, wireSpan } from './helpers/wire-span.js';

const VERSION = BUNDLED_PRICE_TABLE.version;

function chat(attributes: AttributeMap, startIso = '2025-11-20T12:00:00Z'): SpanRecord {
  const start = BigInt(Date.parse(startIso)) * 1_000_000n;
  return normalizeSpan(
    wireSpan({ name: 'chat', kind: 3, attributes: { 'gen_ai.operation.name': 'chat', ...attributes }, startTimeUnixNano: start, endTimeUnixNano: start + 1_000_000_000n }),
    CONTEXT,
  );
}

function assertUsd(actual: number | null, expected: number): void {
  assert.ok(actual !== null, 'expected a cost');
  assert.ok(Math.abs(actual - expected) < 1e-9, `cost ${actual} ≠ ${expected}`);
}

describe('OpenAI-style usage: input tokens include cached ones', () => {
  it('bills cached tokens once, at the cache price, for a dated gpt-4o snapshot', () => {
    const record = chat({
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-11-20',
      'gen_ai.usage.input_tokens': 10_000n,
      'gen_ai.usage.cache_read.input_tokens': 8_000n,
      'gen_ai.usage.output_tokens': 500n,
    });
    // 2,000 fresh × $2.50 + 8,000 cached × $1.25 + 500 out × $10 (per 1M)
    assertUsd(record.costUsd, 0.005 + 0.01 + 0.005);
    assert.deepEqual(record.costProvenance, { source: 'table', priceTableVersion: VERSION, priceId: 'gpt-4o@2024-10-02', tier: null });
    const explained = explainCost(record);
    assert.equal(explained?.price?.matchedBy, 'snapshot');
    assert.equal(explained?.cacheConvention, 'input_includes_cache');
    assert.deepEqual(
      explained?.lines.map((line) => [line.tokenClass, line.tokens, line.usdPerMillion]),
      [['input', 2000, 2.5], ['cacheRead', 8000, 1.25], ['output', 500, 10]],
    );
  });

  it('bills reasoning tokens as part of the output of o4-mini, not on top of it', () => {
    const record = chat({
      'gen_ai.provider.name': 'openai',
      'gen_ai.response.model': 'o4-mini-2025-04-16',
      'gen_ai.usage.input_tokens': 1_200n,
      'gen_ai.usage.output_tokens': 3_000n,
      'gen_ai.usage.reasoning.output_tokens': 2_500n,
    });
    assertUsd(record.costUsd, (1_200 * 1.1 + 500 * 4.4 + 2_500 * 4.4) / 1e6);
  });

  it('prices embeddings by input tokens', () => {
    const record = normalizeSpan(
      wireSpan({
        attributes: {
          'gen_ai.operation.name': 'embeddings',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'text-embedding-3-small',
          'gen_ai.usage.input_tokens': 1_000_000n,
        },
      }),
      CONTEXT,
    );
    assert.equal(record.spanType, 'embedding');
    assertUsd(record.costUsd, 0.02);
  });

  it('uses the price in effect when the span started (o3 before and after its June 2025 cut)', () => {
    const usage = { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'o3', 'gen_ai.usage.input_tokens': 1_000_000n, 'gen_ai.usage.output_tokens': 1_000_000n };
    const before = chat(usage, '2025-05-01T00:00:00Z');
    const after = chat(usage, '2025-07-01T00:00:00Z');
    assertUsd(before.costUsd, 10 + 40);
    assertUsd(after.costUsd, 2 + 8);
    assert.equal(before.costProvenance?.priceId, 'o3@2025-04-16');
    assert.equal(explainCost(before)?.price?.effectiveUntil, '2025-06-10');
  });
});

describe('Anthropic-style usage: cache tokens beside input tokens', () => {
  const separate = {
    'gen_ai.system': 'anthropic',
    'gen_ai.request.model': 'claude-sonnet-4-5',
    'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
    'gen_ai.usage.input_tokens': 40n,
    'gen_ai.usage.cache_read_input_tokens': 12_000n,
    'gen_ai.usage.cache_creation_input_tokens': 1_500n,
    'gen_ai.usage.output_tokens': 800n,
  };
  const expected = (40 * 3 + 12_000 * 0.3 + 1_500 * 3.75 + 800 * 15) / 1e6;

  it('bills input, cache reads and 5-minute cache writes each at their own price', () => {
    const record = chat(separate);
    assertUsd(record.costUsd, expected);
    const explained = explainCost(record);
    assert.equal(explained?.cacheConvention, 'cache_separate');
    assert.match(explained?.cacheConventionReason ?? '', /fewer than the cache tokens/);
    assert.equal(explained?.promptTokens, 13_540);
  });

  it('gives the same cost when an OTel-conformant instrumentation folds cache tokens into input', () => {
    const record = chat({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
      'gen_ai.usage.input_tokens': 13_540n,
      'gen_ai.usage.cache_read.input_tokens': 12_000n,
      'gen_ai.usage.cache_creation.input_tokens': 1_500n,
      'gen_ai.usage.output_tokens': 800n,
    });
    assertUsd(record.costUsd, expected);
    assert.equal(explainCost(record)?.cacheConvention, 'input_includes_cache');
  });

  it('applies the long-context tier when the whole prompt, cache included, exceeds 200k tokens', () => {
    const record = chat({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.response.model': 'claude-sonnet-4-20250514',
      'gen_ai.usage.input_tokens': 150_000n,
      'gen_ai.usage.cache_read_input_tokens': 100_000n,
      'gen_ai.usage.output_tokens': 1_000n,
    });
    assertUsd(record.costUsd, (150_000 * 6 + 100_000 * 0.6 + 1_000 * 22.5) / 1e6);
    assert.equal(record.costProvenance?.tier, 'over_200k_input');
  });

  it('prices Claude on Bedrock and Vertex under their routing ids', () => {
    const bedrock = chat({
      'gen_ai.provider.name': 'aws.bedrock',
      'gen_ai.request.model': 'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
      'gen_ai.usage.input_tokens': 1_000n,
      'gen_ai.usage.output_tokens': 1_000n,
    });
    assertUsd(bedrock.costUsd, (1_000 * 3 + 1_000 * 15) / 1e6);
    assert.equal(bedrock.costProvenance?.priceId, 'claude-3-7-sonnet@2025-02-24');
    const vertex = chat({ 'gen_ai.provider.name': 'gcp.vertex_ai', 'gen_ai.request.model': 'claude-3-5-sonnet-v2@20241022', 'gen_ai.usage.input_tokens': 1_000n });
    assert.equal(vertex.costProvenance?.priceId, 'claude-3-5-sonnet@2024-06-20');
  });
});

describe('Gemini: cached content inside the prompt count, long-context tiers, thinking tokens', () => {
  it('switches gemini-2.5-pro to the >200k prices for a long prompt', () => {
    const base = { 'gen_ai.provider.name': 'gcp.gemini', 'gen_ai.request.model': 'gemini-2.5-pro', 'gen_ai.usage.output_tokens': 2_000n };
    const short = chat({ ...base, 'gen_ai.usage.input_tokens': 100_000n });
    const long = chat({ ...base, 'gen_ai.usage.input_tokens': 250_000n, 'gen_ai.usage.cache_read.input_tokens': 50_000n });
    assertUsd(short.costUsd, (100_000 * 1.25 + 2_000 * 10) / 1e6);
    assert.equal(short.costProvenance?.tier, null);
    assertUsd(long.costUsd, (200_000 * 2.5 + 50_000 * 0.25 + 2_000 * 15) / 1e6);
    assert.equal(long.costProvenance?.tier, 'over_200k_input');
  });

  it('adds thinking tokens to the output when the total shows they were counted apart', () => {
    const record = chat({
      'gen_ai.provider.name': 'gcp.gemini',
      'gen_ai.response.model': 'gemini-2.5-flash',
      'gen_ai.usage.input_tokens': 1_000n,
      'gen_ai.usage.output_tokens': 200n,
      'gen_ai.usage.reasoning.output_tokens': 150n,
      'gen_ai.usage.total_tokens': 1_350n,
    });
    assertUsd(record.costUsd, (1_000 * 0.3 + 200 * 2.5 + 150 * 2.5) / 1e6);
    assert.equal(explainCost(record)?.reasoningConvention, 'reasoning_separate');
  });

  it('uses a separate reasoning price where the model had one', () => {
    const record = chat({
      'gen_ai.provider.name': 'gcp.gemini',
      'gen_ai.response.model': 'models/gemini-2.5-flash-preview-04-17',
      'gen_ai.usage.input_tokens': 1_000n,
      'gen_ai.usage.output_tokens': 1_000n,
      'gen_ai.usage.reasoning.output_tokens': 600n,
    });
    assertUsd(record.costUsd, (1_000 * 0.15 + 400 * 0.6 + 600 * 3.5) / 1e6);
  });
});

describe('Mistral and DeepSeek', () => {
  it('prices mistral-large-latest through its alias', () => {
    const record = chat({ 'gen_ai.provider.name': 'mistral_ai', 'gen_ai.request.model': 'mistral-large-latest', 'gen_ai.usage.input_tokens': 1_000n, 'gen_ai.usage.output_tokens': 500n });
    assertUsd(record.costUsd, (1_000 * 2 + 500 * 6) / 1e6);
  });

  it('bills DeepSeek cache hits inside prompt tokens at the price of the day', () => {
    const usage = {
      'gen_ai.provider.name': 'deepseek',
      'gen_ai.request.model': 'deepseek-chat',
      'gen_ai.usage.input_tokens': 1_000_000n,
      'gen_ai.usage.cache_read.input_tokens': 600_000n,
      'gen_ai.usage.output_tokens': 100_000n,
    };
    assertUsd(chat(usage, '2025-05-01T00:00:00Z').costUsd, 0.4 * 0.27 + 0.6 * 0.07 + 0.1 * 1.1);
    assertUsd(chat(usage, '2025-10-15T00:00:00Z').costUsd, 0.4 * 0.28 + 0.6 * 0.028 + 0.1 * 0.42);
  });
});

describe('provenance', () => {
  it('keeps the cost the app sent, and shows what the table would have said', () => {
    const record = chat({ 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 1_000_000n, 'gen_ai.usage.cost': 0.1 });
    assert.equal(record.costUsd, 0.1);
    assert.deepEqual(record.costProvenance, { source: 'app', priceTableVersion: null, priceId: null, tier: null });
    assertUsd(explainCost(record)?.computedCostUsd ?? null, 0.15);
  });

  it('takes an OpenInference llm.cost.total as the app-given cost', () => {
    const record = chat({ 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 10n, 'llm.cost.total': 0.25 });
    assert.equal(record.costUsd, 0.25);
    assert.equal(record.costProvenance?.source, 'app');
  });

  it('says unknown_model, with the reason, for a model the table does not list', () => {
    const record = chat({ 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'my-finetune-v3', 'gen_ai.usage.input_tokens': 100n });
    assert.equal(record.costUsd, null);
    assert.deepEqual(record.costProvenance, { source: 'unknown_model', priceTableVersion: null, priceId: null, tier: null });
    assert.match(explainCost(record)?.notes.join(' ') ?? '', /no price for model "my-finetune-v3"/);
  });

  it('says no_usage for a model call without token counts', () => {
    const record = chat({ 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o' });
    assert.equal(record.costUsd, null);
    assert.equal(record.costProvenance?.source, 'no_usage');
  });

  it('counts once: an agent wrapper repeating its calls usage (and cost) gets none', () => {
    const agent = normalizeSpan(
      wireSpan({
        attributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': 5_000n,
          'gen_ai.usage.output_tokens': 700n,
          'gen_ai.usage.cost': 0.02,
        },
      }),
      CONTEXT,
    );
    assert.equal(agent.spanType, 'agent');
    assert.equal(agent.costUsd, null);
    assert.equal(agent.costProvenance, null);
    assert.equal(explainCost(agent), null);
  });

  it('leaves plain spans without cost or provenance', () => {
    const http = normalizeSpan(wireSpan({ name: 'GET /', attributes: { 'http.request.method': 'GET' } }), CONTEXT);
    assert.equal(http.costUsd, null);
    assert.equal(http.costProvenance, null);
  });
});

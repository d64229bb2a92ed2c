// The bundled price table as data, model-name matching, and custom prices.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUNDLED_PRICE_TABLE, explainCost, normalizeSpan, parsePriceTable, PriceTableError, PricingContext } from '../src/index.js';
import { CONTEXT, wireSpan } from './helpers/wire-span.js';

const AT = BigInt(Date.parse('2025-11-20T00:00:00Z')) * 1_000_000n;
const pricing = new PricingContext();

function matched(model: string, provider: string | null = null): string | null {
  return pricing.lookup('default', [model], provider, AT).match?.entry.priceId ?? null;
}

describe('bundled price table', () => {
  it('is versioned, dated and priced for every entry', () => {
    assert.match(BUNDLED_PRICE_TABLE.version, /^\d{4}\.\d{2}\.\d+$/);
    assert.ok(BUNDLED_PRICE_TABLE.entries.length >= 50);
    const seen = new Set<string>();
    for (const entry of BUNDLED_PRICE_TABLE.entries) {
      assert.ok(entry.prices.input !== undefined, `${entry.priceId} has an input price`);
      assert.ok(!seen.has(entry.priceId), `${entry.priceId} is listed once`);
      seen.add(entry.priceId);
      assert.ok(entry.providers.length > 0, `${entry.priceId} names its providers`);
      if (entry.id.startsWith('claude-')) assert.equal(entry.cacheConvention, 'cache_separate', entry.priceId);
      // Cache reads are never dearer than fresh input.
      if (entry.prices.cacheRead !== undefined) assert.ok(entry.prices.cacheRead <= entry.prices.input!, entry.priceId);
    }
    for (const family of ['gpt-4o', 'gpt-4.1', 'o3', 'o4-mini', 'text-embedding-3-large', 'claude-opus-4-1', 'claude-haiku-4-5', 'gemini-2.5-pro', 'gemini-2.0-flash', 'mistral-embed', 'deepseek-reasoner']) {
      assert.ok(matched(family) !== null, `${family} is priced`);
    }
  });
});

describe('model matching', () => {
  it('matches dated snapshots and provider-qualified names to their own model', () => {
    assert.equal(matched('gpt-4o-mini-2024-07-18'), 'gpt-4o-mini@2024-07-18');
    assert.equal(matched('gpt-4.1-nano-2025-04-14'), 'gpt-4.1-nano@2025-04-14');
    assert.equal(matched('GPT-4o-2024-05-13'), 'gpt-4o-2024-05-13@2024-05-13', 'an exact snapshot entry beats its family');
    assert.equal(matched('openai/gpt-4.1'), 'gpt-4.1@2025-04-14');
    assert.equal(matched('claude-opus-4-20250514'), 'claude-opus-4@2025-05-22');
    assert.equal(matched('claude-opus-4-1-20250805'), 'claude-opus-4-1@2025-08-05');
    assert.equal(matched('claude-3-5-haiku-latest'), 'claude-3-5-haiku@2024-11-04');
    assert.equal(matched('anthropic.claude-3-5-sonnet-20241022-v2:0', 'aws.bedrock'), 'claude-3-5-sonnet@2024-06-20');
    assert.equal(matched('publishers/google/models/gemini-2.0-flash-001', 'gcp.vertex_ai'), 'gemini-2.0-flash@2025-02-05');
  });

  it('never guesses across families or versions', () => {
    for (const model of ['gpt-4o-audio-preview', 'gpt-4o-mini-tts', 'gpt-4.5-preview', 'o3-deep-research', 'claude-4', 'gemini-2.5-flash-preview-05-20', 'mistral-large-2402', 'llama-3.3-70b']) {
      assert.equal(matched(model), null, model);
    }
  });

  it('does not price a model for a provider that does not sell it at that price', () => {
    const lookup = pricing.lookup('default', ['gpt-4o'], 'groq', AT);
    assert.equal(lookup.match, null);
    assert.match(lookup.reason ?? '', /priced for openai, azure\.ai\.openai, not for provider "groq"/);
    assert.equal(matched('gpt-4o', 'azure.ai.openai'), 'gpt-4o@2024-10-02');
  });

  it('falls back from the response model to the request model', () => {
    const lookup = pricing.lookup('default', ['my-deployment-name', 'gpt-4o-mini'], null, AT);
    assert.equal(lookup.match?.entry.id, 'gpt-4o-mini');
  });
});

describe('custom prices', () => {
  const custom = parsePriceTable(
    {
      version: 'acme-2025-11',
      projects: ['acme'],
      models: [
        { id: 'gpt-4o', providers: ['openai'], prices: { input: 1, output: 2, cacheRead: 0.5 } },
        { id: 'acme-llama-70b', prices: { input: 0.5, output: 0.5 } },
      ],
    },
    'custom',
    'acme.json',
  );
  const context = new PricingContext({ custom: [custom] });
  const span = (model: string) =>
    wireSpan({
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': model, 'gen_ai.usage.input_tokens': 1_000_000n, 'gen_ai.usage.output_tokens': 1_000_000n },
    });

  it('win over the bundled table for their project, with their own version in the provenance', () => {
    const record = normalizeSpan(span('gpt-4o-2024-08-06'), { ...CONTEXT, projectId: 'acme', pricing: context });
    assert.equal(record.costUsd, 3);
    assert.deepEqual(record.costProvenance, { source: 'custom', priceTableVersion: 'acme-2025-11', priceId: 'gpt-4o@1970-01-01', tier: null });
    const ownModel = normalizeSpan(span('acme-llama-70b'), { ...CONTEXT, projectId: 'acme', pricing: context });
    assert.equal(ownModel.costUsd, 1);
    assert.equal(explainCost(ownModel, context)?.price?.tableOrigin, 'custom');
  });

  it('leave other projects on the bundled prices', () => {
    const record = normalizeSpan(span('gpt-4o-2024-08-06'), { ...CONTEXT, pricing: context });
    assert.equal(record.costProvenance?.source, 'table');
    assert.equal(record.costUsd, 12.5);
  });

  it('are checked when loaded, naming the bad field', () => {
    assert.throws(
      () => parsePriceTable({ version: 'x', models: [{ id: 'm', prices: { input: -1 } }] }, 'custom', 'prices.json'),
      (error: Error) => error instanceof PriceTableError && /prices\.json: models\[0\]\.prices\.input must be a number ≥ 0/.test(error.message),
    );
    assert.throws(() => parsePriceTable({ version: 'x', models: [{ id: 'm', prices: { inputs: 1 } }] }, 'custom', 'p.json'), /inputs is not a token class/);
    assert.throws(() => parsePriceTable({ models: [] }, 'custom', 'p.json'), /version must be a non-empty string/);
  });
});

describe('project prices (setProjectPrices)', () => {
  const span = (model: string) =>
    wireSpan({ attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': model, 'gen_ai.usage.input_tokens': 1_000_000n } });
  const own = parsePriceTable({ version: 'acme-own', models: [{ id: 'gpt-4o-mini', prices: { input: 0.1 } }] }, 'custom', 'acme.json');

  it('win for their project only, and stop applying when removed', () => {
    const context = new PricingContext();
    context.setProjectPrices('acme', own);
    const priced = normalizeSpan(span('gpt-4o-mini'), { ...CONTEXT, projectId: 'acme', pricing: context });
    assert.deepEqual([priced.costUsd, priced.costProvenance?.source, priced.costProvenance?.priceTableVersion], [0.1, 'custom', 'acme-own']);
    assert.equal(normalizeSpan(span('gpt-4o-mini'), { ...CONTEXT, projectId: 'other', pricing: context }).costProvenance?.source, 'table');
    assert.deepEqual(context.tablesFor('acme').map((table) => table.version), ['acme-own', BUNDLED_PRICE_TABLE.version]);
    context.setProjectPrices('acme', null);
    assert.equal(normalizeSpan(span('gpt-4o-mini'), { ...CONTEXT, projectId: 'acme', pricing: context }).costProvenance?.source, 'table');
  });
});

describe('bundled price table provenance', () => {
  it('every entry says where its price was read, or that it could not be verified', () => {
    for (const entry of BUNDLED_PRICE_TABLE.entries) {
      assert.ok(entry.source !== null && (entry.source.startsWith('unverified') || /https:\/\//.test(entry.source)), `${entry.priceId}: ${entry.source}`);
    }
  });
});

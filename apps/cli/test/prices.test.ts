// `cairn prices` and `cairn renormalize` against the proposed store additions. The stores do not
// implement them yet, so the rewrite commands run here against a small in-memory implementation
// of SpanRewriteStore, with records made by the real normalizer; the real DuckDB store proves
// the "not supported yet" path.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { AttributeMap, WireSpan } from '@cairn/model';
import { BUNDLED_PRICE_TABLE, normalizeSpan, PricingContext } from '@cairn/semantic';
import type { StoredSpan, TraceStore } from '@cairn/storage';
import { formatPriceList, formatPriceShow, prices, recomputeCosts } from '../src/commands/prices.js';
import { renormalizeSpans } from '../src/commands/renormalize.js';
import { openConfiguredStore } from '../src/open-store.js';
import { loadPricesFile } from '../src/prices-file.js';
import type { CommandIo } from '../src/rewrite-options.js';
import { parseSince } from '../src/since-option.js';
import type { SpanRewriteStore, SpanScanQuery } from '../src/span-rewrite-store.js';

const START = BigInt(Date.parse('2025-11-20T12:00:00Z')) * 1_000_000n;

function wire(spanId: string, attributes: AttributeMap): WireSpan {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId,
    parentSpanId: null,
    traceState: '',
    flags: 1,
    name: 'chat',
    kind: 3,
    startTimeUnixNano: START,
    endTimeUnixNano: START + 1_000_000_000n,
    attributes,
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 'unset', message: '' },
    resource: { attributes: { 'service.name': 'svc' }, droppedAttributesCount: 0, schemaUrl: '' },
    scope: { name: 'test', version: '', attributes: {}, schemaUrl: '' },
  };
}

function stored(span: WireSpan, pricing?: PricingContext): StoredSpan {
  const { input: _input, output: _output, ...record } = normalizeSpan(span, { projectId: 'default', receivedUnixNano: START, pricing });
  return record;
}

/** SpanRewriteStore over an array, with the semantics the proposal gives the real stores. */
class MemoryRewriteStore implements SpanRewriteStore {
  readonly writes: StoredSpan[][] = [];
  constructor(readonly spans: StoredSpan[], readonly versions = new Map<string, number>()) {}
  async *scanSpans(query: SpanScanQuery): AsyncIterable<StoredSpan[]> {
    const matching = this.spans.filter(
      (span) =>
        (query.projectId === undefined || span.projectId === query.projectId) &&
        span.startTimeUnixNano >= query.fromUnixNano &&
        span.startTimeUnixNano < query.toUnixNano &&
        (query.spanTypes === undefined || query.spanTypes.includes(span.spanType)) &&
        (query.normalizerVersionBelow === undefined || (this.versions.get(span.spanId) ?? 0) < query.normalizerVersionBelow),
    );
    for (let index = 0; index < matching.length; index += query.batchSize) yield matching.slice(index, index + query.batchSize);
  }
  async updateSpanSemantics(spans: StoredSpan[], normalizerVersion: number): Promise<{ updated: number }> {
    this.writes.push(spans);
    for (const span of spans) {
      const index = this.spans.findIndex((candidate) => candidate.spanId === span.spanId);
      this.spans[index] = span;
      this.versions.set(span.spanId, normalizerVersion);
    }
    return { updated: spans.length };
  }
}

const GPT_4O = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 1_000_000n, 'gen_ai.usage.output_tokens': 100_000n };

async function customPricesFile(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cairn-prices-'));
  const file = path.join(dir, 'prices.json');
  await fs.writeFile(file, JSON.stringify({ version: 'negotiated-1', models: [{ id: 'gpt-4o', providers: ['openai'], prices: { input: 1, output: 4 } }] }));
  return file;
}

describe('cairn prices list / show', () => {
  it('lists every bundled price with its date, and tiers under their model', () => {
    const text = formatPriceList(BUNDLED_PRICE_TABLE);
    assert.match(text, /version 2025\.11\.1/);
    assert.match(text, /\ngpt-4o-mini\s+2024-07-18\s+0\.15\s+0\.075\s+-\s+-\s+0\.6\s/);
    assert.match(text, /\ngemini-2\.5-pro .*\n {2}> 200000 prompt tokens\s+2\.5\s+0\.25/);
  });

  it('shows how a dated snapshot matched and the model price history', () => {
    const shown = formatPriceShow(new PricingContext(), 'claude-sonnet-4-20250514', { provider: 'anthropic', atUnixNano: START, projectId: 'default' });
    assert.equal(shown.found, true);
    assert.match(shown.output, /claude-sonnet-4-20250514 → claude-sonnet-4 \(snapshot match\)/);
    assert.match(shown.output, /over 200000 prompt tokens \(over_200k_input\): input \$6/);
    assert.match(shown.output, /reported apart from input tokens/);
    const unknown = formatPriceShow(new PricingContext(), 'gpt-4o-mini-tts', { provider: null, atUnixNano: START, projectId: 'default' });
    assert.equal(unknown.found, false);
  });

  it('reads a custom price file and names the bad field of a broken one', async () => {
    const file = await customPricesFile();
    assert.equal((await loadPricesFile(file)).version, 'negotiated-1');
    await fs.writeFile(file, JSON.stringify({ version: 'x', models: [{ id: 'm', prices: { output: 'cheap' } }] }));
    await assert.rejects(loadPricesFile(file), /models\[0\]\.prices\.output must be a number/);
    await assert.rejects(loadPricesFile(path.join(path.dirname(file), 'missing.json')), /cannot read \(ENOENT\)/);
  });
});

describe('cairn prices recompute', () => {
  it('reprices stored model calls with new prices, keeps app-given costs, and writes only changes', async () => {
    const store = new MemoryRewriteStore([
      stored(wire('1111111111111111', GPT_4O)),
      stored(wire('2222222222222222', { ...GPT_4O, 'gen_ai.usage.cost': 0.5 })),
      stored(wire('3333333333333333', { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 5n })),
    ]);
    assert.equal(store.spans[0]!.costUsd, 2.5 + 1);
    const pricing = new PricingContext({ custom: [await loadPricesFile(await customPricesFile())] });

    const dryRun = await recomputeCosts(store, { fromUnixNano: 0n, toUnixNano: START + 1n, pricing, dryRun: true });
    assert.equal(dryRun.changed, 1);
    assert.equal(store.writes.length, 0, 'a dry run writes nothing');

    const summary = await recomputeCosts(store, { fromUnixNano: 0n, toUnixNano: START + 1n, pricing, dryRun: false });
    assert.deepEqual({ scanned: summary.scanned, changed: summary.changed, updated: summary.updated }, { scanned: 2, changed: 1, updated: 1 });
    assert.deepEqual(summary.bySource, { custom: 1, app: 1 });
    assert.equal(store.spans[0]!.costUsd, 1 + 0.4);
    assert.deepEqual(store.spans[0]!.costProvenance, { source: 'custom', priceTableVersion: 'negotiated-1', priceId: 'gpt-4o@1970-01-01', tier: null });
    assert.equal(store.spans[1]!.costUsd, 0.5, "the app's own amount is kept");
    assert.equal(store.spans[2]!.costUsd, null, 'the agent wrapper stays uncounted');

    const again = await recomputeCosts(store, { fromUnixNano: 0n, toUnixNano: START + 1n, pricing, dryRun: false });
    assert.equal(again.changed, 0, 'recomputing twice changes nothing');
  });

  it('only touches spans in the --since window', async () => {
    const store = new MemoryRewriteStore([stored(wire('1111111111111111', GPT_4O))]);
    const pricing = new PricingContext({ custom: [await loadPricesFile(await customPricesFile())] });
    const summary = await recomputeCosts(store, { fromUnixNano: START + 1n, toUnixNano: START + 10n, pricing, dryRun: false });
    assert.equal(summary.scanned, 0);
    assert.equal(store.spans[0]!.costUsd, 3.5);
  });

  it('parses --since as a date, a time or an age', () => {
    const now = Date.parse('2025-11-20T12:00:00Z');
    assert.equal(parseSince('7d', now), BigInt(now - 7 * 86_400_000) * 1_000_000n);
    assert.equal(parseSince('2025-06-10', now), BigInt(Date.parse('2025-06-10T00:00:00Z')) * 1_000_000n);
    assert.throws(() => parseSince('last week', now), /--since "last week": must be a date/);
  });

  it('says the DuckDB store does not support it yet instead of doing half the work', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cairn-recompute-'));
    const output: string[] = [];
    let opened: TraceStore | undefined;
    const io: CommandIo = {
      stdout: (text) => output.push(text),
      stderr: (text) => output.push(text),
      env: {},
      nowMillis: Date.now(),
      openStore: async (config) => (opened = await openConfiguredStore(config)),
    };
    try {
      await assert.rejects(prices(['recompute', '--since', '7d', '--data-dir', dataDir], io), (error: Error) => {
        assert.equal(error.name, 'StoreLacksSpanRewriteError');
        assert.match(error.message, /cairn prices recompute is not supported by this store yet: duckdb/);
        return true;
      });
      assert.ok(opened !== undefined);
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('cairn renormalize', () => {
  it('re-derives the semantics of spans stored by an older normalizer from their raw attributes', async () => {
    const fresh = stored(wire('1111111111111111', GPT_4O));
    // What an older normalizer stored: no type, no model, no cost.
    const old: StoredSpan = { ...fresh, spanType: 'other', model: null, requestModel: null, costUsd: null, costProvenance: undefined, dialects: [] };
    const store = new MemoryRewriteStore([old]);
    const summary = await renormalizeSpans(store, { fromUnixNano: 0n, toUnixNano: START + 1n, pricing: new PricingContext(), dryRun: false, all: false });
    assert.deepEqual(summary, { scanned: 1, changed: 1, updated: 1 });
    assert.equal(store.spans[0]!.spanType, 'llm');
    assert.equal(store.spans[0]!.costUsd, 3.5);
    assert.equal(store.spans[0]!.attributes, old.attributes, 'raw attributes are passed through untouched');

    const again = await renormalizeSpans(store, { fromUnixNano: 0n, toUnixNano: START + 1n, pricing: new PricingContext(), dryRun: false, all: true });
    assert.deepEqual(again, { scanned: 1, changed: 0, updated: 0 });
  });
});

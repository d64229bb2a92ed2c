// `cairn prices recompute` and `cairn renormalize` run as commands against a real DuckDB store in
// a temp dir: spans normalized by the real normalizer, written, rewritten, read back through the
// store's trace list and span reads.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { AttributeMap, WireSpan } from '@cairn/model';
import { NORMALIZER_VERSION, normalizeSpan, parsePriceTable, PricingContext } from '@cairn/semantic';
import type { StoredSpan, TraceStore } from '@cairn/storage';
import { openDuckDbStore } from '@cairn/storage-duckdb';
import { prices } from '../src/commands/prices.js';
import { renormalize } from '../src/commands/renormalize.js';
import { openConfiguredStore } from '../src/open-store.js';
import type { CommandIo } from '../src/rewrite-options.js';

const START = BigInt(Date.parse('2025-11-20T12:00:00Z')) * 1_000_000n;
const NOW_MILLIS = Date.parse('2025-11-21T12:00:00Z');
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const GPT_4O: AttributeMap = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o',
  'gen_ai.usage.input_tokens': 1_000_000n,
  'gen_ai.usage.output_tokens': 100_000n,
};
/** What the spans were priced with when they were stored: gpt-4o at $1 / $4 per 1M tokens. */
const OLD_PRICES = parsePriceTable({ version: 'old-1', models: [{ id: 'gpt-4o', providers: ['openai'], prices: { input: 1, output: 4 } }] }, 'custom', 'old.json');

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true }))));

function wire(spanId: string, parentSpanId: string | null, offsetMillis: number, attributes: AttributeMap): WireSpan {
  const start = START + BigInt(offsetMillis) * 1_000_000n;
  return {
    traceId: TRACE_ID,
    spanId,
    parentSpanId,
    traceState: '',
    flags: 1,
    name: String(attributes['gen_ai.operation.name'] ?? 'step'),
    kind: 3,
    startTimeUnixNano: start,
    endTimeUnixNano: start + 1_000_000_000n,
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

/** An agent turn around two gpt-4o calls and one call whose cost the app sent. */
function agentTrace(): WireSpan[] {
  return [
    wire('a000000000000001', null, 0, { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'planner', 'gen_ai.usage.input_tokens': 3_000_000n }),
    wire('b000000000000001', 'a000000000000001', 10, GPT_4O),
    wire('b000000000000002', 'a000000000000001', 20, GPT_4O),
    wire('b000000000000003', 'a000000000000001', 30, { ...GPT_4O, 'gen_ai.usage.cost': 0.5 }),
    // Langfuse marks an error the OTel status does not: renormalize must keep both statuses.
    wire('c000000000000001', 'a000000000000001', 40, { 'langfuse.observation.type': 'span', 'langfuse.observation.level': 'ERROR', 'langfuse.observation.status_message': 'quota' }),
  ];
}

async function storeWith(spans: WireSpan[], pricing: PricingContext): Promise<string> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cairn-rewrite-'));
  dirs.push(dataDir);
  const store = await openDuckDbStore({ dataDir });
  try {
    const records = spans.map((span) => normalizeSpan(span, { projectId: 'default', receivedUnixNano: START, pricing }));
    assert.equal((await store.write({ spans: records, events: [] })).accepted, spans.length);
  } finally {
    await store.close();
  }
  return dataDir;
}

async function run(command: (args: string[], io: CommandIo) => Promise<number>, args: string[]): Promise<string> {
  const output: string[] = [];
  const io: CommandIo = { stdout: (text) => output.push(text), stderr: (text) => output.push(text), env: {}, nowMillis: NOW_MILLIS, openStore: openConfiguredStore };
  assert.equal(await command(args, io), 0, output.join(''));
  return output.join('');
}

async function withStore<T>(dataDir: string, body: (store: TraceStore) => Promise<T>): Promise<T> {
  const store = await openDuckDbStore({ dataDir });
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

async function listedTrace(store: TraceStore) {
  const page = await store.listTraces({ projectId: 'default', fromUnixNano: START - 1n, toUnixNano: START + 60_000_000_000n, sort: { field: 'startTime', descending: true }, limit: 10 });
  assert.equal(page.items.length, 1);
  return page.items[0]!;
}

async function storedSpans(store: TraceStore): Promise<Map<string, StoredSpan>> {
  const trace = await store.getTrace('default', TRACE_ID);
  return new Map((trace?.spans ?? []).map((span) => [span.spanId, span]));
}

describe('cairn prices recompute (DuckDB store)', () => {
  it('gives spans stored with an old price table the current cost, trace total included, and keeps app costs', async () => {
    const dataDir = await storeWith(agentTrace(), new PricingContext({ custom: [OLD_PRICES] }));
    await withStore(dataDir, async (store) => {
      assert.equal((await listedTrace(store)).costUsd, 1.4 + 1.4 + 0.5);
      assert.equal((await storedSpans(store)).get('b000000000000001')?.costProvenance?.priceTableVersion, 'old-1');
    });

    const dryRun = await run(prices, ['recompute', '--since', '2025-11-20', '--data-dir', dataDir, '--dry-run']);
    assert.match(dryRun, /cost changed: +2 \(dry run: nothing written\)/);
    await withStore(dataDir, async (store) => assert.equal((await listedTrace(store)).costUsd, 3.3, 'a dry run writes nothing'));

    const output = await run(prices, ['recompute', '--since', '2025-11-20', '--data-dir', dataDir]);
    assert.match(output, /model calls scanned: 3 \(table 2, app 1\)/);
    assert.match(output, /cost changed: +2, 2 updated/);
    assert.match(output, /total cost: +\$3\.300000 → \$7\.500000/);
    await withStore(dataDir, async (store) => {
      // Bundled gpt-4o: $2.50 / $10 per 1M tokens → 2.5 + 1.0 per call.
      const listed = await listedTrace(store);
      assert.equal(listed.costUsd, 3.5 + 3.5 + 0.5);
      assert.equal(listed.inputTokens, 3_000_000, 'the agent wrapper still counts nothing');
      assert.deepEqual((await store.getTrace('default', TRACE_ID))?.summary, listed);
      const spans = await storedSpans(store);
      const call = spans.get('b000000000000001')!;
      assert.equal(call.costUsd, 3.5);
      assert.equal(call.costProvenance?.source, 'table');
      assert.notEqual(call.costProvenance?.priceTableVersion, 'old-1');
      assert.equal(spans.get('b000000000000003')?.costUsd, 0.5, "the app's own amount is kept");
      assert.deepEqual(call.attributes, GPT_4O, 'raw attributes untouched');
    });

    const again = await run(prices, ['recompute', '--since', '2025-11-20', '--data-dir', dataDir]);
    assert.match(again, /cost changed: +0, 0 updated/);
  });

  it('leaves spans outside the --since/--until window alone', async () => {
    const dataDir = await storeWith(agentTrace(), new PricingContext({ custom: [OLD_PRICES] }));
    const output = await run(prices, ['recompute', '--since', '2025-11-20T12:00:01Z', '--data-dir', dataDir]);
    assert.match(output, /model calls scanned: 0/);
    await withStore(dataDir, async (store) => assert.equal((await listedTrace(store)).costUsd, 3.3));
  });
});

describe('cairn renormalize (DuckDB store)', () => {
  it('re-derives spans stored by an older normalizer from their raw attributes, once', async () => {
    const dataDir = await storeWith(agentTrace(), new PricingContext());
    // What an older normalizer left behind: nothing recognised, nothing priced (version 1).
    await withStore(dataDir, async (store) => {
      const old = [...(await storedSpans(store)).values()].map(
        (span): StoredSpan => ({ ...span, spanType: 'other', model: null, requestModel: null, provider: null, usage: { ...span.usage, inputTokens: 0, outputTokens: 0 }, hasUsage: false, costUsd: null, costProvenance: null, dialects: [] }),
      );
      assert.deepEqual(await store.updateSpanSemantics(old, 1), { updated: 5 });
      const listed = await listedTrace(store);
      assert.deepEqual([listed.llmCallCount, listed.costUsd, listed.models], [0, 0, []]);
    });

    const output = await run(renormalize, ['--data-dir', dataDir]);
    assert.match(output, new RegExp(`spans scanned: 5\\nre-normalized to version ${NORMALIZER_VERSION}: 5, 5 updated`));
    await withStore(dataDir, async (store) => {
      const listed = await listedTrace(store);
      assert.deepEqual([listed.llmCallCount, listed.costUsd, listed.inputTokens, listed.models], [3, 7.5, 3_000_000, ['gpt-4o']]);
      assert.equal(listed.errorCount, 1);
      const spans = await storedSpans(store);
      assert.equal(spans.get('b000000000000002')?.spanType, 'llm');
      assert.equal(spans.get('a000000000000001')?.spanType, 'agent');
      assert.deepEqual(spans.get('c000000000000001')?.rawStatus, { code: 'unset', message: '' });
      const stale = [];
      for await (const batch of store.scanSpans({ fromUnixNano: 0n, toUnixNano: START * 2n, normalizerVersionBelow: NORMALIZER_VERSION, batchSize: 100 })) stale.push(...batch);
      assert.deepEqual(stale, [], 'every span is at the current version');
    });

    assert.match(await run(renormalize, ['--data-dir', dataDir]), /spans scanned: 0\n/);
    // --all re-runs the current normalizer over everything: nothing differs, nothing is written.
    assert.match(await run(renormalize, ['--data-dir', dataDir, '--all']), new RegExp(`spans scanned: 5\\nre-normalized to version ${NORMALIZER_VERSION}: 0, 0 updated`));
  });
});

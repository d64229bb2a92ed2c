// DuckDB specifics of the semantic columns beyond the conformance suite: a store written before
// they existed opens, its spans read without the fields they never had, renormalize's scan finds
// them, and updates and new writes work on it.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { StoredSpan } from '@cairn/storage';
import { buildAgentTrace, NS_PER_HOUR, T0 } from '@cairn/storage/conformance';
import { openDuckDbStore } from '../src/index.js';
import { rewriteClosedStore, WITHOUT_TRACE_KEY } from './support/older-store.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('DuckDB store made before the semantic columns', () => {
  it('opens, reads old spans without the new fields, and lets renormalize find and update them', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-duckdb-old-'));
    dirs.push(dataDir);
    const spans = buildAgentTrace({ startUnixNano: T0, llmCalls: 2 });
    const [root, llm] = [spans[0]!, spans[1]!];
    const first = await openDuckDbStore({ dataDir });
    await first.write({ spans: spans.slice(0, 2), events: [] });
    await first.close();
    // Back to the table an earlier Cairn wrote: no semantics / normalizer_version columns
    // (call_agent and trace_key came later still: an earlier table has none of them).
    await rewriteClosedStore(dataDir, [
      ...WITHOUT_TRACE_KEY,
      'ALTER TABLE spans DROP COLUMN call_agent',
      'ALTER TABLE spans DROP COLUMN semantics',
      'ALTER TABLE spans DROP COLUMN normalizer_version',
    ]);

    const store = await openDuckDbStore({ dataDir });
    try {
      const { input: _input, output: _output, ...stored } = llm;
      assert.deepEqual(await store.getSpan('default', llm.traceId, llm.spanId), llm);
      const found: StoredSpan[] = [];
      for await (const batch of store.scanSpans({ fromUnixNano: T0 - NS_PER_HOUR, toUnixNano: T0 + NS_PER_HOUR, normalizerVersionBelow: 1, batchSize: 10 })) found.push(...batch);
      assert.deepEqual(found.map((span) => span.spanId), [root.spanId, llm.spanId]);
      assert.deepEqual(await store.updateSpanSemantics([{ ...stored, finishReasons: ['stop'], costUsd: 1 }], 3), { updated: 1 });
      await store.write({ spans: spans.slice(2), events: [] });
      const trace = await store.getTrace('default', llm.traceId);
      assert.equal(trace?.spans.length, spans.length);
      assert.deepEqual(trace?.spans.find((span) => span.spanId === llm.spanId)?.finishReasons, ['stop']);
      assert.equal(trace?.summary.costUsd, 1 + 0.0001194);
    } finally {
      await store.close();
    }
  });
});

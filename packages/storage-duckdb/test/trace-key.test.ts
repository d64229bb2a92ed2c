// The trace_key column (trace-key.ts): a trace's lookups compare its id's last 8 hex digits before
// the id itself. Traces that share those digits stay apart, and a store written before the column
// existed keeps answering for its old spans (NULL keys) while its new ones are keyed.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { SpanRecord } from '@cairn/model';
import type { TraceStore } from '@cairn/storage';
import { buildAgentTrace, NS_PER_HOUR, T0 } from '@cairn/storage/conformance';
import { DATABASE_FILE_NAME, openDuckDbStore } from '../src/index.js';
import { rewriteClosedStore, WITHOUT_TRACE_KEY } from './support/older-store.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function newDataDir(): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-duckdb-trace-key-'));
  dirs.push(dataDir);
  return dataDir;
}

const spanIds = (spans: readonly { spanId: string }[]) => spans.map((span) => span.spanId).sort();

/** What a user reads of a trace: every span of it, in the full and tree views, and each span alone. */
async function assertTraceReads(store: TraceStore, spans: readonly SpanRecord[]): Promise<void> {
  const traceId = spans[0]!.traceId;
  const full = await store.getTrace('default', traceId);
  assert.deepEqual(spanIds(full?.spans ?? []), spanIds(spans), `trace ${traceId}: its spans, and no other trace's`);
  assert.equal(full?.summary.spanCount, spans.length);
  const tree = await store.getTrace('default', traceId, { view: 'tree' });
  assert.deepEqual(spanIds(tree?.spans ?? []), spanIds(spans));
  for (const span of [spans[0]!, spans.at(-1)!]) {
    assert.equal((await store.getSpan('default', traceId, span.spanId))?.name, span.name, `span ${span.spanId} of trace ${traceId}`);
  }
  const [many] = (await store.getTraces?.('default', [traceId])) ?? [full];
  assert.deepEqual(spanIds(many?.spans ?? []), spanIds(spans));
}

describe('DuckDB trace_key', () => {
  it('keeps traces apart whose ids end in the same 8 hex digits', async () => {
    const store = await openDuckDbStore({ dataDir: await newDataDir() });
    try {
      const ending = '9abcdef0';
      const traces = ['0123456789abcdef01234567', 'fedcba9876543210fedcba98', '0123456789abcdef01234568'].map((head, index) =>
        buildAgentTrace({ traceId: head + ending, startUnixNano: T0 + BigInt(index) * 1_000_000n, llmCalls: index + 1 }),
      );
      // Together in one write, and each in a write of its own: one batch and several.
      await store.write({ spans: traces.flatMap((spans) => spans.slice(0, 1)), events: [] });
      for (const spans of traces) await store.write({ spans: spans.slice(1), events: [] });
      for (const spans of traces) await assertTraceReads(store, spans);
      assert.equal(await store.getSpan('default', traces[0]![0]!.traceId, traces[1]![0]!.spanId), null, "another trace's span is not found under this id");
      const listed = await store.listTraces({ projectId: 'default', fromUnixNano: T0 - NS_PER_HOUR, toUnixNano: T0 + NS_PER_HOUR, limit: 10, sort: { field: 'startTime', descending: true } });
      assert.deepEqual(
        listed.items.map((summary) => [summary.traceId, summary.spanCount]).sort(),
        traces.map((spans) => [spans[0]!.traceId, spans.length]).sort(),
      );
    } finally {
      await store.close();
    }
  });

  it('reads the spans of a store written before the column, and keys what is written after', async () => {
    const dataDir = await newDataDir();
    const old = buildAgentTrace({ startUnixNano: T0, llmCalls: 2 });
    const first = await openDuckDbStore({ dataDir });
    await first.write({ spans: old.slice(0, 2), events: [] });
    await first.close();
    // Back to the tables an earlier Cairn wrote: no trace_key, nothing recorded about it.
    await rewriteClosedStore(dataDir, WITHOUT_TRACE_KEY);

    const fresh = buildAgentTrace({ startUnixNano: T0 + 1_000_000n, llmCalls: 2 });
    let store = await openDuckDbStore({ dataDir });
    try {
      await assertTraceReads(store, old.slice(0, 2));
      // The old trace's later spans land in keyed batches; the trace spans both kinds of rows.
      await store.write({ spans: [...old.slice(2), ...fresh], events: [] });
      await assertTraceReads(store, old);
      await assertTraceReads(store, fresh);
      await store.close();
      // Opened again, the store remembers where its keyed batches begin.
      store = await openDuckDbStore({ dataDir });
      await assertTraceReads(store, old);
      await assertTraceReads(store, fresh);
    } finally {
      await store.close();
    }
    const check = await DuckDBInstance.create(join(dataDir, DATABASE_FILE_NAME));
    const checkConnection = await check.connect();
    try {
      const rows = (await checkConnection.runAndReadAll(`SELECT count(*) FILTER (WHERE trace_key IS NULL), count(*) FROM spans`)).getRows();
      assert.deepEqual(rows, [[2n, BigInt(old.length + fresh.length)]], 'the old rows keep NULL keys, every new row has its key');
      const parts = (await checkConnection.runAndReadAll(`SELECT count(*) FROM trace_parts WHERE trace_key IS NULL`)).getRows();
      assert.deepEqual(parts, [[0n]], 'the old trace_parts rows got their keys at open');
    } finally {
      checkConnection.closeSync();
      check.closeSync();
    }
  });
});

// The writer's filter of stored trace ids grows with the store (known-traces-filter.ts): a store
// that outgrows the filter's size gets a larger one loaded in the background, and one opened with
// many parts gets a filter sized for them. Dedupe stays exact throughout, also for traces written
// while a larger filter loads.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { SpanRecord } from '@cairn/model';
import type { TraceStore } from '@cairn/storage';
import { buildSpanRecord, nextTraceId, T0 } from '@cairn/storage/conformance';
import { openDuckDbStore } from '../src/index.js';
import type { DuckDbTraceStore } from '../src/internal/duckdb-trace-store.js';
import type { KnownTracesState } from '../src/internal/worker-protocol.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

const SECOND = 1_000_000_000n;
/** The filter's first size: 500 ids round up to 512 (16 bits each, a power of two). */
const FIRST_IDS = 500;
const TRACES_PER_WRITE = 100;
const WRITES = 24;

/** A write of TRACES_PER_WRITE new traces of two spans each. */
function traceWrite(number: number): SpanRecord[] {
  const spans: SpanRecord[] = [];
  for (let trace = 0; trace < TRACES_PER_WRITE; trace++) {
    const traceId = nextTraceId();
    const start = T0 + BigInt(number * TRACES_PER_WRITE + trace) * SECOND;
    spans.push(buildSpanRecord({ traceId, spanType: 'chain', name: 'root', startTimeUnixNano: start, endTimeUnixNano: start + SECOND }));
    spans.push(buildSpanRecord({ traceId, spanType: 'tool', name: 'step', startTimeUnixNano: start + 1_000n, endTimeUnixNano: start + 2_000n }));
  }
  return spans;
}

/** The filter's state once no load is under way (bounded: 200 polls, 25 ms apart). */
async function settledFilter(store: TraceStore): Promise<KnownTracesState> {
  for (let poll = 0; poll < 200; poll++) {
    const state = await (store as DuckDbTraceStore).knownTracesState();
    if (!state.loading && state.capacity !== 0) return state;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the known-traces filter did not finish loading within 5 s');
}

describe('DuckDB known-traces filter', () => {
  it('grows past its first size as traces are written, and dedupe stays exact', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-duckdb-known-'));
    dirs.push(dataDir);
    let store = await openDuckDbStore({ dataDir, knownTraceIds: FIRST_IDS });
    try {
      const first = await settledFilter(store);
      assert.equal(first.capacity, 512);
      const writes = Array.from({ length: WRITES }, (_, number) => traceWrite(number));
      // Half one by one; the rest all at once, so some are written while a larger filter loads.
      for (const spans of writes.slice(0, WRITES / 2)) assert.equal((await store.write({ spans, events: [] })).accepted, spans.length);
      const results = await Promise.all(writes.slice(WRITES / 2).map((spans) => store.write({ spans, events: [] })));
      assert.ok(results.every((result, index) => result.accepted === writes[WRITES / 2 + index]!.length));

      const traces = WRITES * TRACES_PER_WRITE;
      const grown = await settledFilter(store);
      assert.ok(grown.capacity === null || grown.capacity >= traces, `the filter grew to hold the ${traces} traces written (sized for ${grown.capacity})`);
      assert.ok(grown.size >= traces, `it holds every trace written (${grown.size} ids)`);
      // Every export retried: all of it already stored, whichever filter saw which trace.
      for (const spans of writes) assert.deepEqual(await store.write({ spans, events: [] }).then((r) => [r.accepted, r.deduplicated]), [0, spans.length]);
      assert.equal((await store.stats()).spanCount, traces * 2);

      // Opened again: sized for twice the parts stored (one per trace here) from the start.
      await store.close();
      store = await openDuckDbStore({ dataDir, knownTraceIds: FIRST_IDS });
      const reopened = await settledFilter(store);
      assert.ok(reopened.capacity === null || reopened.capacity >= 2 * traces, `sized for twice the ${traces} parts at open (${reopened.capacity})`);
      for (const spans of writes.slice(0, 3)) assert.equal((await store.write({ spans, events: [] })).deduplicated, spans.length);
      const fresh = traceWrite(WRITES);
      assert.equal((await store.write({ spans: fresh, events: [] })).accepted, fresh.length);
      assert.equal((await store.stats()).spanCount, traces * 2 + fresh.length);
    } finally {
      await store.close();
    }
  });
});

// Dedupe across writes with the writer's windows of recently written traces
// (recent-trace-windows.ts): a trace whose spans arrive over several writes, with retries among
// them, is stored once per span whether its window comes from memory, from trace_parts (none
// kept, or the trace dropped past the capacity) or from both; many traces are asked of
// trace_parts by their trace_key first (batch-write.ts withStoredKeys).

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { SpanRecord } from '@cairn/model';
import { buildSpanRecord, nextTraceId, T0 } from '@cairn/storage/conformance';
import { openDuckDbStore } from '../src/index.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

const SECOND = 1_000_000_000n;

function spanOf(traceId: string, startSeconds: bigint): SpanRecord {
  return buildSpanRecord({ traceId, spanType: 'chain', startTimeUnixNano: T0 + startSeconds * SECOND, endTimeUnixNano: T0 + startSeconds * SECOND + 1_000_000n });
}

describe('DuckDB dedupe with the windows of recent traces', () => {
  for (const recentTraceWindows of [0, 1, undefined]) {
    it(`stores each span once over writes and retries (${recentTraceWindows ?? 'default'} windows kept)`, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'cairn-duckdb-recent-'));
      dirs.push(dataDir);
      const store = await openDuckDbStore({ dataDir, recentTraceWindows });
      try {
        const [a, b, c] = [nextTraceId(), nextTraceId(), nextTraceId()];
        const a1 = spanOf(a, 10n);
        const a2 = spanOf(a, 11n);
        const a3 = spanOf(a, 12n);
        // Starts before everything stored of its trace: the trace's window must widen to find it.
        const a4 = spanOf(a, 1n);
        const b1 = spanOf(b, 20n);
        const b2 = spanOf(b, 21n);
        const c1 = spanOf(c, 30n);
        const write = async (spans: SpanRecord[]) => {
          const result = await store.write({ spans, events: [] });
          return [result.accepted, result.deduplicated];
        };
        assert.deepEqual(await write([a1, a2, b1]), [3, 0]);
        // With one window kept, c's write pushes a's and b's out: they are asked of trace_parts.
        assert.deepEqual(await write([c1]), [1, 0]);
        assert.deepEqual(await write([a2, a3]), [1, 1], 'a2 again (stored two writes ago), a3 new');
        assert.deepEqual(await write([a1, a3, b1, b2]), [1, 3], 'a1, a3 and b1 stored in different writes');
        assert.deepEqual(await write([a1, a3, b1, b2]), [0, 4], 'the same export retried');
        assert.deepEqual(await write([a4]), [1, 0]);
        assert.deepEqual(await write([a4, a1, c1]), [0, 3], 'spans from the first and the latest writes of a, and c');
        for (const [traceId, spans] of [[a, [a1, a2, a3, a4]], [b, [b1, b2]], [c, [c1]]] as const) {
          const trace = await store.getTrace('default', traceId);
          assert.deepEqual(trace?.spans.map((span) => span.spanId).sort(), spans.map((span) => span.spanId).sort());
        }
        assert.equal((await store.stats()).spanCount, 7);
      } finally {
        await store.close();
      }
    });
  }

  it('asks trace_parts about many traces by key first, and a shared key is not a stored trace', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-duckdb-recent-'));
    dirs.push(dataDir);
    // No windows kept: every trace the filter says may be stored is asked of trace_parts.
    const store = await openDuckDbStore({ dataDir, recentTraceWindows: 0 });
    try {
      const stored = Array.from({ length: 12 }, () => nextTraceId());
      const storedSpans = stored.flatMap((traceId) => [spanOf(traceId, 1n), spanOf(traceId, 2n)]);
      assert.deepEqual(await store.write({ spans: storedSpans, events: [] }).then((result) => [result.accepted, result.deduplicated]), [24, 0]);
      // Other traces with the same last 8 digits (trace_key) as stored ones: the filter, keyed
      // the same way, says they may be stored, and their key is in trace_parts.
      const sharingKeys = stored.map((traceId) => (traceId.startsWith('deadbeef') ? 'feedface' : 'deadbeef') + traceId.slice(8));
      const sharingSpans = sharingKeys.flatMap((traceId) => [spanOf(traceId, 1n), spanOf(traceId, 3n)]);
      const result = await store.write({ spans: [...storedSpans, ...sharingSpans], events: [] });
      assert.deepEqual([result.accepted, result.deduplicated], [24, 24], 'the retried spans dropped, those of the traces sharing keys kept');
      for (const [traceId, spans] of [...stored.map((id) => [id, storedSpans] as const), ...sharingKeys.map((id) => [id, sharingSpans] as const)]) {
        const trace = await store.getTrace('default', traceId);
        const expected = spans.filter((span) => span.traceId === traceId).map((span) => span.spanId);
        assert.deepEqual(trace?.spans.map((span) => span.spanId).sort(), expected.sort(), traceId);
      }
      assert.equal((await store.stats()).spanCount, 48);
    } finally {
      await store.close();
    }
  });
});

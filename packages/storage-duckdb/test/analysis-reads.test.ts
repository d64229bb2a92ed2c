// The background analyzer's bulk reads (TraceStore.getTraces, listSessionTraces,
// getSpanStructures) must answer exactly what the one-by-one reads answer: the analyzer takes
// them instead of getTrace and getSession whenever a store has them.

import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { SpanRecord } from '@cairn/model';
import type { StoredSpan, TraceDetail, TraceStore } from '@cairn/storage';
import { buildAgentTrace, buildSpanRecord } from '@cairn/storage/conformance';
import { openDuckDbStore } from '../src/index.js';

const NS_PER_MINUTE = 60_000_000_000n;
const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A span with its lazily decoded fields read, so deepEqual compares them too. */
function plain(span: StoredSpan): Record<string, unknown> {
  return { ...span, attributes: span.attributes, events: span.events, links: span.links };
}

function plainDetail(detail: TraceDetail | null): unknown {
  return detail === null ? null : { summary: detail.summary, spans: detail.spans.map(plain) };
}

async function storeWithTraces(): Promise<{ store: TraceStore; traces: Record<'a' | 'b' | 'c' | 'd', SpanRecord[]>; start: bigint }> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-analysis-reads-'));
  dirs.push(dir);
  const store = await openDuckDbStore({ dataDir: dir });
  const start = (BigInt(Date.now()) - 3_600_000n) * 1_000_000n;
  const traces = {
    a: buildAgentTrace({ startUnixNano: start, sessionId: 's-1' }),
    b: buildAgentTrace({ startUnixNano: start + 30n * NS_PER_MINUTE, sessionId: 's-1' }),
    c: buildAgentTrace({ startUnixNano: start + NS_PER_MINUTE, sessionId: 's-2' }),
    d: buildAgentTrace({ startUnixNano: start + 2n * NS_PER_MINUTE }),
  };
  // Trace a arrives in two batches, with trace d's spans written in between.
  await store.write({ spans: traces.a.slice(0, 2), events: [] });
  await store.write({ spans: [...traces.d, ...traces.c], events: [] });
  await store.write({ spans: [...traces.a.slice(2), ...traces.b], events: [] });
  // An event of b that arrived apart from its span, and a running span of c.
  const [bSpan] = traces.b;
  await store.write({ spans: [], events: [{ projectId: 'default', traceId: bSpan!.traceId, spanId: bSpan!.spanId, event: { timeUnixNano: bSpan!.startTimeUnixNano + 5n, name: 'gen_ai.user.message', attributes: { content: 'late' }, droppedAttributesCount: 0 } }] });
  const running = buildSpanRecord({ traceId: traces.c[0]!.traceId, parentSpanId: traces.c[0]!.spanId, kind: 3, spanType: 'tool', name: 'POST /lookup', startTimeUnixNano: start + NS_PER_MINUTE + 10n, sessionId: 's-2' });
  await store.write({ spans: [], events: [], liveSpans: [running] });
  return { store, traces, start };
}

describe('DuckDB bulk reads of the background analyzer', () => {
  it('getTraces answers what getTrace answers for each known id, in the order given, once each', async () => {
    const { store, traces } = await storeWithTraces();
    try {
      const ids = [traces.b[0]!.traceId, 'f'.repeat(32), traces.a[0]!.traceId, traces.c[0]!.traceId, traces.d[0]!.traceId, traces.a[0]!.traceId];
      const bulk = await store.getTraces!('default', ids);
      const expected = [];
      for (const id of [ids[0]!, ids[2]!, ids[3]!, ids[4]!]) expected.push(plainDetail(await store.getTrace('default', id)));
      assert.deepEqual(bulk.map(plainDetail), expected);
      // What the comparison covers: a trace over two batches, a detached event, a running span.
      assert.equal(bulk[1]!.spans.length, traces.a.length);
      assert.ok(bulk[0]!.spans[0]!.events.some((event) => event.name === 'gen_ai.user.message'));
      assert.ok(bulk[2]!.spans.some((span) => span.live === true));
      assert.deepEqual(await store.getTraces!('default', []), []);
      assert.deepEqual(await store.getTraces!('other-project', ids), []);
    } finally {
      await store.close();
    }
  });

  it('getSpanStructures answers the structure of the spans getTrace answers, unknown ids left out', async () => {
    const { store, traces } = await storeWithTraces();
    try {
      const ids = [traces.a[0]!.traceId, traces.c[0]!.traceId, 'e'.repeat(32)];
      const structures = await store.getSpanStructures!('default', ids);
      assert.deepEqual([...structures.keys()].sort(), ids.slice(0, 2).sort());
      for (const id of ids.slice(0, 2)) {
        const trace = await store.getTrace('default', id);
        const expected = trace!.spans.map(({ traceId, spanId, parentSpanId, name, kind, spanType, startTimeUnixNano, endTimeUnixNano }) => ({ traceId, spanId, parentSpanId, name, kind, spanType, startTimeUnixNano, endTimeUnixNano }));
        assert.deepEqual(structures.get(id), expected);
      }
    } finally {
      await store.close();
    }
  });

  it('listSessionTraces answers getSession\'s traces of the sessions that overlap the window', async () => {
    const { store, traces, start } = await storeWithTraces();
    try {
      const all = await store.listSessionTraces!({ projectId: 'default', sessionIds: ['s-1', 's-2', 's-none'], fromUnixNano: 0n, toUnixNano: 2n ** 62n });
      const expected = [...(await store.getSession('default', 's-1'))!.traces, ...(await store.getSession('default', 's-2'))!.traces].sort((x, y) =>
        x.startTimeUnixNano < y.startTimeUnixNano ? -1 : x.startTimeUnixNano > y.startTimeUnixNano ? 1 : x.traceId < y.traceId ? -1 : 1,
      );
      assert.deepEqual(all, expected);
      assert.deepEqual(all.map((trace) => trace.traceId).sort(), [traces.a, traces.b, traces.c].map((spans) => spans[0]!.traceId).sort());
      // b starts 30 minutes in: a window ending 10 minutes in leaves it out.
      const early = await store.listSessionTraces!({ projectId: 'default', sessionIds: ['s-1'], fromUnixNano: start, toUnixNano: start + 10n * NS_PER_MINUTE });
      assert.deepEqual(early.map((trace) => trace.traceId), [traces.a[0]!.traceId]);
    } finally {
      await store.close();
    }
  });
});

// Text cells reach DuckDB as UTF-8 bytes laid out by the write path itself (short cells inline in
// the vector, longer ones pointing into one string per column and data chunk, short cells of a
// column encoded together): every text must come back exactly, whatever its length around those
// thresholds, whatever characters it holds, and wherever its row falls among the chunks of 2,048
// rows a write is cut into or among the rows dedupe drops.

import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { SpanRecord } from '@cairn/model';
import type { TraceStore } from '@cairn/storage';
import { buildSpanRecord, nextTraceId } from '@cairn/storage/conformance';
import { openDuckDbStore } from '../src/index.js';

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Runs `body` on a new store in a directory of its own, and closes the store. */
async function withFreshStore(body: (store: TraceStore) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-duckdb-text-'));
  dirs.push(dir);
  const store = await openDuckDbStore({ dataDir: dir });
  try {
    await body(store);
  } finally {
    await store.close();
  }
}

/** Empty, 12 and 13 bytes (DuckDB's inline limit), 64 and 65 characters, multi-byte, emoji, a lone surrogate. */
const TEXTS = ['', 'x', 'abcdefghijkl', 'abcdefghijklm', 'ééééééé', 'éééééé', '😀😀😀', 'a'.repeat(64), 'b'.repeat(65), 'ü'.repeat(40), 'plain ascii name'];

describe('DuckDB text cells', () => {
  it('stores names, models and attributes of every length and alphabet exactly', () =>
    withFreshStore(async (store) => {
      const traceId = nextTraceId();
      // Interleaved so each column mixes short, long, ASCII and non-ASCII cells in one batch.
      const spans: SpanRecord[] = [];
      for (let index = 0; index < 60; index++) {
        const text = TEXTS[index % TEXTS.length]!;
        const other = TEXTS[(index * 7 + 3) % TEXTS.length]!;
        spans.push(buildSpanRecord({ traceId, name: text, model: other === '' ? null : other, agentName: text === '' ? null : `${text}${other}`, attributes: { note: other, [`k${index}`]: text } }));
      }
      // A lone surrogate is not valid UTF-8: stored as U+FFFD, as Buffer.from(text) would.
      spans.push(buildSpanRecord({ traceId, name: 'ab\ud800', model: '\udc00cd' }));
      await store.write({ spans, events: [] });
      const trace = await store.getTrace('default', traceId, { view: 'full' });
      assert.ok(trace);
      const byId = new Map(trace.spans.map((span) => [span.spanId, span]));
      for (const span of spans.slice(0, -1)) {
        const stored = byId.get(span.spanId);
        assert.ok(stored, `span ${span.spanId} stored`);
        assert.equal(stored.name, span.name);
        assert.equal(stored.model, span.model);
        assert.equal(stored.agentName, span.agentName);
        assert.deepEqual(stored.attributes, span.attributes);
      }
      const odd = byId.get(spans.at(-1)!.spanId)!;
      assert.equal(odd.name, 'ab\ufffd');
      assert.equal(odd.model, '\ufffdcd');
    }));

  it('stores every text exactly in writes of several data chunks, and when dedupe drops rows among them', () =>
    withFreshStore(async (store) => {
      const traceId = nextTraceId();
      // Three chunks' worth (2,048 rows each), each row's texts different from its neighbours'.
      const build = (index: number) =>
        buildSpanRecord({
          traceId,
          name: `${TEXTS[index % TEXTS.length]}#${index}`,
          model: TEXTS[(index * 7 + 3) % TEXTS.length] || null,
          attributes: { row: `${'é'.repeat(index % 17)}${index}`, note: TEXTS[(index * 5 + 1) % TEXTS.length]! },
        });
      const first = Array.from({ length: 5000 }, (_, index) => build(index));
      await store.write({ spans: first.filter((_, index) => index % 3 === 0), events: [] });
      // The spans written above come again among new ones: dedupe drops a third of the rows.
      const result = await store.write({ spans: first, events: [] });
      assert.equal(result.deduplicated, Math.ceil(5000 / 3));
      const trace = await store.getTrace('default', traceId, { view: 'full' });
      assert.ok(trace);
      assert.equal(trace.spans.length, 5000);
      const byId = new Map(trace.spans.map((span) => [span.spanId, span]));
      for (const span of first) {
        const stored = byId.get(span.spanId)!;
        assert.equal(stored.name, span.name);
        assert.equal(stored.model, span.model);
        assert.deepEqual(stored.attributes, span.attributes);
      }
    }));

  it('stores large multi-byte payloads exactly, however many of them a data chunk holds', () =>
    withFreshStore(async (store) => {
      const traceId = nextTraceId();
      // ~200 KB of two-byte characters each, odd lengths: several megabytes in one column chunk.
      const spans = Array.from({ length: 24 }, (_, index) =>
        buildSpanRecord({ traceId, name: `payload ${index}`, attributes: { 'gen_ai.prompt': `${'x'.repeat(index)}${'é'.repeat(100_000 + index * 7)}`, index } }),
      );
      await store.write({ spans, events: [] });
      for (const span of spans) {
        const stored = await store.getSpan('default', traceId, span.spanId);
        assert.ok(stored, `span ${span.spanId} stored`);
        assert.deepEqual(stored.attributes, span.attributes);
      }
    }));
});

// getTrace reads span rows as one JSON array per row (span-row.ts SPAN_JSON_SELECT) and decodes
// attributes, events and links on first access: the values a caller sees must be exactly those
// written, including the ones JSON cannot carry as numbers.

import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildEverythingSpan } from '@cairn/storage/conformance';
import { openDuckDbStore } from '../src/index.js';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('DuckDB getTrace read path', () => {
  it('returns non-finite and extreme numbers, -0 and 64-bit times exactly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-trace-read-'));
    dirs.push(dir);
    const store = await openDuckDbStore({ dataDir: dir });
    try {
      const base = buildEverythingSpan();
      const span = {
        ...base,
        receivedUnixNano: 9_223_372_036_854_775_807n,
        usage: { inputTokens: Number.POSITIVE_INFINITY, outputTokens: Number.NaN, cacheReadTokens: -0, cacheWriteTokens: 1e300, reasoningTokens: 0.1 + 0.2 },
        costUsd: Number.NEGATIVE_INFINITY,
      };
      await store.write({ spans: [span], events: [] });
      const trace = await store.getTrace(span.projectId, span.traceId);
      assert.ok(trace);
      const [read] = trace.spans;
      assert.ok(read);
      assert.equal(read.startTimeUnixNano, span.startTimeUnixNano);
      assert.equal(read.endTimeUnixNano, span.endTimeUnixNano);
      assert.equal(read.receivedUnixNano, span.receivedUnixNano);
      assert.deepEqual(read.usage, span.usage);
      assert.ok(Object.is(read.usage.cacheReadTokens, -0));
      assert.equal(read.costUsd, Number.NEGATIVE_INFINITY);
      assert.deepEqual(read.attributes, span.attributes);
      assert.deepEqual(read.events, span.events);
      assert.deepEqual(read.links, span.links);
      assert.equal(read.name, span.name);
      // Decoded once, then an ordinary property: a reassignment sticks.
      read.attributes = { replaced: true };
      assert.deepEqual({ ...read }.attributes, { replaced: true });
    } finally {
      await store.close();
    }
  });
});

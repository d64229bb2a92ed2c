// The stored attribution of model calls to agents (call-agents.ts): aggregateMetrics by agent
// gives the same rows before resolveCallAgents, after it, and after a trace changes (a late agent
// span + resetCallAgents, an updateSpanSemantics rewrite) and is resolved again.

import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SpanRecord } from '@cairn/model';
import type { TraceStore } from '@cairn/storage';
import { NS_PER_HOUR, T0 } from '@cairn/storage/conformance';
import { openDuckDbStore } from '../src/index.js';
import { byKey, call as timedCall, SECOND, span } from './support/metric-spans.js';

/** A model call costing $0.001 per input token. */
const call = (trace: SpanRecord, parent: SpanRecord | null, startSeconds: bigint, inputTokens: number, fields: Partial<SpanRecord> = {}): SpanRecord =>
  timedCall(trace, parent, startSeconds, inputTokens, { costUsd: inputTokens / 1000, ...fields });
/** Every span of the tests was received before this. */
const LATER = BigInt(Date.now() + 3_600_000) * 1_000_000n;




describe('stored model-call attribution on DuckDB', () => {
  let dir: string;
  let store: TraceStore;
  const query = { projectId: 'default', fromUnixNano: T0 - NS_PER_HOUR, toUnixNano: T0 + NS_PER_HOUR };
  const metrics = async () => store.aggregateMetrics({ ...query, groupBy: 'agent' });
  const hourly = async () => store.aggregateMetrics({ ...query, groupBy: 'agent', bucketNanos: 60n * SECOND });
  // planner [0, 10 s] ⊃ step (a chain span) [1, 9 s] ⊃ critic [3, 5 s]; another trace's agent
  // covers every call in time and must never take one.
  const planner = span(null, null, 0n, 10n, { spanType: 'agent', agentName: 'planner' });
  const step = span(planner, planner, 1n, 9n, { spanType: 'chain' });
  const critic = span(planner, step, 3n, 5n, { spanType: 'agent', agentName: 'critic' });
  const nameless = span(planner, planner, 11n, 14n, { spanType: 'agent', agentName: null });
  const intruder = span(null, null, 0n, 20n, { spanType: 'agent', agentName: 'intruder' });
  // A trace whose agent span arrives after its call was resolved.
  const lateRoot = span(null, null, 30n, 40n, { spanType: 'agent', agentName: 'late' });
  const orphan = call(lateRoot, lateRoot, 31n, 256);
  const expected = {
    critic: [1, 1],
    planner: [1, 2 + 8],
    self: [0, 4],
    intruder: [1, 0],
    '(none)': [1, 16 + 32 + 256],
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cairn-duckdb-call-agents-'));
    store = await openDuckDbStore({ dataDir: dir });
    await store.write({
      spans: [
        call(planner, step, 4n, 1), // innermost enclosing agent: critic
        call(planner, step, 6n, 2), // planner
        call(planner, step, 4n, 4, { agentName: 'self' }), // its own name wins
        call(planner, planner, 4n, 8), // its parent agent wins over the enclosing critic
        call(planner, null, 15n, 16), // no agent encloses it
        call(planner, nameless, 12n, 32), // its parent agent has no name: none
        orphan,
      ],
      events: [],
    });
    // The agents arrive in a later batch, as parents usually do.
    await store.write({ spans: [planner, step, critic, nameless, intruder], events: [] });
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the same rows before and after the calls are resolved', async () => {
    assert.deepEqual(byKey(await metrics()), expected);
    const [allBefore, hourlyBefore] = [await metrics(), await hourly()];
    assert.equal(await store.resolveCallAgents!({ receivedBeforeUnixNano: LATER }), 7);
    assert.deepEqual(await metrics(), allBefore);
    assert.deepEqual(await hourly(), hourlyBefore);
    // Only unresolved calls are touched: a second pass has nothing to do.
    assert.equal(await store.resolveCallAgents!({ receivedBeforeUnixNano: LATER }), 0);
  });

  it('leaves calls received after the watermark unresolved, and counts them the same', async () => {
    const fresh = span(null, null, 50n, 60n, { spanType: 'agent', agentName: 'fresh' });
    await store.write({ spans: [fresh, call(fresh, fresh, 51n, 512, { receivedUnixNano: LATER + SECOND })], events: [] });
    assert.equal(await store.resolveCallAgents!({ receivedBeforeUnixNano: LATER }), 0);
    assert.deepEqual(byKey(await metrics()), { ...expected, fresh: [1, 512] });
    assert.equal(await store.resolveCallAgents!({ receivedBeforeUnixNano: LATER + 2n * SECOND }), 1);
    assert.deepEqual(byKey(await metrics()), { ...expected, fresh: [1, 512] });
    Object.assign(expected, { fresh: [1, 512] });
  });

  it('attributes a call again after a late agent span, its trace reset and resolved', async () => {
    await store.write({ spans: [lateRoot], events: [] });
    await store.resetCallAgents!('default', [lateRoot.traceId]);
    const now = { ...expected, late: [1, 256], '(none)': [1, 16 + 32] };
    assert.deepEqual(byKey(await metrics()), now);
    assert.equal(await store.resolveCallAgents!({ receivedBeforeUnixNano: LATER }), 1);
    assert.deepEqual(byKey(await metrics()), now);
  });

  it('sees an updateSpanSemantics rewrite at once, and after resolving again', async () => {
    const [stored] = (await store.getTrace('default', planner.traceId))!.spans.filter((item) => item.spanId === critic.spanId);
    assert.ok(stored);
    assert.deepEqual((await store.updateSpanSemantics([{ ...stored, agentName: 'reviewer' }], 1)).updated, 1);
    const now = { ...expected, late: [1, 256], '(none)': [1, 16 + 32], reviewer: [1, 1] } as Record<string, unknown>;
    delete now.critic;
    assert.deepEqual(byKey(await metrics()), now);
    assert.ok((await store.resolveCallAgents!({ receivedBeforeUnixNano: LATER })) >= 1);
    assert.deepEqual(byKey(await metrics()), now);
  });
});

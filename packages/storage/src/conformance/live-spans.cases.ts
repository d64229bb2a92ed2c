// Live records: snapshots of spans still running (WriteBatch.liveSpans). A trace shows its
// running spans (live: true) until their finished spans arrive and replace them; the newest
// snapshot of a span wins; a snapshot arriving after its finished span changes nothing.

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { SpanRecord } from '@cairn/model';
import type { LiveSpanQuery } from '../trace-store.js';
import { buildAgentTrace, buildSpanRecord } from './span-builder.js';
import type { TraceStoreHarness } from './harness.js';
import { NS_PER_HOUR, NS_PER_MINUTE, T0, withStore } from './harness.js';

const SECOND = 1_000_000_000n;

function liveQuery(overrides: Partial<LiveSpanQuery> = {}): LiveSpanQuery {
  return { projectId: 'default', fromUnixNano: T0 - NS_PER_HOUR, toUnixNano: T0 + NS_PER_HOUR, limit: 50, ...overrides };
}

/** A snapshot of `span` taken `afterSeconds` after it started (end time = snapshot time). */
function snapshot(span: SpanRecord, afterSeconds: bigint): SpanRecord {
  return {
    ...span,
    endTimeUnixNano: span.startTimeUnixNano + afterSeconds * SECOND,
    status: { code: 'unset', message: '' },
    attributes: { ...span.attributes, 'cairn.live': true },
  };
}

export function registerLiveSpanCases(harness: TraceStoreHarness): void {
  describe('live spans', () => {
    it('shows a trace known only from a running span, with a summary built from it', () =>
      withStore(harness, async (store) => {
        const agent = buildSpanRecord({ spanType: 'agent', name: 'triage', agentName: 'triage', startTimeUnixNano: T0, serviceName: 'live-svc' });
        const result = await store.write({ spans: [], events: [], liveSpans: [snapshot(agent, 5n)] });
        assert.equal(result.accepted, 0, 'a live record is not a stored span');
        const trace = await store.getTrace('default', agent.traceId);
        assert.ok(trace, 'the live-only trace is found');
        assert.equal(trace.spans.length, 1);
        assert.equal(trace.spans[0]!.live, true);
        assert.equal(trace.spans[0]!.spanId, agent.spanId);
        assert.equal(trace.spans[0]!.endTimeUnixNano, T0 + 5n * SECOND);
        assert.equal(trace.spans[0]!.attributes['cairn.live'], true);
        assert.equal(trace.summary.rootName, 'triage');
        assert.equal(trace.summary.hasRoot, true);
        assert.equal(trace.summary.spanCount, 1);
        assert.equal(trace.summary.serviceName, 'live-svc');
        assert.deepEqual(trace.summary.agents, ['triage']);
        const span = await store.getSpan('default', agent.traceId, agent.spanId);
        assert.equal(span?.live, true, 'the running span opens like a stored one');
        assert.equal((await store.stats()).spanCount, 0);
      }));

    it('keeps the newest snapshot of a span and lists running spans newest start first', () =>
      withStore(harness, async (store) => {
        const early = buildSpanRecord({ spanType: 'tool', name: 'search', toolName: 'search', startTimeUnixNano: T0 });
        const late = buildSpanRecord({ spanType: 'llm', name: 'chat', startTimeUnixNano: T0 + NS_PER_MINUTE });
        await store.write({ spans: [], events: [], liveSpans: [snapshot(early, 30n), snapshot(late, 1n)] });
        await store.write({ spans: [], events: [], liveSpans: [snapshot(early, 2n)] });
        const listed = await store.listLiveSpans(liveQuery());
        assert.deepEqual(
          listed.map((span) => span.spanId),
          [late.spanId, early.spanId],
        );
        assert.equal(listed[1]!.endTimeUnixNano, T0 + 30n * SECOND, 'the newest snapshot wins, whatever the arrival order');
        assert.equal(listed[1]!.toolName, 'search');
        assert.ok(listed.every((span) => span.live === true));
        assert.deepEqual(
          (await store.listLiveSpans(liveQuery({ limit: 1 }))).map((span) => span.spanId),
          [late.spanId],
        );
        assert.deepEqual(await store.listLiveSpans(liveQuery({ fromUnixNano: T0 + 2n * NS_PER_MINUTE })), []);
        assert.deepEqual(await store.listLiveSpans(liveQuery({ projectId: 'other-project' })), []);
      }));

    it('replaces a running span by its finished span, also when a snapshot arrives late', () =>
      withStore(harness, async (store) => {
        const spans = buildAgentTrace({ startUnixNano: T0, llmCalls: 2 });
        const [root, llm1, tool1, llm2] = spans;
        await store.write({ spans: [llm1!, tool1!], events: [], liveSpans: [snapshot(root!, 3n), snapshot(llm2!, 1n)] });
        const running = await store.getTrace('default', root!.traceId);
        assert.ok(running);
        assert.deepEqual(
          running.spans.map((span) => [span.spanId, span.live === true]),
          [root!, llm1!, tool1!, llm2!].map((span) => [span.spanId, span === root || span === llm2]),
        );
        assert.equal(running.summary.hasRoot, true, 'the running root names the trace');
        assert.equal(running.summary.rootName, root!.name);
        assert.equal(running.summary.spanCount, 4);

        await store.write({ spans: [root!, llm2!], events: [] });
        await store.write({ spans: [], events: [], liveSpans: [snapshot(llm2!, 9n)] });
        const finished = await store.getTrace('default', root!.traceId);
        assert.ok(finished);
        assert.equal(finished.spans.length, 4);
        assert.ok(finished.spans.every((span) => span.live !== true), 'finished spans replace every snapshot');
        assert.equal(finished.summary.spanCount, 4);
        assert.equal(finished.spans.find((span) => span.spanId === llm2!.spanId)?.endTimeUnixNano, llm2!.endTimeUnixNano);
        assert.deepEqual(await store.listLiveSpans(liveQuery()), []);
        assert.notEqual((await store.getSpan('default', root!.traceId, llm2!.spanId))?.live, true);
      }));
  });
}

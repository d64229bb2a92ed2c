// Retries and out-of-order arrival: duplicates are skipped and counted, traces written in pieces
// (children first, root late or never) are summarized correctly at every step.

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { MISSING_ROOT_NAME } from '@cairn/model';
import type { TraceStore, TraceQuery } from '../trace-store.js';
import { buildAgentTrace, buildSpanRecord, nextSpanId } from './span-builder.js';
import type { TraceStoreHarness } from './harness.js';
import { NS_PER_HOUR, T0, withStore } from './harness.js';

function windowQuery(overrides: Partial<TraceQuery> = {}): TraceQuery {
  return {
    projectId: 'default',
    fromUnixNano: T0 - NS_PER_HOUR,
    toUnixNano: T0 + NS_PER_HOUR,
    sort: { field: 'startTime', descending: true },
    limit: 50,
    ...overrides,
  };
}

async function onlyTrace(store: TraceStore, traceId: string) {
  const page = await store.listTraces(windowQuery());
  const matches = page.items.filter((item) => item.traceId === traceId);
  assert.equal(matches.length, 1, 'the trace is listed exactly once');
  return matches[0]!;
}

export function registerDedupeCases(harness: TraceStoreHarness): void {
  describe('dedupe and partial traces', () => {
    it('skips spans written twice and leaves counts unchanged', () =>
      withStore(harness, async (store) => {
        const spans = buildAgentTrace({ startUnixNano: T0 });
        assert.deepEqual(await store.write({ spans, events: [] }), { accepted: 6, deduplicated: 0, eventsAccepted: 0 });
        const before = await onlyTrace(store, spans[0]!.traceId);
        assert.deepEqual(await store.write({ spans, events: [] }), { accepted: 0, deduplicated: 6, eventsAccepted: 0 });
        const after = await onlyTrace(store, spans[0]!.traceId);
        assert.deepEqual(after, before);
        assert.equal(after.spanCount, 6);
        const trace = await store.getTrace('default', spans[0]!.traceId);
        assert.equal(trace?.spans.length, 6);
        const stats = await store.stats();
        assert.equal(stats.spanCount, 6);
        assert.equal(stats.traceCount, 1);
      }));

    it('skips duplicates inside one batch and mixes new and known spans', () =>
      withStore(harness, async (store) => {
        const spans = buildAgentTrace({ startUnixNano: T0 });
        const [root, first, second] = spans;
        assert.deepEqual(await store.write({ spans: [root!, first!, root!, first!], events: [] }), {
          accepted: 2,
          deduplicated: 2,
          eventsAccepted: 0,
        });
        assert.deepEqual(await store.write({ spans: [first!, second!], events: [] }), {
          accepted: 1,
          deduplicated: 1,
          eventsAccepted: 0,
        });
        assert.equal((await onlyTrace(store, root!.traceId)).spanCount, 3);
      }));

    it('treats the same span id in another trace or project as a different span', () =>
      withStore(harness, async (store) => {
        const spanId = nextSpanId();
        const a = buildSpanRecord({ spanId, startTimeUnixNano: T0 });
        const b = buildSpanRecord({ spanId, startTimeUnixNano: T0 });
        const c = { ...a, projectId: 'other-project' };
        assert.equal((await store.write({ spans: [a, b, c], events: [] })).accepted, 3);
        assert.ok(await store.getSpan('other-project', a.traceId, spanId));
      }));

    it('summarizes a trace that arrives in pieces, children first and the root last', () =>
      withStore(harness, async (store) => {
        const spans = buildAgentTrace({ startUnixNano: T0, llmCalls: 3, sessionId: 'pieces' });
        const [root, llm1, tool1, llm2, tool2, llm3] = spans;
        const otherService = { ...llm1!, serviceName: 'early-service' };
        await store.write({ spans: [llm3!, tool2!], events: [] });
        await store.write({ spans: [otherService, tool1!, llm2!], events: [] });

        const partial = await onlyTrace(store, root!.traceId);
        assert.equal(partial.hasRoot, false);
        assert.equal(partial.rootName, MISSING_ROOT_NAME);
        assert.equal(partial.serviceName, 'early-service', 'without a root, the earliest span names the service');
        assert.equal(partial.spanCount, 5);
        assert.equal(partial.llmCallCount, 3);
        assert.equal(partial.toolCallCount, 2);
        assert.equal(partial.inputTokens, 3 * 412);
        assert.equal(partial.outputTokens, 3 * 96);
        assert.equal(partial.startTimeUnixNano, llm1!.startTimeUnixNano);
        assert.equal(partial.sessionId, 'pieces');
        const partialTrace = await store.getTrace('default', root!.traceId);
        assert.equal(partialTrace?.summary.hasRoot, false);
        assert.equal(partialTrace?.spans.length, 5);

        await store.write({ spans: [{ ...root!, serviceName: 'root-service', name: 'the root' }], events: [] });
        const full = await onlyTrace(store, root!.traceId);
        assert.equal(full.hasRoot, true);
        assert.equal(full.rootName, 'the root');
        assert.equal(full.serviceName, 'root-service');
        assert.equal(full.spanCount, 6);
        assert.equal(full.startTimeUnixNano, root!.startTimeUnixNano);
        assert.equal(full.endTimeUnixNano, root!.endTimeUnixNano);
        const fullTrace = await store.getTrace('default', root!.traceId);
        assert.deepEqual(fullTrace?.summary, full, 'getTrace and listTraces agree on the summary');
      }));
  });
}

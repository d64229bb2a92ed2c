// Retention by time: whole expired traces go with everything keyed by them (payloads, detached
// events, analyses, snapshots of running spans), nothing else does. Traces known only from
// snapshots of spans that never finished go too once they started before the cutoff.
// Times are days apart from the cutoff so a store that works in whole UTC days (ClickHouse
// partitions) must give the same answers as one that is exact (see retention-types.ts).

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { SpanRecord } from '@cairn/model';
import type { TraceFindingsRecord } from '../analytics-types.js';
import type { TraceStore } from '../trace-store.js';
import { buildAgentTrace, buildSpanRecord } from './span-builder.js';
import type { TraceStoreHarness } from './harness.js';
import { NS_PER_HOUR, T0, withStore } from './harness.js';

const NS_PER_DAY = 24n * NS_PER_HOUR;
const MS_PER_DAY = 86_400_000;

function analysis(trace: readonly SpanRecord[]): TraceFindingsRecord {
  return {
    projectId: trace[0]!.projectId,
    traceId: trace[0]!.traceId,
    traceStartUnixNano: trace[0]!.startTimeUnixNano,
    analysisVersion: 1,
    receivedThroughUnixNano: T0,
    analyzedUnixNano: T0,
    findings: [],
  };
}

/** A snapshot of a running span, taken a minute after it started. */
function live(span: SpanRecord): SpanRecord {
  return { ...span, endTimeUnixNano: span.startTimeUnixNano + 60_000_000_000n, status: { code: 'unset', message: '' }, attributes: { ...span.attributes, 'cairn.live': true } };
}

async function listedIds(store: TraceStore, projectId: string): Promise<string[]> {
  const page = await store.listTraces({
    projectId,
    fromUnixNano: T0 - 30n * NS_PER_DAY,
    toUnixNano: T0 + NS_PER_DAY,
    sort: { field: 'startTime', descending: false },
    limit: 100,
  });
  return page.items.map((item) => item.traceId);
}

export function registerRetentionCases(harness: TraceStoreHarness): void {
  describe('retention', () => {
    it('removes whole expired traces with their payloads, events and analyses, and keeps the rest', () =>
      withStore(harness, async (store) => {
        // Expired (default 3 days): a trace whose spans started on two days long ago…
        const twoDays = buildAgentTrace({ startUnixNano: T0 - 10n * NS_PER_DAY, llmCalls: 1, sessionId: 'old-session' });
        twoDays.push(buildSpanRecord({ traceId: twoDays[0]!.traceId, parentSpanId: twoDays[0]!.spanId, startTimeUnixNano: T0 - 9n * NS_PER_DAY }));
        // …and one with model-call payloads (input/output stored apart from the span row).
        const withPayloads = buildAgentTrace({ startUnixNano: T0 - 9n * NS_PER_DAY, llmCalls: 2 });
        // Kept: recent; and one that started long ago but still has a span after the cutoff.
        const recent = buildAgentTrace({ startUnixNano: T0 - NS_PER_HOUR, llmCalls: 1, sessionId: 'new-session' });
        const straddling = buildAgentTrace({ startUnixNano: T0 - 5n * NS_PER_DAY, llmCalls: 1 });
        straddling.push(buildSpanRecord({ traceId: straddling[0]!.traceId, parentSpanId: straddling[0]!.spanId, startTimeUnixNano: T0 - NS_PER_HOUR }));
        // Other projects: one kept forever, one with a shorter retention of its own.
        const forever = buildAgentTrace({ startUnixNano: T0 - 20n * NS_PER_DAY, llmCalls: 1, projectId: 'archive' });
        const shortOld = buildAgentTrace({ startUnixNano: T0 - 2n * NS_PER_DAY, llmCalls: 1, projectId: 'scratch' });
        const shortNew = buildAgentTrace({ startUnixNano: T0 - 3n * NS_PER_HOUR, llmCalls: 1, projectId: 'scratch' });
        const lateEvent = {
          projectId: 'default',
          traceId: twoDays[1]!.traceId,
          spanId: twoDays[1]!.spanId,
          event: { timeUnixNano: twoDays[1]!.startTimeUnixNano + 1_000n, name: 'late', attributes: {}, droppedAttributesCount: 0 },
        };
        // Snapshots of running spans: in an expired trace, alone in a trace that never finished
        // (long ago), and in a kept trace.
        const liveOld = live(buildSpanRecord({ traceId: twoDays[0]!.traceId, parentSpanId: twoDays[0]!.spanId, startTimeUnixNano: T0 - 9n * NS_PER_DAY }));
        const liveAlone = live(buildSpanRecord({ spanType: 'agent', startTimeUnixNano: T0 - 10n * NS_PER_DAY }));
        const liveKept = live(buildSpanRecord({ traceId: recent[0]!.traceId, parentSpanId: recent[0]!.spanId, startTimeUnixNano: T0 - NS_PER_HOUR }));
        await store.write({
          spans: [...twoDays, ...withPayloads, ...recent, ...straddling, ...forever, ...shortOld, ...shortNew],
          events: [lateEvent],
          liveSpans: [liveOld, liveAlone, liveKept],
        });
        await store.writeFindings([analysis(twoDays), analysis(recent)]);
        const before = await store.stats();

        const request = {
          defaultMaxAgeMs: 3 * MS_PER_DAY,
          projects: [
            { projectId: 'archive', maxAgeMs: null },
            { projectId: 'scratch', maxAgeMs: MS_PER_DAY },
          ],
          nowUnixNano: T0,
        };
        const removed = [twoDays, withPayloads, shortOld];
        const result = await store.applyRetention(request);
        assert.deepEqual(result, { tracesRemoved: 3, spansRemoved: removed.reduce((sum, trace) => sum + trace.length, 0) });

        for (const trace of removed) {
          assert.equal(await store.getTrace(trace[0]!.projectId, trace[0]!.traceId), null);
          assert.equal(await store.getSpan(trace[0]!.projectId, trace[0]!.traceId, trace[1]!.spanId), null);
        }
        assert.equal(await store.getFindings('default', twoDays[0]!.traceId), null, 'the analysis went with the trace');
        assert.equal(await store.getTrace('default', liveAlone.traceId), null, 'a running span that never finished goes too');
        const liveWindow = { projectId: 'default', fromUnixNano: T0 - 30n * NS_PER_DAY, toUnixNano: T0 + NS_PER_DAY, limit: 50 };
        assert.deepEqual((await store.listLiveSpans(liveWindow)).map((span) => span.spanId), [liveKept.spanId]);
        assert.ok(await store.getFindings('default', recent[0]!.traceId));
        assert.deepEqual(await listedIds(store, 'default'), [straddling[0]!.traceId, recent[0]!.traceId]);
        assert.deepEqual(await listedIds(store, 'archive'), [forever[0]!.traceId]);
        assert.deepEqual(await listedIds(store, 'scratch'), [shortNew[0]!.traceId]);
        assert.equal((await store.getTrace('default', straddling[0]!.traceId))?.spans.length, straddling.length, 'no part of a kept trace goes');
        const sessions = await store.listSessions({ projectId: 'default', fromUnixNano: T0 - 30n * NS_PER_DAY, toUnixNano: T0 + NS_PER_DAY, limit: 10 });
        assert.deepEqual(sessions.items.map((session) => session.sessionId), ['new-session']);
        const after = await store.stats();
        assert.equal(after.spanCount, before.spanCount - result.spansRemoved);
        assert.equal(after.traceCount, before.traceCount - 3);

        // Nothing is left over: the same spans sent again are new, without the old late event.
        assert.deepEqual(await store.applyRetention(request), { tracesRemoved: 0, spansRemoved: 0 });
        const again = await store.write({ spans: twoDays, events: [] });
        assert.equal(again.accepted, twoDays.length);
        const span = await store.getSpan('default', twoDays[1]!.traceId, twoDays[1]!.spanId);
        assert.deepEqual(span?.events.map((event) => event.name), twoDays[1]!.events.map((event) => event.name));
      }));

    it('keeps everything when no policy limits a project, and rejects a non-positive age', () =>
      withStore(harness, async (store) => {
        const old = buildAgentTrace({ startUnixNano: T0 - 400n * NS_PER_DAY, llmCalls: 1 });
        await store.write({ spans: old, events: [] });
        assert.deepEqual(await store.applyRetention({ defaultMaxAgeMs: null, projects: [], nowUnixNano: T0 }), { tracesRemoved: 0, spansRemoved: 0 });
        assert.deepEqual(
          await store.applyRetention({ defaultMaxAgeMs: MS_PER_DAY, projects: [{ projectId: 'default', maxAgeMs: null }], nowUnixNano: T0 }),
          { tracesRemoved: 0, spansRemoved: 0 },
        );
        assert.ok(await store.getTrace('default', old[0]!.traceId));
        await assert.rejects(store.applyRetention({ defaultMaxAgeMs: 0, projects: [], nowUnixNano: T0 }), RangeError);
        await assert.rejects(
          store.applyRetention({ defaultMaxAgeMs: null, projects: [{ projectId: 'default', maxAgeMs: -5 }], nowUnixNano: T0 }),
          RangeError,
        );
      }));
  });
}

// Round trips: every field of a span comes back exactly, large payloads only from getSpan,
// detached events join their span, and data outlives close/reopen.

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { SpanEvent, SpanRecord } from '@cairn/model';
import { MISSING_ROOT_NAME } from '@cairn/model';
import { buildAgentTrace, buildSpanRecord, nextSpanId, nextTraceId } from './span-builder.js';
import type { TraceStoreHarness } from './harness.js';
import { NS_PER_MINUTE, T0, withStore, withoutPayload } from './harness.js';

/** A span that uses every field, with attribute values of every OTLP type and edge value. */
export function buildEverythingSpan(): SpanRecord {
  const traceId = nextTraceId();
  return buildSpanRecord({
    projectId: 'proj-everything',
    traceId,
    spanId: nextSpanId(),
    parentSpanId: null,
    traceState: 'vendor=abc,other=1',
    flags: 0x301,
    name: 'chat gpt-4.1 ✓ ünïcode',
    kind: 3,
    // Not representable as a JS number: 1768471200123456789 ns.
    startTimeUnixNano: T0 + 123_456_789n,
    endTimeUnixNano: T0 + 2_123_456_790n,
    attributes: {
      'str': 'hello "quoted" \\ and\nnewline',
      'empty.str': '',
      'bool.true': true,
      'bool.false': false,
      'int.max': 9_223_372_036_854_775_807n,
      'int.min': -9_223_372_036_854_775_808n,
      'int.neg': -42n,
      'int.zero': 0n,
      'double.five': 5,
      'double.frac': 0.1,
      'double.neg': -1.5e300,
      'double.nan': Number.NaN,
      'double.inf': Number.POSITIVE_INFINITY,
      'bytes': new Uint8Array([0, 1, 2, 254, 255]),
      'array.str': ['a', 'b', ''],
      'array.int': [1n, -2n, 9_007_199_254_740_993n],
      'array.mixed': ['x', 1n, 2.5, true, null],
      'kv': { inner: { deep: 7n, text: 'v' }, flag: false, list: [{ k: 'v' }] },
      'null.value': null,
      '$int': 'a key that looks like a codec marker',
    },
    droppedAttributesCount: 3,
    events: [
      { timeUnixNano: T0 + 500_000_001n, name: 'gen_ai.choice', attributes: { index: 0n, reason: 'stop' }, droppedAttributesCount: 1 },
      { timeUnixNano: T0 + 400_000_001n, name: 'exception', attributes: { 'exception.type': 'Timeout' }, droppedAttributesCount: 0 },
    ],
    droppedEventsCount: 2,
    links: [
      {
        traceId: nextTraceId(),
        spanId: nextSpanId(),
        traceState: 'k=v',
        attributes: { 'link.kind': 'follows', n: 3n },
        droppedAttributesCount: 4,
        flags: 257,
      },
    ],
    droppedLinksCount: 5,
    status: { code: 'error', message: 'upstream timed out' },
    resource: {
      attributes: { 'service.name': 'everything-svc', 'host.id': 12n, tags: ['a', 'b'] },
      droppedAttributesCount: 6,
      schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
    },
    scope: { name: 'scope.lib', version: '9.9.9', attributes: { 'scope.attr': true }, schemaUrl: 'https://s/1' },
    serviceName: 'everything-svc',
    receivedUnixNano: T0 + 9_000_000_007n,
    spanType: 'llm',
    model: 'gpt-4.1-2025-04-14',
    requestModel: 'gpt-4.1',
    provider: 'openai',
    operation: 'chat',
    agentName: 'planner',
    toolName: 'search',
    toolCallId: 'call_1',
    sessionId: 'session-everything',
    userId: 'user-everything',
    usage: { inputTokens: 1200, outputTokens: 340, cacheReadTokens: 1000, cacheWriteTokens: 12, reasoningTokens: 64 },
    hasUsage: true,
    costUsd: 0.012345678901,
    input: [{ role: 'user', parts: [{ type: 'text', text: 'What is 2+2?' }] }],
    output: [
      {
        role: 'assistant',
        parts: [
          { type: 'tool_call', id: 'call_1', name: 'calc', arguments: { expr: '2+2', big: 12345678901234567890n } },
          { type: 'text', text: '4' },
        ],
      },
    ],
    inputPreview: 'What is 2+2?',
    outputPreview: '4',
    dialects: ['gen_ai', 'openinference'],
  });
}

function sortEvents(events: readonly SpanEvent[]): SpanEvent[] {
  return [...events].sort((a, b) => (a.timeUnixNano < b.timeUnixNano ? -1 : a.timeUnixNano > b.timeUnixNano ? 1 : 0));
}

export function registerRoundTripCases(harness: TraceStoreHarness): void {
  describe('round trip', () => {
    it('returns every field of a span exactly from getSpan and (without input/output) from getTrace', () =>
      withStore(harness, async (store) => {
        const span = buildEverythingSpan();
        const result = await store.write({ spans: [span], events: [] });
        assert.deepEqual(result, { accepted: 1, deduplicated: 0, eventsAccepted: 0 });

        const detail = await store.getSpan(span.projectId, span.traceId, span.spanId);
        assert.deepEqual(detail, span);

        const trace = await store.getTrace(span.projectId, span.traceId);
        assert.ok(trace, 'getTrace finds the trace');
        assert.equal(trace.spans.length, 1);
        assert.deepEqual(trace.spans[0], withoutPayload(span));
        assert.equal(trace.summary.startTimeUnixNano, span.startTimeUnixNano);
        assert.equal(trace.summary.endTimeUnixNano, span.endTimeUnixNano);
      }));

    it('returns null for unknown traces and spans, and keeps projects apart', () =>
      withStore(harness, async (store) => {
        const span = buildSpanRecord({ projectId: 'p1' });
        await store.write({ spans: [span], events: [] });
        assert.equal(await store.getTrace('p1', nextTraceId()), null);
        assert.equal(await store.getSpan('p1', span.traceId, nextSpanId()), null);
        assert.equal(await store.getTrace('p2', span.traceId), null);
        assert.equal(await store.getSpan('p2', span.traceId, span.spanId), null);
      }));

    it('serves large attributes and input/output from getSpan only', () =>
      withStore(harness, async (store) => {
        const huge = 'x'.repeat(100_000) + '"ünïcode"\n' + 'y'.repeat(100_000);
        const input = [{ role: 'user', parts: [{ type: 'text', text: huge }] }];
        const span = buildSpanRecord({
          attributes: { 'gen_ai.input.messages': huge, 'gen_ai.request.model': 'gpt-4o', 'small.int': 3n },
          input,
          output: 'plain string output',
        });
        await store.write({ spans: [span], events: [] });

        const detail = await store.getSpan(span.projectId, span.traceId, span.spanId);
        assert.ok(detail);
        assert.equal(detail.attributes['gen_ai.input.messages'], huge);
        assert.deepEqual(detail.input, input);
        assert.equal(detail.output, 'plain string output');
        assert.deepEqual(detail, span);

        const trace = await store.getTrace(span.projectId, span.traceId);
        assert.ok(trace);
        const listed = trace.spans[0]!;
        assert.equal('input' in listed, false, 'getTrace spans carry no input');
        assert.equal('output' in listed, false, 'getTrace spans carry no output');
        assert.equal('gen_ai.input.messages' in listed.attributes, false, 'large attributes are left out of getTrace');
        assert.equal(listed.attributes['gen_ai.request.model'], 'gpt-4o');
        assert.equal(listed.attributes['small.int'], 3n);
      }));

    it('returns input/output exactly when they repeat the gen_ai message attributes', () =>
      withStore(harness, async (store) => {
        // The default LLM span carries messages both as canonical input/output and as attributes.
        const span = buildSpanRecord();
        await store.write({ spans: [span], events: [] });
        assert.deepEqual(await store.getSpan(span.projectId, span.traceId, span.spanId), span);
      }));

    it('orders getTrace spans by start time whatever the write order', () =>
      withStore(harness, async (store) => {
        const spans = buildAgentTrace({ startUnixNano: T0, llmCalls: 4 });
        await store.write({ spans: [...spans].reverse(), events: [] });
        const trace = await store.getTrace('default', spans[0]!.traceId);
        assert.ok(trace);
        assert.deepEqual(
          trace.spans.map((span) => span.spanId),
          spans.map((span) => span.spanId),
        );
      }));

    it('attaches detached events to their span whether they arrive before or after it', () =>
      withStore(harness, async (store) => {
        const span = buildSpanRecord({
          startTimeUnixNano: T0,
          events: [{ timeUnixNano: T0 + 10n, name: 'own', attributes: {}, droppedAttributesCount: 0 }],
        });
        const early: SpanEvent = {
          timeUnixNano: T0 + 5n,
          name: 'gen_ai.user.message',
          attributes: { content: 'hi', 'big.int': 9_223_372_036_854_775_807n },
          droppedAttributesCount: 0,
        };
        const late: SpanEvent = { timeUnixNano: T0 + 20n, name: 'gen_ai.choice', attributes: { index: 0n }, droppedAttributesCount: 2 };
        const target = { projectId: span.projectId, traceId: span.traceId, spanId: span.spanId };

        const first = await store.write({ spans: [], events: [{ ...target, event: early }] });
        assert.equal(first.eventsAccepted, 1);
        await store.write({ spans: [span], events: [] });
        const third = await store.write({ spans: [], events: [{ ...target, event: late }] });
        assert.equal(third.eventsAccepted, 1);

        const detail = await store.getSpan(span.projectId, span.traceId, span.spanId);
        assert.ok(detail);
        assert.deepEqual(sortEvents(detail.events), sortEvents([...span.events, early, late]));
        const spanCount = (await store.stats()).spanCount;
        assert.equal(spanCount, 1, 'events do not count as spans');
      }));

    it('keeps data across close and reopen', { skip: harness.reopen ? false : 'adapter harness has no reopen()' }, async () => {
      const spans = buildAgentTrace({ startUnixNano: T0 + NS_PER_MINUTE, sessionId: 'reopen-session' });
      const first = await harness.open();
      try {
        await first.write({ spans, events: [] });
      } finally {
        await first.close();
      }
      const second = await harness.reopen!();
      try {
        const trace = await second.getTrace('default', spans[0]!.traceId);
        assert.ok(trace, 'trace survives reopen');
        assert.deepEqual(trace.spans, spans.map(withoutPayload));
        assert.notEqual(trace.summary.rootName, MISSING_ROOT_NAME);
        const again = await second.write({ spans, events: [] });
        assert.deepEqual(again, { accepted: 0, deduplicated: spans.length, eventsAccepted: 0 }, 'dedupe survives reopen');
        assert.equal((await second.stats()).spanCount, spans.length);
      } finally {
        await second.close();
      }
    });
  });
}

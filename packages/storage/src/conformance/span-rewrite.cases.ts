// Re-running the semantic layer over stored spans (scanSpans, updateSpanSemantics), the optional
// semantic fields kept exactly, and full-text search over messages that arrived as log records.

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { AttributeMap, SpanEvent, SpanRecord } from '@cairn/model';
import type { SpanScanQuery } from '../span-rewrite-types.js';
import { REWRITTEN_SPAN_FIELDS } from '../span-rewrite-types.js';
import type { StoredSpan, TraceQuery, TraceStore } from '../trace-store.js';
import { buildAgentTrace, buildSpanRecord, nextSpanId, nextTraceId } from './span-builder.js';
import type { TraceStoreHarness } from './harness.js';
import { NS_PER_MINUTE, T0, withoutPayload, withStore } from './harness.js';

async function scanAll(store: TraceStore, query: Partial<SpanScanQuery> = {}): Promise<StoredSpan[][]> {
  const batches: StoredSpan[][] = [];
  for await (const batch of store.scanSpans({ fromUnixNano: T0 - NS_PER_MINUTE, toUnixNano: T0 + 600n * NS_PER_MINUTE, batchSize: 1000, ...query })) {
    batches.push(batch);
  }
  return batches;
}

function ids(spans: readonly StoredSpan[]): string[] {
  return spans.map((span) => span.spanId).sort();
}

function listQuery(overrides: Partial<TraceQuery> = {}): TraceQuery {
  return {
    projectId: 'default',
    fromUnixNano: T0 - NS_PER_MINUTE,
    toUnixNano: T0 + 600n * NS_PER_MINUTE,
    sort: { field: 'startTime', descending: true },
    limit: 50,
    ...overrides,
  };
}

/** Every optional semantic field set to a value other than its default. */
const EXTRAS: Partial<SpanRecord> = {
  finishReasons: ['tool_calls', 'stop'],
  timeToFirstTokenMs: 312.5,
  promptName: 'support-triage',
  promptVersion: '7',
  agentId: 'agent-42',
  errorType: 'RateLimitError',
  tags: ['beta', 'eu'],
  rawStatus: { code: 'unset', message: '' },
  costProvenance: { source: 'table', priceTableVersion: '2025-11-01', priceId: 'gpt-4o@2024-05-13', tier: null },
};

/** The semantic fields of `from` on top of `base` (what an update must leave behind). */
function withSemanticsOf(base: SpanRecord, from: Partial<SpanRecord>): SpanRecord {
  const result = { ...base } as Record<string, unknown>;
  for (const field of REWRITTEN_SPAN_FIELDS) if (from[field] !== undefined) result[field] = from[field];
  return result as unknown as SpanRecord;
}

export function registerSpanRewriteCases(harness: TraceStoreHarness): void {
  describe('span rewrite (scanSpans, updateSpanSemantics)', () => {
    it('keeps every optional semantic field exactly, absent ones absent, in getSpan and getTrace', () =>
      withStore(harness, async (store) => {
        const traceId = nextTraceId();
        const documents = Array.from({ length: 40 }, (_, index) => ({ id: `doc-${index}`, score: index === 3 ? null : 1 / (index + 1), contentPreview: `chunk ${index} ${'ü'.repeat(200)}` }));
        const full = buildSpanRecord({ traceId, startTimeUnixNano: T0, ...EXTRAS, retrievalDocuments: documents });
        const defaults = buildSpanRecord({
          traceId,
          spanType: 'tool',
          startTimeUnixNano: T0 + 1n,
          finishReasons: [],
          timeToFirstTokenMs: null,
          promptName: null,
          promptVersion: null,
          agentId: null,
          errorType: null,
          retrievalDocuments: null,
          tags: [],
          rawStatus: null,
          costProvenance: null,
        });
        const some = buildSpanRecord({ traceId, spanType: 'retrieval', startTimeUnixNano: T0 + 2n, tags: [], promptName: null, errorType: 'Timeout' });
        const none = buildSpanRecord({ traceId, spanType: 'chain', startTimeUnixNano: T0 + 3n });
        await store.write({ spans: [full, defaults, some, none], events: [] });
        for (const span of [full, defaults, some, none]) assert.deepEqual(await store.getSpan(span.projectId, traceId, span.spanId), span);
        const trace = await store.getTrace('default', traceId);
        assert.deepEqual(trace?.spans, [full, defaults, some, none].map(withoutPayload));
      }));

    it('scans each matching span once, in batches, with lossless attributes and detached events', () =>
      withStore(harness, async (store) => {
        const huge = 'h'.repeat(50_000);
        const spans: SpanRecord[] = [];
        for (let index = 0; index < 7; index++) {
          spans.push(...buildAgentTrace({ startUnixNano: T0 + BigInt(index) * NS_PER_MINUTE, llmCalls: 2, projectId: index % 2 === 0 ? 'default' : 'other' }));
        }
        const big = spans[1]!;
        big.attributes = { ...big.attributes, 'big.value': huge, 'int.big': 9_007_199_254_740_993n };
        const detached: SpanEvent = { timeUnixNano: big.startTimeUnixNano + 1n, name: 'gen_ai.choice', attributes: { index: 0n }, droppedAttributesCount: 0 };
        // Written apart, so the scan must merge stored spans with events of later batches.
        await store.write({ spans: spans.slice(0, 10), events: [] });
        await store.write({ spans: spans.slice(10), events: [{ projectId: big.projectId, traceId: big.traceId, spanId: big.spanId, event: detached }] });

        const batches = await scanAll(store, { batchSize: 4 });
        assert.ok(batches.length >= 7, `${spans.length} spans in batches of 4`);
        assert.ok(batches.every((batch) => batch.length >= 1 && batch.length <= 4));
        const scanned = batches.flat();
        assert.deepEqual(ids(scanned), ids(spans), 'every span exactly once, both projects');
        const starts = scanned.map((span) => span.startTimeUnixNano);
        assert.deepEqual(starts, [...starts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), 'in start time order');
        const bigScanned = scanned.find((span) => span.spanId === big.spanId)!;
        assert.deepEqual(bigScanned.attributes, big.attributes);
        assert.deepEqual(bigScanned.events, [...big.events, detached]);
        const other = scanned.find((span) => span.spanId === spans[0]!.spanId)!;
        assert.deepEqual(other, withoutPayload(spans[0]!));
      }));

    it('filters the scan by project, window, span types and normalizer version', () =>
      withStore(harness, async (store) => {
        const first = buildAgentTrace({ startUnixNano: T0, llmCalls: 2 });
        const second = buildAgentTrace({ startUnixNano: T0 + 10n * NS_PER_MINUTE, llmCalls: 2, projectId: 'other' });
        const third = buildAgentTrace({ startUnixNano: T0 + 20n * NS_PER_MINUTE, llmCalls: 1 });
        await store.write({ spans: [...first, ...second, ...third], events: [] });

        assert.deepEqual(ids((await scanAll(store, { projectId: 'other' })).flat()), ids(second));
        const window = (await scanAll(store, { fromUnixNano: T0 + 10n * NS_PER_MINUTE, toUnixNano: T0 + 20n * NS_PER_MINUTE })).flat();
        assert.deepEqual(ids(window), ids(second), '[from, to): the span starting at `to` is left out');
        const models = (await scanAll(store, { spanTypes: ['llm', 'embedding'], projectId: 'default' })).flat();
        assert.deepEqual(ids(models), ids([...first, ...third].filter((span) => span.spanType === 'llm')));

        // Versions as an update records them: first at 1, the rest at 5.
        await store.updateSpanSemantics(first.map(withoutPayload), 1);
        await store.updateSpanSemantics([...second, ...third].map(withoutPayload), 5);
        assert.deepEqual(ids((await scanAll(store, { normalizerVersionBelow: 5 })).flat()), ids(first));
        assert.deepEqual(ids((await scanAll(store, { normalizerVersionBelow: 6 })).flat()), ids([...first, ...second, ...third]));
        assert.deepEqual((await scanAll(store, { normalizerVersionBelow: 1 })).flat(), []);
        assert.deepEqual((await scanAll(store, { projectId: 'nobody' })).flat(), []);
      }));

    it('sees each span once while batches are rewritten between pages', () =>
      withStore(harness, async (store) => {
        const spans = buildAgentTrace({ startUnixNano: T0, llmCalls: 6 });
        await store.write({ spans, events: [] });
        await store.updateSpanSemantics(spans.map(withoutPayload), 1);
        const seen: string[] = [];
        for await (const batch of store.scanSpans({ fromUnixNano: T0, toUnixNano: T0 + NS_PER_MINUTE, normalizerVersionBelow: 2, batchSize: 3 })) {
          seen.push(...batch.map((span) => span.spanId));
          await store.updateSpanSemantics(batch.map((span) => ({ ...span, model: 'rewritten' })), 2);
        }
        assert.deepEqual(seen.sort(), ids(spans));
        assert.deepEqual((await scanAll(store, { normalizerVersionBelow: 2 })).flat(), []);
      }));

    it('replaces the semantic fields only: raw fields and input/output stay as stored', () =>
      withStore(harness, async (store) => {
        const span = buildSpanRecord({ startTimeUnixNano: T0, sessionId: 's-rewrite', ...EXTRAS });
        const retrieval = buildSpanRecord({ traceId: span.traceId, spanType: 'retrieval', startTimeUnixNano: T0 + 1n, parentSpanId: span.spanId });
        await store.write({ spans: [span, retrieval], events: [] });
        const changed: StoredSpan = {
          ...withoutPayload(span),
          // Raw fields changed too: an update must not write them.
          name: 'renamed',
          attributes: { replaced: true },
          events: [],
          endTimeUnixNano: span.endTimeUnixNano + 5n,
          serviceName: 'other-service',
          receivedUnixNano: 1n,
          // Semantic fields.
          spanType: 'embedding',
          model: 'text-embedding-3-small',
          requestModel: null,
          provider: 'azure.ai.openai',
          operation: 'embeddings',
          agentName: 'indexer',
          toolName: null,
          toolCallId: null,
          sessionId: 's-rewrite',
          userId: 'u-9',
          usage: { inputTokens: 10, outputTokens: 0, cacheReadTokens: 2, cacheWriteTokens: 1, reasoningTokens: 0 },
          hasUsage: true,
          costUsd: 0.25,
          costProvenance: { source: 'custom', priceTableVersion: 'acme-1', priceId: 'te3@2025-01-01', tier: 'over_200k_input' },
          inputPreview: 'new input preview',
          outputPreview: '',
          dialects: ['openinference'],
          finishReasons: ['length'],
          timeToFirstTokenMs: null,
          promptName: null,
          promptVersion: 'v2',
          agentId: null,
          errorType: 'Overloaded',
          tags: [],
          status: { code: 'error', message: 'level=ERROR' },
          rawStatus: { code: 'ok', message: '' },
        };
        const documents = [{ id: 'a', score: 0.5, contentPreview: 'first' }, { id: null, score: null, contentPreview: null }];
        assert.deepEqual(await store.updateSpanSemantics([changed, { ...withoutPayload(retrieval), retrievalDocuments: documents }], 9), { updated: 2 });

        const expected = withSemanticsOf(span, changed);
        assert.deepEqual(await store.getSpan(span.projectId, span.traceId, span.spanId), expected);
        const trace = await store.getTrace(span.projectId, span.traceId);
        assert.deepEqual(trace?.spans[0], withoutPayload(expected));
        assert.deepEqual(trace?.spans[1], withoutPayload({ ...retrieval, retrievalDocuments: documents }));
        const [rescanned] = (await scanAll(store, { spanTypes: ['embedding'] })).flat();
        assert.deepEqual(rescanned, withoutPayload(expected));
      }));

    it('refreshes trace list, trace summary and session totals of the touched traces', () =>
      withStore(harness, async (store) => {
        const touched = buildAgentTrace({ startUnixNano: T0, llmCalls: 3, sessionId: 's-1' });
        const untouched = buildAgentTrace({ startUnixNano: T0 + NS_PER_MINUTE, llmCalls: 1, sessionId: 's-1' });
        // Two batches: the touched trace has parts in both.
        await store.write({ spans: touched.slice(0, 3), events: [] });
        await store.write({ spans: [...touched.slice(3), ...untouched], events: [] });
        const llms = touched.filter((span) => span.spanType === 'llm');
        const [a, b, c] = llms as [SpanRecord, SpanRecord, SpanRecord];
        const result = await store.updateSpanSemantics(
          [
            { ...withoutPayload(a), costUsd: 1.5, usage: { ...a.usage, inputTokens: 1000, outputTokens: 10 }, model: 'gpt-4.1' },
            { ...withoutPayload(b), costUsd: 0.25, model: 'gpt-4.1-mini' },
            // No longer a model call: its tokens and cost leave the totals.
            { ...withoutPayload(c), spanType: 'chain', costUsd: null, model: null, usage: { ...c.usage, inputTokens: 0, outputTokens: 0 } },
          ],
          2,
        );
        assert.deepEqual(result, { updated: 3 });

        const wantInput = 1000 + 412;
        const wantOutput = 10 + 96;
        const listed = (await store.listTraces(listQuery())).items.find((item) => item.traceId === a.traceId);
        assert.ok(listed);
        assert.equal(listed.costUsd, 1.75);
        assert.equal(listed.inputTokens, wantInput);
        assert.equal(listed.outputTokens, wantOutput);
        assert.equal(listed.llmCallCount, 2);
        assert.equal(listed.spanCount, touched.length);
        assert.deepEqual(listed.models, ['gpt-4.1', 'gpt-4.1-mini']);
        const summary = (await store.getTrace('default', a.traceId))?.summary;
        assert.deepEqual(summary, listed);
        assert.deepEqual((await store.listTraces(listQuery({ model: 'gpt-4o-mini' }))).items.map((item) => item.traceId), [untouched[0]!.traceId]);
        assert.deepEqual((await store.listTraces(listQuery({ sort: { field: 'cost', descending: true } }))).items[0]?.traceId, a.traceId);

        const session = await store.getSession('default', 's-1');
        assert.ok(session);
        assert.equal(session.session.costUsd, 1.75 + 0.0001194);
        assert.equal(session.session.inputTokens, wantInput + 412);
        assert.equal(session.session.outputTokens, wantOutput + 96);
        assert.deepEqual(session.traces.map((trace) => trace.costUsd), [1.75, 0.0001194]);
        const listedSession = (await store.listSessions({ projectId: 'default', fromUnixNano: T0 - NS_PER_MINUTE, toUnixNano: T0 + 60n * NS_PER_MINUTE, limit: 10 })).items[0];
        assert.deepEqual(listedSession, session.session);

        // The dashboard sees the rewrite at once too (ClickHouse: before any merge).
        const byModel = await store.aggregateMetrics({ projectId: 'default', fromUnixNano: T0 - NS_PER_MINUTE, toUnixNano: T0 + 600n * NS_PER_MINUTE, groupBy: 'model' });
        const row = (key: string) => byModel.find((entry) => entry.key === key);
        assert.deepEqual([row('gpt-4.1')?.calls, row('gpt-4.1')?.costUsd, row('gpt-4.1')?.inputTokens], [1, 1.5, 1000]);
        assert.deepEqual([row('gpt-4.1-mini')?.calls, row('gpt-4.1-mini')?.costUsd], [1, 0.25]);
        assert.equal(row('gpt-4o-mini')?.calls, 1, 'only the untouched trace still calls gpt-4o-mini');
      }));

    it('skips unknown spans and creates nothing', () =>
      withStore(harness, async (store) => {
        const known = buildSpanRecord({ startTimeUnixNano: T0 });
        await store.write({ spans: [known], events: [] });
        const unknownSpan = buildSpanRecord({ traceId: known.traceId, startTimeUnixNano: T0 });
        const unknownTrace = buildSpanRecord({ startTimeUnixNano: T0 });
        const otherProject = { ...withoutPayload(known), projectId: 'elsewhere', model: 'x' };
        const result = await store.updateSpanSemantics([withoutPayload(unknownSpan), withoutPayload(unknownTrace), otherProject, { ...withoutPayload(known), model: 'y' }], 2);
        assert.deepEqual(result, { updated: 1 });
        assert.equal(await store.getSpan('default', known.traceId, unknownSpan.spanId), null);
        assert.equal(await store.getTrace('default', unknownTrace.traceId), null);
        assert.equal(await store.getTrace('elsewhere', known.traceId), null);
        assert.equal((await store.getSpan('default', known.traceId, known.spanId))?.model, 'y');
        assert.deepEqual(await store.updateSpanSemantics([], 2), { updated: 0 });
        assert.equal((await store.stats()).spanCount, 1);
      }));

    it('finds a model call by the text of messages that arrived later as log records', () =>
      withStore(harness, async (store) => {
        // A legacy gen_ai span: no content of its own; the messages come as OTLP log records.
        const span = buildSpanRecord({
          startTimeUnixNano: T0,
          attributes: { 'gen_ai.system': 'openai', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' },
          input: null,
          output: null,
          inputPreview: '',
          outputPreview: '',
        });
        const before = buildSpanRecord({ startTimeUnixNano: T0 + NS_PER_MINUTE, attributes: { ...span.attributes }, input: null, output: null, inputPreview: '', outputPreview: '' });
        const message = (target: SpanRecord, name: string, body: AttributeMap) => ({
          projectId: 'default',
          traceId: target.traceId,
          spanId: target.spanId,
          event: { timeUnixNano: target.startTimeUnixNano + 1n, name, attributes: { 'gen_ai.system': 'openai', body }, droppedAttributesCount: 0 },
        });
        await store.write({ spans: [span], events: [] });
        await store.write({ spans: [], events: [message(span, 'gen_ai.user.message', { content: 'What is the weather in Zanzibar today?' })] });
        // The other order: the log record first, its span after.
        await store.write({ spans: [], events: [message(before, 'gen_ai.choice', { index: 0n, finish_reason: 'stop', message: { content: 'Sunny over Kilimanjaro.' } })] });
        await store.write({ spans: [before], events: [] });

        const found = async (text: string) => (await store.listTraces(listQuery({ text }))).items.map((item) => item.traceId);
        assert.deepEqual(await found('zanzibar'), [span.traceId]);
        assert.deepEqual(await found('KILIMANJARO'), [before.traceId]);
        assert.deepEqual(await found('no such words'), []);
        const listed = (await store.getTrace('default', span.traceId))?.spans[0];
        assert.match(listed?.inputPreview ?? '', /Zanzibar/);
      }));

    it('rejects nothing and changes nothing for spans of an empty store', () =>
      withStore(harness, async (store) => {
        assert.deepEqual(await scanAll(store), []);
        assert.deepEqual(await store.updateSpanSemantics([withoutPayload(buildSpanRecord({ spanId: nextSpanId() }))], 2), { updated: 0 });
      }));
  });
}

// Analytics reads and writes: dashboard metrics over single model calls (every dimension, time
// buckets, trace filters), persisted findings (list filter, counts, replacement, due traces) and
// the instrumentation-quality statistics.

import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { SpanRecord } from '@cairn/model';
import type { MetricsQuery, MetricsRow, QualityQuery, TraceFindingsRecord } from '../analytics-types.js';
import type { TraceStore } from '../trace-store.js';
import type { TraceStoreHarness } from './harness.js';
import { NS_PER_HOUR, NS_PER_MINUTE, T0, withStore } from './harness.js';
import { buildAgentTrace, buildSpanRecord, nextTraceId } from './span-builder.js';

const MS = 1_000_000n;
const SECOND = 1_000n * MS;
const FROM = T0 - NS_PER_HOUR;
const TO = T0 + 3n * NS_PER_HOUR;

function modelCall(trace: SpanRecord, parent: SpanRecord | null, startMs: bigint, durationMs: bigint, fields: Partial<SpanRecord> & { input: number; output: number; cost: number }): SpanRecord {
  const { input, output, cost, ...overrides } = fields;
  const start = trace.startTimeUnixNano + startMs * MS;
  const base = buildSpanRecord({ spanType: overrides.spanType ?? 'llm' });
  return buildSpanRecord({
    traceId: trace.traceId,
    parentSpanId: parent?.spanId ?? null,
    serviceName: trace.serviceName,
    userId: trace.userId,
    startTimeUnixNano: start,
    endTimeUnixNano: start + durationMs * MS,
    usage: { inputTokens: input, outputTokens: output, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
    hasUsage: true,
    costUsd: cost,
    attributes: base.attributes,
    ...overrides,
  });
}

/** Two traces: M1 (agents support ⊃ researcher, a tool, 4 model calls), M2 (no agent, 2 model calls, 90 min later). */
function metricsTraces(): { m1: SpanRecord[]; m2: SpanRecord[] } {
  const root = buildSpanRecord({ spanType: 'agent', startTimeUnixNano: T0, endTimeUnixNano: T0 + 10n * SECOND, userId: 'u1' });
  const researcher = buildSpanRecord({
    spanType: 'agent',
    traceId: root.traceId,
    parentSpanId: root.spanId,
    name: 'invoke_agent researcher',
    agentName: 'researcher',
    startTimeUnixNano: T0 + 3n * SECOND,
    endTimeUnixNano: T0 + 8n * SECOND,
  });
  const tool = buildSpanRecord({
    spanType: 'tool',
    traceId: root.traceId,
    parentSpanId: root.spanId,
    toolName: 'search',
    startTimeUnixNano: T0 + 2n * SECOND,
    endTimeUnixNano: T0 + 2n * SECOND + 200n * MS,
  });
  const withPrompt = (version: string | bigint) => ({ ...buildSpanRecord().attributes, [typeof version === 'string' ? 'gen_ai.prompt.version' : 'cairn.prompt.version']: version });
  const m1 = [
    root,
    modelCall(root, root, 1_000n, 100n, { input: 100, output: 10, cost: 0.001, attributes: withPrompt('v1') }),
    tool,
    researcher,
    modelCall(root, researcher, 4_000n, 1_500n, {
      input: 200, output: 20, cost: 0.002, model: 'claude-3', requestModel: 'claude-3', provider: 'anthropic',
      status: { code: 'error', message: 'overloaded' }, attributes: withPrompt(2n),
    }),
    modelCall(root, researcher, 6_000n, 500n, { input: 300, output: 30, cost: 0.003, model: 'claude-3', requestModel: 'claude-3', provider: 'anthropic' }),
    modelCall(root, root, 9_000n, 300n, { input: 50, output: 5, cost: 0.0005 }),
  ];
  const m2Root = buildSpanRecord({ startTimeUnixNano: T0 + 90n * NS_PER_MINUTE, serviceName: 'billing', userId: 'u2' });
  const m2 = [
    modelCall(m2Root, null, 0n, 2_000n, { spanId: m2Root.spanId, input: 1000, output: 100, cost: 0.01 }),
    modelCall(m2Root, m2Root, 100n, 50n, { spanType: 'embedding', input: 10, output: 0, cost: 0.00001, model: 'text-embedding-3', requestModel: 'text-embedding-3' }),
  ];
  return { m1, m2 };
}

function metricsQuery(overrides: Partial<MetricsQuery> = {}): MetricsQuery {
  return { projectId: 'default', fromUnixNano: FROM, toUnixNano: TO, groupBy: 'model', ...overrides };
}

/** key → [calls, errors, inputTokens, outputTokens, cost rounded to 1e-9]. */
function totals(rows: MetricsRow[]): Record<string, [number, number, number, number, number]> {
  const result: Record<string, [number, number, number, number, number]> = {};
  for (const row of rows) {
    const bucket = row.bucketUnixNano === null ? '' : `@${(row.bucketUnixNano - T0) / NS_PER_MINUTE}m`;
    result[`${row.key ?? '(none)'}${bucket}`] = [row.calls, row.errors, row.inputTokens, row.outputTokens, Math.round(row.costUsd * 1e9) / 1e9];
  }
  return result;
}

function analysis(trace: SpanRecord[], kinds: string[], overrides: Partial<TraceFindingsRecord> = {}): TraceFindingsRecord {
  return {
    projectId: 'default',
    traceId: trace[0]!.traceId,
    traceStartUnixNano: trace[0]!.startTimeUnixNano,
    analysisVersion: 1,
    receivedThroughUnixNano: trace[0]!.receivedUnixNano,
    analyzedUnixNano: BigInt(Date.now()) * MS,
    findings: kinds.map((kind) => ({ kind, spanIds: [trace[1]!.spanId], message: `${kind} here` })),
    ...overrides,
  };
}

export function registerAnalyticsCases(harness: TraceStoreHarness): void {
  describe('aggregateMetrics', () => {
    let store: TraceStore;
    before(async () => {
      store = await harness.open();
      const { m1, m2 } = metricsTraces();
      await store.write({ spans: [...m1, ...m2], events: [] });
    });
    after(() => store.close());

    it('groups single model calls by model: calls, errors, tokens and cost add up to the calls themselves', async () => {
      const rows = await store.aggregateMetrics(metricsQuery());
      assert.deepEqual(totals(rows), {
        'claude-3': [2, 1, 500, 50, 0.005],
        'gpt-4o-mini': [3, 0, 1150, 115, 0.0115],
        'text-embedding-3': [1, 0, 10, 0, 0.00001],
      });
      const claude = rows.find((row) => row.key === 'claude-3')!;
      assert.ok(claude.p50Ms !== null && claude.p95Ms !== null && claude.p99Ms !== null);
      assert.ok(claude.p50Ms >= 500 && claude.p50Ms <= 1500, `p50 ${claude.p50Ms}`);
      assert.ok(claude.p50Ms <= claude.p95Ms && claude.p95Ms <= claude.p99Ms && claude.p99Ms <= 1500.001, `${claude.p95Ms} ${claude.p99Ms}`);
    });

    it('groups by provider, service, user, tool and prompt version', async () => {
      assert.deepEqual(totals(await store.aggregateMetrics(metricsQuery({ groupBy: 'provider' }))), {
        anthropic: [2, 1, 500, 50, 0.005],
        openai: [4, 0, 1160, 115, 0.01151],
      });
      assert.deepEqual(totals(await store.aggregateMetrics(metricsQuery({ groupBy: 'service' }))), {
        billing: [2, 0, 1010, 100, 0.01001],
        'support-agent': [4, 1, 650, 65, 0.0065],
      });
      assert.deepEqual(totals(await store.aggregateMetrics(metricsQuery({ groupBy: 'user' }))), {
        u1: [4, 1, 650, 65, 0.0065],
        u2: [2, 0, 1010, 100, 0.01001],
      });
      const tools = await store.aggregateMetrics(metricsQuery({ groupBy: 'tool' }));
      assert.deepEqual(totals(tools), { search: [1, 0, 0, 0, 0] });
      assert.ok(Math.abs(tools[0]!.p50Ms! - 200) < 1e-6);
      assert.deepEqual(totals(await store.aggregateMetrics(metricsQuery({ groupBy: 'promptVersion' }))), {
        '2': [1, 1, 200, 20, 0.002],
        v1: [1, 0, 100, 10, 0.001],
        '(none)': [4, 0, 1360, 135, 0.01351],
      });
    });

    it('by agent counts agent invocations and gives each model call to its innermost agent', async () => {
      const rows = await store.aggregateMetrics(metricsQuery({ groupBy: 'agent' }));
      assert.deepEqual(totals(rows), {
        researcher: [1, 0, 500, 50, 0.005],
        support: [1, 0, 150, 15, 0.0015],
        '(none)': [0, 0, 1010, 100, 0.01001],
      });
      assert.equal(rows.find((row) => row.key === 'support')!.p50Ms, 10_000);
      assert.equal(rows.find((row) => row.key === null)!.p50Ms, null);
    });

    it('by agent prefers the parent agent span over time containment (clock skew between processes)', async () => {
      await withStore(harness, async (skewed) => {
        const root = buildSpanRecord({ spanType: 'agent', startTimeUnixNano: T0, endTimeUnixNano: T0 + 10n * SECOND });
        const worker = buildSpanRecord({ spanType: 'agent', traceId: root.traceId, parentSpanId: root.spanId, agentName: 'worker', startTimeUnixNano: T0 + 3n * SECOND, endTimeUnixNano: T0 + 5n * SECOND });
        // Recorded by the worker's process, whose clock runs 200 ms behind: it starts before its parent.
        const call = modelCall(root, worker, 2_800n, 500n, { input: 7, output: 1, cost: 0.0007 });
        await skewed.write({ spans: [root, worker, call], events: [] });
        assert.deepEqual(totals(await skewed.aggregateMetrics(metricsQuery({ groupBy: 'agent' }))), {
          support: [1, 0, 0, 0, 0],
          worker: [1, 0, 7, 1, 0.0007],
        });
      });
    });

    it('buckets by time and applies the trace-list filters', async () => {
      assert.deepEqual(totals(await store.aggregateMetrics(metricsQuery({ bucketNanos: NS_PER_HOUR }))), {
        'claude-3@0m': [2, 1, 500, 50, 0.005],
        'gpt-4o-mini@0m': [2, 0, 150, 15, 0.0015],
        'gpt-4o-mini@60m': [1, 0, 1000, 100, 0.01],
        'text-embedding-3@60m': [1, 0, 10, 0, 0.00001],
      });
      assert.deepEqual(totals(await store.aggregateMetrics(metricsQuery({ service: 'billing' }))), {
        'gpt-4o-mini': [1, 0, 1000, 100, 0.01],
        'text-embedding-3': [1, 0, 10, 0, 0.00001],
      });
      assert.deepEqual(Object.keys(totals(await store.aggregateMetrics(metricsQuery({ agent: 'researcher' })))), ['claude-3', 'gpt-4o-mini']);
      assert.deepEqual(await store.aggregateMetrics(metricsQuery({ fromUnixNano: T0 + 2n * NS_PER_HOUR })), []);
    });
  });

  describe('persisted findings', () => {
    it('filter the trace list, count per kind, and are replaced by a later analysis', async () => {
      await withStore(harness, async (store) => {
        const [t1, t2, t3] = [0n, 1n, 2n].map((index) => buildAgentTrace({ startUnixNano: T0 + index * NS_PER_MINUTE }));
        await store.write({ spans: [...t1!, ...t2!, ...t3!], events: [] });
        await store.writeFindings([analysis(t1!, ['tool_loop', 'broken_trace']), analysis(t2!, []), analysis(t3!, ['straggler'])]);
        const list = async (finding: string) =>
          (await store.listTraces({ projectId: 'default', fromUnixNano: FROM, toUnixNano: TO, finding, sort: { field: 'startTime', descending: true }, limit: 50 })).items.map((item) => item.traceId);
        assert.deepEqual(await list('tool_loop'), [t1![0]!.traceId]);
        assert.deepEqual(await list('straggler'), [t3![0]!.traceId]);
        assert.deepEqual(await list('retry_storm'), []);
        const window = { projectId: 'default', fromUnixNano: FROM, toUnixNano: TO };
        assert.deepEqual(await store.countFindings(window), [
          { kind: 'broken_trace', traces: 1 },
          { kind: 'straggler', traces: 1 },
          { kind: 'tool_loop', traces: 1 },
        ]);
        assert.deepEqual(await store.countFindings({ ...window, fromUnixNano: T0 + 2n * NS_PER_MINUTE }), [{ kind: 'straggler', traces: 1 }]);
        assert.deepEqual(await store.countFindings({ ...window, service: 'nobody' }), []);
        assert.deepEqual(await store.countFindings({ ...window, finding: 'straggler' }), [{ kind: 'straggler', traces: 1 }]);

        const later = analysis(t1!, ['retry_storm'], { analysisVersion: 2, analyzedUnixNano: BigInt(Date.now()) * MS + SECOND });
        await store.writeFindings([later]);
        assert.deepEqual(await list('tool_loop'), []);
        assert.deepEqual(await list('retry_storm'), [t1![0]!.traceId]);
        assert.deepEqual(await store.getFindings('default', t1![0]!.traceId), later);
        assert.deepEqual((await store.getFindings('default', t2![0]!.traceId))?.findings, []);
        assert.equal(await store.getFindings('default', nextTraceId()), null);
      });
    });

    it('lists traces due for analysis: quiet, and new, re-versioned or grown since their analysis', async () => {
      await withStore(harness, async (store) => {
        const received = T0 + 24n * NS_PER_HOUR;
        const at = (trace: SpanRecord[], receivedUnixNano: bigint) => trace.map((span) => ({ ...span, receivedUnixNano }));
        const quiet = at(buildAgentTrace({ startUnixNano: T0 }), received);
        const busy = at(buildAgentTrace({ startUnixNano: T0 }), received + 10n * NS_PER_MINUTE);
        const old = at(buildAgentTrace({ startUnixNano: T0 }), received - 5n * NS_PER_HOUR);
        await store.write({ spans: [...quiet, ...busy, ...old], events: [] });
        const due = async (analysisVersion = 1) =>
          (await store.listDueTraces({ receivedSinceUnixNano: received - NS_PER_HOUR, quietBeforeUnixNano: received + 5n * NS_PER_MINUTE, analysisVersion, limit: 10 })).map(
            (trace) => [trace.traceId, trace.lastReceivedUnixNano],
          );
        const quietId = quiet[0]!.traceId;
        assert.deepEqual(await due(), [[quietId, received]]);
        await store.writeFindings([analysis(quiet, [], { receivedThroughUnixNano: received })]);
        assert.deepEqual(await due(), []);
        assert.deepEqual(await due(2), [[quietId, received]]);
        const straggler = { ...buildSpanRecord({ traceId: quietId, parentSpanId: quiet[0]!.spanId, startTimeUnixNano: T0 + SECOND }), receivedUnixNano: received + 2n * NS_PER_MINUTE };
        await store.write({ spans: [straggler], events: [] });
        assert.deepEqual(await due(), [[quietId, straggler.receivedUnixNano]]);
      });
    });
  });

  describe('qualityStats', () => {
    it('reports name patterns, model calls missing fields, monolithic spans and propagation gaps per service', async () => {
      await withStore(harness, async (store) => {
        const service = 'quality-svc';
        const root = buildSpanRecord({ spanType: 'chain', name: 'handle request', serviceName: service, startTimeUnixNano: T0, endTimeUnixNano: T0 + 30n * SECOND });
        const child = (overrides: Partial<SpanRecord>) =>
          buildSpanRecord({ traceId: root.traceId, parentSpanId: root.spanId, serviceName: service, startTimeUnixNano: T0 + SECOND, endTimeUnixNano: T0 + 2n * SECOND, ...overrides });
        const q1 = [
          root,
          ...[1001, 1002, 1003].map((id) => child({ spanType: 'other', name: `GET /orders/${id}` })),
          child({ model: null, requestModel: null }),
          child({ hasUsage: false, usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } }),
          child({ attributes: { ...buildSpanRecord().attributes, 'gen_ai.prompt.version': '7' } }),
          child({ spanType: 'other', name: 'process batch', endTimeUnixNano: T0 + 25n * SECOND }),
          child({ spanType: 'other', name: 'lost child', parentSpanId: 'feedfeedfeedfeed' }),
        ];
        const q2Root = buildSpanRecord({ spanType: 'chain', name: 'first root', serviceName: service, startTimeUnixNano: T0 + NS_PER_MINUTE });
        const q2 = [q2Root, buildSpanRecord({ traceId: q2Root.traceId, spanType: 'chain', name: 'second root', serviceName: service, startTimeUnixNano: T0 + NS_PER_MINUTE + SECOND })];
        const other = buildAgentTrace({ startUnixNano: T0, serviceName: 'other-svc' });
        await store.write({ spans: [...q1, ...q2, ...other], events: [] });
        const query: QualityQuery = { projectId: 'default', fromUnixNano: FROM, toUnixNano: TO, monolithicMinDurationMs: 10_000 };
        const stats = await store.qualityStats(query);
        assert.deepEqual(stats.map((entry) => entry.service), ['other-svc', 'quality-svc']);
        const quality = stats[1]!;
        assert.equal(quality.spans, q1.length + q2.length);
        assert.equal(quality.traces, 2);
        const orders = quality.namePatterns.find((pattern) => pattern.pattern === 'GET /orders/{id}');
        assert.deepEqual(orders && { ...orders, exampleName: orders.exampleName }, {
          pattern: 'GET /orders/{id}',
          distinctNames: 3,
          spans: 3,
          exampleName: 'GET /orders/1001',
          exampleTraceId: root.traceId,
        });
        assert.equal(quality.modelCalls, 3);
        assert.deepEqual(quality.modelCallsWithoutModel, { count: 1, exampleTraceId: root.traceId, exampleSpanName: 'chat gpt-4o-mini' });
        assert.equal(quality.modelCallsWithoutTokens.count, 1);
        assert.equal(quality.modelCallsWithoutPromptVersion.count, 2);
        assert.deepEqual(quality.monolithicSpans, { count: 1, exampleTraceId: root.traceId, exampleSpanName: 'process batch' });
        assert.deepEqual(quality.orphanSpans, { count: 1, exampleTraceId: root.traceId, exampleSpanName: 'lost child' });
        assert.deepEqual(quality.multiRootTraces, { count: 1, exampleTraceId: q2Root.traceId, exampleSpanName: 'first root' });
        const clean = stats[0]!;
        assert.deepEqual([clean.monolithicSpans.count, clean.orphanSpans.count, clean.multiRootTraces.count, clean.modelCallsWithoutModel.count], [0, 0, 0, 0]);
        assert.deepEqual(await store.qualityStats({ ...query, fromUnixNano: TO }), []);
      });
    });
  });
}

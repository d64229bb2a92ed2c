// listTraces: every filter of TraceQuery, every sort in both directions, cursor pages, and
// summaries whose totals count each model call once.

import { strict as assert } from 'node:assert';
import { before, after, describe, it } from 'node:test';
import type { TraceSummary } from '@cairn/model';
import { InvalidCursorError } from '../errors.js';
import type { TraceQuery, TraceSortField, TraceStore } from '../trace-store.js';
import type { Catalog } from './catalog.js';
import { buildCatalog, CATALOG_FROM, CATALOG_TO, traceIdOf, writeCatalog } from './catalog.js';
import { buildAgentTrace, buildSpanRecord, nextTraceId } from './span-builder.js';
import type { TraceStoreHarness } from './harness.js';
import { NS_PER_MINUTE, T0, sorted, withStore } from './harness.js';

function query(overrides: Partial<TraceQuery> = {}): TraceQuery {
  return {
    projectId: 'default',
    fromUnixNano: CATALOG_FROM,
    toUnixNano: CATALOG_TO,
    sort: { field: 'startTime', descending: true },
    limit: 50,
    ...overrides,
  };
}

function sortKey(summary: TraceSummary, field: TraceSortField): number | bigint {
  switch (field) {
    case 'startTime':
      return summary.startTimeUnixNano;
    case 'duration':
      return summary.endTimeUnixNano - summary.startTimeUnixNano;
    case 'cost':
      return summary.costUsd;
    case 'tokens':
      return summary.inputTokens + summary.outputTokens;
  }
}

export function registerListTracesCases(harness: TraceStoreHarness): void {
  describe('listTraces over a catalog', () => {
    let store: TraceStore;
    let catalog: Catalog;
    const ids = (items: TraceSummary[]) => sorted(items.map((item) => item.traceId));
    const expectIds = async (overrides: Partial<TraceQuery>, expected: (keyof Catalog)[]) => {
      const page = await store.listTraces(query(overrides));
      assert.deepEqual(ids(page.items), sorted(expected.map((key) => traceIdOf(catalog[key]))), JSON.stringify(overrides, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
    };

    before(async () => {
      store = await harness.open();
      catalog = buildCatalog();
      await writeCatalog(store, catalog);
    });
    after(() => store.close());

    it('lists the traces that started inside the window', async () => {
      await expectIds({}, ['agent', 'agentLater', 'rag', 'embedding']);
      await expectIds({ fromUnixNano: T0 + 2n * NS_PER_MINUTE, toUnixNano: T0 + 3n * NS_PER_MINUTE }, ['rag']);
      await expectIds({ fromUnixNano: T0 - 3n * 60n * NS_PER_MINUTE, toUnixNano: T0 }, ['old']);
    });

    it('summarizes a trace with root, counts, totals, models, agents, session and user', async () => {
      const page = await store.listTraces(query());
      const agent = page.items.find((item) => item.traceId === traceIdOf(catalog.agent));
      const root = catalog.agent[0]!;
      assert.ok(agent);
      assert.equal(agent.rootName, 'invoke_agent support');
      assert.equal(agent.serviceName, 'support-agent');
      assert.equal(agent.startTimeUnixNano, root.startTimeUnixNano);
      assert.equal(agent.endTimeUnixNano, root.endTimeUnixNano);
      assert.equal(agent.hasRoot, true);
      assert.equal(agent.spanCount, 6);
      assert.equal(agent.errorCount, 0);
      assert.equal(agent.llmCallCount, 3);
      assert.equal(agent.toolCallCount, 2);
      assert.equal(agent.inputTokens, 3 * 412);
      assert.equal(agent.outputTokens, 3 * 96);
      assert.ok(Math.abs(agent.costUsd - 3 * 0.0001194) < 1e-12, `costUsd ${agent.costUsd}`);
      assert.deepEqual(sorted(agent.models), ['gpt-4o-mini']);
      assert.deepEqual(sorted(agent.agents), ['support']);
      assert.equal(agent.sessionId, 's-1');
      assert.equal(agent.userId, 'u-1');

      const rag = page.items.find((item) => item.traceId === traceIdOf(catalog.rag));
      assert.ok(rag);
      assert.equal(rag.errorCount, 1);
      assert.deepEqual(rag.agents, []);
      assert.deepEqual(rag.models, ['claude-sonnet-4']);
    });

    it('filters by service, root name, span type, model, provider, agent and tool', async () => {
      await expectIds({ service: 'search-api' }, ['rag']);
      await expectIds({ service: 'nope' }, []);
      await expectIds({ name: 'RAG Query' }, ['rag']);
      await expectIds({ name: 'vector search' }, []);
      await expectIds({ spanType: 'retrieval' }, ['rag']);
      await expectIds({ spanType: 'embedding' }, ['embedding']);
      await expectIds({ spanType: 'tool' }, ['agent']);
      await expectIds({ model: 'gpt-4o-mini' }, ['agent', 'agentLater']);
      await expectIds({ model: 'claude-sonnet-4' }, ['rag']);
      await expectIds({ provider: 'anthropic' }, ['rag']);
      await expectIds({ provider: 'openai' }, ['agent', 'agentLater', 'embedding']);
      await expectIds({ agent: 'support' }, ['agent', 'agentLater']);
      await expectIds({ tool: 'create_replacement_order' }, ['agent']);
      await expectIds({ model: 'gpt-4o-mini', tool: 'create_replacement_order' }, ['agent']);
    });

    it('filters by status, session, user, duration and cost', async () => {
      await expectIds({ status: 'error' }, ['rag']);
      await expectIds({ status: 'ok' }, ['agent', 'agentLater', 'embedding']);
      await expectIds({ sessionId: 's-1' }, ['agent', 'agentLater']);
      await expectIds({ userId: 'u-2' }, ['rag']);
      await expectIds({ minDurationMs: 5000 }, ['embedding']);
      await expectIds({ minDurationMs: 3000 }, ['rag', 'embedding']);
      await expectIds({ minDurationMs: 2000 }, ['agent', 'rag', 'embedding']);
      await expectIds({ minCostUsd: 0.01 }, ['rag']);
    });

    it('finds text case-insensitively in previews and span names', async () => {
      await expectIds({ text: 'eiffel' }, ['rag']);
      await expectIds({ text: 'CHAMP DE' }, ['rag']);
      await expectIds({ text: 'vector SEARCH' }, ['rag']);
      await expectIds({ text: 'replacement order #48377' }, ['agent', 'agentLater']);
      await expectIds({ text: 'no such text anywhere' }, []);
      await expectIds({ text: '%' }, []);
    });

    it('filters by attribute value rendered as text', async () => {
      await expectIds({ attributes: [{ key: 'tenant.id', value: 'acme' }] }, ['rag']);
      await expectIds({ attributes: [{ key: 'tenant.id', value: 'ACME' }] }, []);
      await expectIds({ attributes: [{ key: 'retry.count', value: '3' }] }, ['rag']);
      await expectIds({ attributes: [{ key: 'cache.hit', value: 'true' }] }, ['rag']);
      await expectIds({ attributes: [{ key: 'score', value: '0.75' }] }, ['rag']);
      await expectIds({ attributes: [{ key: 'gen_ai.tool.name', value: 'create_replacement_order' }] }, ['agent']);
      await expectIds(
        {
          attributes: [
            { key: 'tenant.id', value: 'acme' },
            { key: 'retry.count', value: '4' },
          ],
        },
        [],
      );
    });

    for (const field of ['startTime', 'duration', 'cost', 'tokens'] as const) {
      for (const descending of [false, true]) {
        it(`sorts by ${descending ? '-' : ''}${field}`, async () => {
          const page = await store.listTraces(query({ sort: { field, descending } }));
          assert.equal(page.items.length, 4);
          const keys = page.items.map((item) => sortKey(item, field));
          const expected = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          if (descending) expected.reverse();
          assert.deepEqual(keys, expected);
        });
      }
    }

    it('rejects a cursor it did not issue', async () => {
      await assert.rejects(store.listTraces(query({ cursor: 'not-a-cursor' })), InvalidCursorError);
      await assert.rejects(store.listTraces(query({ cursor: 'eyJ4IjoxfQ' })), InvalidCursorError);
    });
  });

  describe('listTraces paging and totals', () => {
    for (const field of ['startTime', 'cost'] as const) {
      it(`pages through more traces than the limit without duplicates or gaps (sort ${field}, ties included)`, () =>
        withStore(harness, async (store) => {
          const spans = [];
          for (let index = 0; index < 23; index++) {
            // Pairs of traces share a start time and every trace costs the same: ties everywhere.
            spans.push(...buildAgentTrace({ startUnixNano: T0 + BigInt(Math.floor(index / 2)) * NS_PER_MINUTE, llmCalls: 1 }));
          }
          await store.write({ spans, events: [] });
          const base = query({ sort: { field, descending: true }, limit: 5 });
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let pageIndex = 0; pageIndex < 10; pageIndex++) {
            const page = await store.listTraces({ ...base, cursor });
            assert.ok(page.items.length <= 5);
            seen.push(...page.items.map((item) => item.traceId));
            if (page.nextCursor === null) break;
            cursor = page.nextCursor;
          }
          assert.equal(seen.length, 23);
          assert.equal(new Set(seen).size, 23);
          const all = await store.listTraces({ ...base, limit: 500 });
          assert.deepEqual(seen, all.items.map((item) => item.traceId));
          assert.equal(all.nextCursor, null);
        }));
    }

    it('counts tokens and cost of model calls only, never of wrappers', () =>
      withStore(harness, async (store) => {
        const traceId = nextTraceId();
        const usage = (inputTokens: number, outputTokens: number) => ({
          inputTokens,
          outputTokens,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          reasoningTokens: 0,
        });
        const root = buildSpanRecord({ traceId, spanType: 'agent', startTimeUnixNano: T0, usage: usage(1000, 500), hasUsage: true, costUsd: 1 });
        const step = (offset: bigint) =>
          buildSpanRecord({
            traceId,
            parentSpanId: root.spanId,
            spanType: 'llm',
            startTimeUnixNano: T0 + offset,
            usage: usage(100, 50),
            costUsd: 0.01,
          });
        const embed = buildSpanRecord({ traceId, parentSpanId: root.spanId, spanType: 'embedding', startTimeUnixNano: T0 + 3n, usage: usage(7, 0), costUsd: 0.001 });
        const tool = buildSpanRecord({ traceId, parentSpanId: root.spanId, spanType: 'tool', startTimeUnixNano: T0 + 4n, usage: usage(5, 5), hasUsage: true, costUsd: 5 });
        await store.write({ spans: [root, step(1n), step(2n), embed, tool], events: [] });
        const trace = await store.getTrace('default', traceId);
        assert.ok(trace);
        assert.equal(trace.summary.inputTokens, 207);
        assert.equal(trace.summary.outputTokens, 100);
        assert.ok(Math.abs(trace.summary.costUsd - 0.021) < 1e-12, `costUsd ${trace.summary.costUsd}`);
        assert.equal(trace.summary.llmCallCount, 2);
        assert.equal(trace.summary.toolCallCount, 1);
        const listed = await store.listTraces(query({ fromUnixNano: T0, toUnixNano: T0 + NS_PER_MINUTE }));
        assert.deepEqual(listed.items, [trace.summary]);
      }));
  });
}

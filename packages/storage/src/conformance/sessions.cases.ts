// Sessions (traces grouped by session id) and store-wide stats.

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { SessionQuery } from '../trace-store.js';
import { buildCatalog, CATALOG_FROM, CATALOG_TO, traceIdOf, writeCatalog } from './catalog.js';
import { buildAgentTrace } from './span-builder.js';
import type { TraceStoreHarness } from './harness.js';
import { NS_PER_MINUTE, T0, withStore } from './harness.js';

function sessionQuery(overrides: Partial<SessionQuery> = {}): SessionQuery {
  return { projectId: 'default', fromUnixNano: CATALOG_FROM, toUnixNano: CATALOG_TO, limit: 50, ...overrides };
}

export function registerSessionCases(harness: TraceStoreHarness): void {
  describe('sessions and stats', () => {
    it('lists sessions active in the window with totals, and returns a session with its traces in time order', () =>
      withStore(harness, async (store) => {
        const catalog = buildCatalog();
        await writeCatalog(store, catalog);

        const page = await store.listSessions(sessionQuery());
        assert.deepEqual(page.items.map((item) => item.sessionId).sort(), ['s-1', 's-2']);
        assert.equal(page.nextCursor, null);
        const s1 = page.items.find((item) => item.sessionId === 's-1');
        assert.ok(s1);
        assert.equal(s1.traceCount, 2);
        assert.equal(s1.firstSeenUnixNano, catalog.agent[0]!.startTimeUnixNano);
        assert.equal(s1.lastSeenUnixNano, catalog.agentLater[0]!.endTimeUnixNano);
        assert.equal(s1.inputTokens, 4 * 412);
        assert.equal(s1.outputTokens, 4 * 96);
        assert.ok(Math.abs(s1.costUsd - 4 * 0.0001194) < 1e-12);

        const session = await store.getSession('default', 's-1');
        assert.ok(session);
        assert.deepEqual(session.session, s1);
        assert.deepEqual(
          session.traces.map((trace) => trace.traceId),
          [traceIdOf(catalog.agent), traceIdOf(catalog.agentLater)],
        );
        assert.equal(session.traces[0]!.spanCount, 6);
        assert.equal(await store.getSession('default', 'no-such-session'), null);
        assert.equal(await store.getSession('other-project', 's-1'), null);
      }));

    it('pages through sessions', () =>
      withStore(harness, async (store) => {
        const spans = [];
        for (let index = 0; index < 7; index++) {
          spans.push(...buildAgentTrace({ startUnixNano: T0 + BigInt(index) * NS_PER_MINUTE, sessionId: `page-${index}`, llmCalls: 1 }));
        }
        await store.write({ spans, events: [] });
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let pageIndex = 0; pageIndex < 10; pageIndex++) {
          const page = await store.listSessions(sessionQuery({ limit: 3, cursor }));
          seen.push(...page.items.map((item) => item.sessionId));
          if (page.nextCursor === null) break;
          cursor = page.nextCursor;
        }
        assert.deepEqual([...seen].sort(), ['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'page-6']);
        assert.deepEqual(seen, ['page-6', 'page-5', 'page-4', 'page-3', 'page-2', 'page-1', 'page-0'], 'most recent first');
      }));

    it('reports span and trace counts and a size', () =>
      withStore(harness, async (store) => {
        const empty = await store.stats();
        assert.equal(empty.spanCount, 0);
        assert.equal(empty.traceCount, 0);
        const catalog = buildCatalog();
        await writeCatalog(store, catalog);
        const stats = await store.stats();
        const spanCount = Object.values(catalog).reduce((total, spans) => total + spans.length, 0);
        assert.equal(stats.spanCount, spanCount);
        assert.equal(stats.traceCount, 5);
        assert.ok(stats.storeBytes > 0);
        assert.match(store.description, /\S/);
      }));
  });
}

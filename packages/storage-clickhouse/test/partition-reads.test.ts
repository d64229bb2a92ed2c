// Reads that lean on the trace_parts index beyond the conformance suite: a trace read by id only
// opens its own day partitions (trace-bounds.ts) yet comes back whole across midnight and without
// index rows; cost and token sorts rank from the spans (trace-rank-read.ts) with exact order and
// cursors despite repeated and replaced rows; the session list takes its candidates from the
// index's days (session-list-read.ts) and still lists exactly the sessions with a span starting
// in the window. Everything runs on one server and on a two-shard cluster (Distributed tables).

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { SpanRecord, TraceSummary } from '@cairn/model';
import type { StoredSpan, TraceQuery, TraceStore } from '@cairn/storage';
import { buildAgentTrace, NS_PER_HOUR, T0 } from '@cairn/storage/conformance';
import { openClickHouseStore } from '../src/index.js';
import type { ClickHouseServerProcess } from '../src/testing/index.js';
import { clickHouseSkipReason, startClickHouseServer, startClickHouseServers } from '../src/testing/index.js';
import { statementOn } from './support/clickhouse-suite.js';

const NS_PER_DAY = 24n * NS_PER_HOUR;
const NS_PER_SECOND = 1_000_000_000n;
const MIDNIGHT = (T0 / NS_PER_DAY + 1n) * NS_PER_DAY;

function traceId(index: number): string {
  return index.toString(16).padStart(32, '0');
}

async function walk(store: TraceStore, query: Omit<TraceQuery, 'cursor'>): Promise<TraceSummary[]> {
  const items: TraceSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listTraces({ ...query, ...(cursor === undefined ? {} : { cursor }) });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}

const CLUSTER = 'reads_cluster';

for (const shardCount of [1, 2]) {
  describe(`ClickHouse partition-pruned and ranked reads (${shardCount === 1 ? 'one server' : 'two-shard cluster'})`, { skip: clickHouseSkipReason() }, () => {
    const servers: ClickHouseServerProcess[] = [];
    let databases = 0;
    const database = () => `reads_test_${process.pid}_${++databases}`;
    const query = statementOn;
    /** A statement through the entry server (Distributed tables in the cluster). */
    const sql = (name: string, statement: string) => query(servers[0]!.url, name, statement);
    /** A statement on the table holding the rows on every node. */
    const onEveryNode = async (name: string, statement: (local: string) => string, table: string) => {
      for (const server of servers) await query(server.url, name, statement(shardCount === 1 ? table : `${table}_local`));
    };
    const open = (name: string) =>
      openClickHouseStore({
        url: servers[0]!.url,
        database: name,
        ...(shardCount === 1 ? {} : { cluster: { name: CLUSTER, shardUrls: servers.map((server) => server.url) } }),
      });

    before(async () => {
      if (shardCount === 1) {
        servers.push(await startClickHouseServer());
        return;
      }
      const started = await startClickHouseServers(shardCount, (ports, index) => ({ ports: ports[index]!, cluster: { name: CLUSTER, shards: ports.map(({ tcpPort }) => ({ tcpPort })) } }));
      servers.push(...started.servers);
    });
    after(async () => {
      for (const server of servers) await server.stop();
      for (const server of servers) await fs.rm(server.dir, { recursive: true, force: true });
    });

    it('reads a trace whose spans straddle midnight UTC whole: by id, as a tree and span by span', async () => {
      const name = database();
      const store = await open(name);
      try {
        const spans = buildAgentTrace({ traceId: traceId(1), startUnixNano: MIDNIGHT - 2n * NS_PER_SECOND, llmCalls: 4 });
        // The last span starts after midnight and ends before it starts: bounds from ends would miss it.
        const last = spans[spans.length - 1]!;
        last.endTimeUnixNano = last.startTimeUnixNano - 1_000_000n;
        assert.ok(spans.some((span) => span.startTimeUnixNano < MIDNIGHT) && last.startTimeUnixNano > MIDNIGHT);
        // Neighbours in other day partitions of the same project.
        const others = [buildAgentTrace({ traceId: traceId(2), startUnixNano: MIDNIGHT - 3n * NS_PER_DAY }), buildAgentTrace({ traceId: traceId(3), startUnixNano: MIDNIGHT + 2n * NS_PER_DAY })];
        await store.write({ spans: [...spans, ...others.flat()], events: [] });

        const full = await store.getTrace('default', traceId(1));
        assert.deepEqual(full?.spans.map((span) => span.spanId).sort(), spans.map((span) => span.spanId).sort());
        assert.equal(full?.summary.spanCount, spans.length);
        assert.equal(full?.summary.endTimeUnixNano, spans.reduce((end, span) => (span.endTimeUnixNano > end ? span.endTimeUnixNano : end), 0n));
        const tree = await store.getTrace('default', traceId(1), { view: 'tree' });
        assert.equal(tree?.spans.length, spans.length);
        for (const span of spans.filter((candidate) => candidate.startTimeUnixNano >= MIDNIGHT - NS_PER_SECOND)) {
          const detail = await store.getSpan('default', traceId(1), span.spanId);
          assert.equal(detail?.startTimeUnixNano, span.startTimeUnixNano, `span ${span.spanId} read`);
        }
        assert.equal(await store.getTrace('default', traceId(9)), null, 'an unknown trace is still not found');
      } finally {
        await store.close();
      }
    });

    it('still reads a trace that has no index rows (spans written by a server without the index)', async () => {
      const name = database();
      const store = await open(name);
      try {
        const spans = buildAgentTrace({ traceId: traceId(4), startUnixNano: T0, llmCalls: 2 });
        await store.write({ spans: [...spans, ...buildAgentTrace({ traceId: traceId(5), startUnixNano: T0 + NS_PER_DAY })], events: [] });
        await onEveryNode(name, (table) => `ALTER TABLE ${table} DELETE WHERE trace_id = '${traceId(4)}'`, 'trace_parts');
        // ALTER DELETE is a mutation: applied in the background.
        for (let attempt = 0; attempt < 100 && (await sql(name, `SELECT count() FROM trace_parts WHERE trace_id = '${traceId(4)}'`)) !== '0\n'; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        assert.equal(await sql(name, `SELECT count() FROM trace_parts WHERE trace_id = '${traceId(4)}'`), '0\n');
        assert.equal((await store.getTrace('default', traceId(4)))?.spans.length, spans.length);
        assert.equal((await store.getTrace('default', traceId(4), { view: 'tree' }))?.spans.length, spans.length);
        assert.equal((await store.getSpan('default', traceId(4), spans[1]!.spanId))?.name, spans[1]!.name);
      } finally {
        await store.close();
      }
    });

    it('walks cost- and token-sorted lists page by page in exact order, with repeated and replaced rows among the traces', async () => {
      const name = database();
      const one = await open(name);
      const two = await open(name);
      try {
        const traces: SpanRecord[][] = [];
        for (let index = 0; index < 90; index++) {
          const spans = buildAgentTrace({ traceId: traceId(100 + index), startUnixNano: T0 + BigInt(index) * NS_PER_SECOND, llmCalls: 1 + (index % 3) });
          const calls = spans.filter((span) => span.spanType === 'llm');
          // Ties every 45 traces (broken by trace id); the 70 costliest traces have an error.
          const cost = ((index * 37) % 45) + 1;
          for (const call of calls) call.costUsd = cost / 1000 / calls.length;
          if (cost > 45 - 35) calls[0]!.status = { code: 'error', message: 'failed' };
          traces.push(spans);
        }
        await one.write({ spans: traces.slice(70).flat(), events: [] });
        // Two servers racing on the same retried batch: every span of these traces stored twice
        // (more of them than one ranking batch of 64, so their set is a subquery, not a list).
        const raced = traces.slice(0, 70).flat();
        await Promise.all([one.write({ spans: raced, events: [] }), two.write({ spans: raced, events: [] })]);
        assert.ok(Number(await sql(name, 'SELECT count() FROM spans')) > traces.flat().length, 'repeated rows are stored');
        // A replacement row (updateSpanSemantics) makes a cheap trace the costliest.
        const { input: _input, output: _output, ...stored } = traces[20]!.find((span) => span.spanType === 'llm')!;
        await one.updateSpanSemantics([{ ...stored, costUsd: 7 } as StoredSpan], 2);

        const summaries = await Promise.all(traces.map(async (spans) => (await one.getTrace('default', spans[0]!.traceId))!.summary));
        assert.equal(Math.max(...summaries.map((summary) => summary.costUsd)), summaries[20]!.costUsd);
        const window = { projectId: 'default', fromUnixNano: T0 - NS_PER_HOUR, toUnixNano: T0 + NS_PER_DAY };
        const byId = (a: TraceSummary, b: TraceSummary) => (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0);
        const costDesc = [...summaries].sort((a, b) => b.costUsd - a.costUsd || byId(b, a));
        assert.deepEqual(await walk(one, { ...window, sort: { field: 'cost', descending: true }, limit: 7 }), costDesc);
        const tokens = (summary: TraceSummary) => summary.inputTokens + summary.outputTokens;
        const tokensAsc = [...summaries].sort((a, b) => tokens(a) - tokens(b) || byId(a, b));
        assert.deepEqual(await walk(two, { ...window, sort: { field: 'tokens', descending: false }, limit: 9 }), tokensAsc);
        // The costliest 70 fail the filter: the ranking has to go past its first batch.
        const okOnly = costDesc.filter((summary) => summary.errorCount === 0);
        assert.ok(okOnly.length > 0 && okOnly.length < 30);
        assert.deepEqual(await walk(one, { ...window, status: 'ok', sort: { field: 'cost', descending: true }, limit: 4 }), okOnly);
        assert.deepEqual(await walk(one, { ...window, status: 'ok', sort: { field: 'cost', descending: false }, limit: 100 }), [...okOnly].reverse());
      } finally {
        await one.close();
        await two.close();
      }
    });

    it('lists the sessions with a span starting in the window: not one whose spans all began earlier that day', async () => {
      const name = database();
      const store = await open(name);
      try {
        const from = T0 + 6n * NS_PER_HOUR;
        const spans = [
          ...buildAgentTrace({ traceId: traceId(200), sessionId: 'early', startUnixNano: T0 + NS_PER_HOUR }),
          // Starts before the window, later spans inside it.
          ...buildAgentTrace({ traceId: traceId(201), sessionId: 'spanning', startUnixNano: from - NS_PER_SECOND, llmCalls: 4 }),
          ...Array.from({ length: 30 }, (_, index) => buildAgentTrace({ traceId: traceId(300 + index), sessionId: `inside-${index % 25}`, startUnixNano: from + BigInt(index) * 60n * NS_PER_SECOND })).flat(),
        ];
        await store.write({ spans, events: [] });
        const window = { projectId: 'default', fromUnixNano: from, toUnixNano: from + NS_PER_DAY };
        const listed = [];
        let cursor: string | undefined;
        do {
          const page = await store.listSessions({ ...window, limit: 4, ...(cursor === undefined ? {} : { cursor }) });
          listed.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor !== undefined);
        const expectedIds = ['spanning', ...Array.from({ length: 25 }, (_, index) => `inside-${index}`)];
        const expected = await Promise.all(expectedIds.map(async (id) => (await store.getSession('default', id))!.session));
        expected.sort((a, b) => (a.lastSeenUnixNano === b.lastSeenUnixNano ? (a.sessionId < b.sessionId ? 1 : -1) : a.lastSeenUnixNano < b.lastSeenUnixNano ? 1 : -1));
        assert.deepEqual(listed, expected);
        assert.equal(listed.find((session) => session.sessionId === 'inside-3')?.traceCount, 2);
      } finally {
        await store.close();
      }
    });
  });
}

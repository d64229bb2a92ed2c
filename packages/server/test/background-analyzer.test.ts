// The background analyzer against a real DuckDB store: traces that went quiet while no server was
// analyzing (spans received hours before the start) are analyzed once the analyzer starts.

import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TraceStore } from '@cairn/storage';
import { buildAgentTrace, buildSpanRecord } from '@cairn/storage/conformance';
import { openDuckDbStore } from '@cairn/storage-duckdb';
import { BackgroundAnalyzer } from '../src/analytics/background-analyzer.js';
import { silentLogger } from '../src/logger.js';
import { sessionTraces, withoutBulkReads } from './support/session-traces.js';

const NS_PER_HOUR = 3_600_000_000_000n;

test('traces received before the lookback are analyzed after a start (catch-up), then polls look back normally', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-analyzer-'));
  const store = await openDuckDbStore({ dataDir });
  try {
    const now = BigInt(Date.now()) * 1_000_000n;
    const old = buildAgentTrace({ startUnixNano: now - 5n * NS_PER_HOUR }).map((span) => ({ ...span, receivedUnixNano: now - 5n * NS_PER_HOUR }));
    const older = buildAgentTrace({ startUnixNano: now - 30n * 24n * NS_PER_HOUR }).map((span) => ({ ...span, receivedUnixNano: now - 30n * 24n * NS_PER_HOUR }));
    await store.write({ spans: [...old, ...older], events: [] });
    const traceId = old[0]!.traceId;

    const analyzer = new BackgroundAnalyzer({ store, logger: silentLogger, quietMillis: 1000, lookbackMillis: 3_600_000, pollMillis: 3_600_000 });
    analyzer.start(); // polls are driven by hand below; the first timed one is an hour away
    assert.equal(await analyzer.runOnce(), 1, 'the 5-hour-old trace is due in the catch-up poll; the 30-day-old one is beyond it');
    const findings = await store.getFindings(old[0]!.projectId, traceId);
    assert.notEqual(findings, null, 'the old trace was analyzed');
    assert.equal(await store.getFindings(older[0]!.projectId, older[0]!.traceId), null);

    // Caught up: a trace that goes quiet-and-old now is outside the 1-hour lookback.
    const later = buildAgentTrace({ startUnixNano: now - 3n * NS_PER_HOUR }).map((span) => ({ ...span, receivedUnixNano: now - 3n * NS_PER_HOUR }));
    await store.write({ spans: later, events: [] });
    assert.equal(await analyzer.runOnce(), 0);
    await analyzer.stop();
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('a model call nested in another that arrived in a different request is counted once after analysis', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-analyzer-'));
  const store = await openDuckDbStore({ dataDir });
  try {
    const now = BigInt(Date.now()) * 1_000_000n;
    const received = now - 60_000_000_000n;
    const agent = buildSpanRecord({ spanType: 'agent', startTimeUnixNano: now - 120_000_000_000n, receivedUnixNano: received });
    const outer = buildSpanRecord({ traceId: agent.traceId, parentSpanId: agent.spanId, spanType: 'llm', name: 'chat claude-3-5-haiku', startTimeUnixNano: agent.startTimeUnixNano + 1_000_000n, receivedUnixNano: received });
    const inner = buildSpanRecord({ traceId: agent.traceId, parentSpanId: outer.spanId, spanType: 'llm', name: 'anthropic.messages.create', startTimeUnixNano: outer.startTimeUnixNano + 1_000_000n, receivedUnixNano: received });
    // Two requests: the store alone cannot see that the calls are one.
    await store.write({ spans: [inner], events: [] });
    await store.write({ spans: [agent, outer], events: [] });
    const before = (await store.getTrace('default', agent.traceId))!.summary;
    assert.equal(before.llmCallCount, 2);

    const analyzer = new BackgroundAnalyzer({ store, logger: silentLogger, quietMillis: 1000, pollMillis: 3_600_000 });
    analyzer.start();
    assert.equal(await analyzer.runOnce(), 1);
    await analyzer.stop();
    const after = (await store.getTrace('default', agent.traceId))!;
    assert.equal(after.summary.llmCallCount, 1);
    assert.equal(after.summary.inputTokens, inner.usage.inputTokens);
    assert.equal(after.summary.costUsd, inner.costUsd);
    assert.equal(after.spans.find((span) => span.spanId === outer.spanId)?.spanType, 'chain');
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('the bulk reads find exactly what reading trace by trace finds', async () => {
  const now = BigInt(Date.now()) * 1_000_000n;
  const traces = sessionTraces(now);
  const findingsOf = async (read: (store: TraceStore) => TraceStore) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-analyzer-'));
    const store = await openDuckDbStore({ dataDir });
    try {
      for (const spans of traces) await store.write({ spans, events: [] });
      const analyzer = new BackgroundAnalyzer({ store: read(store), logger: silentLogger, quietMillis: 1000, pollMillis: 3_600_000, batchTraces: 5 });
      analyzer.start();
      while ((await analyzer.runOnce()) > 0);
      await analyzer.stop();
      const findings: unknown[] = [];
      for (const spans of traces) {
        const record = await store.getFindings('default', spans[0]!.traceId);
        assert.ok(record, 'every trace was analyzed');
        findings.push({ traceId: record.traceId, findings: record.findings });
      }
      return findings;
    } finally {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  };
  const bulk = await findingsOf((store) => store);
  const oneByOne = await findingsOf(withoutBulkReads);
  assert.deepEqual(bulk, oneByOne);
  const broken = bulk.filter((entry) => JSON.stringify(entry).includes('broken_trace'));
  assert.equal(broken.length, 2, 'both halves of the split run are flagged');
});

test('polls are put off while ingest keeps the store writing, for at most maxDeferMillis', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-analyzer-'));
  const store = await openDuckDbStore({ dataDir });
  try {
    const now = BigInt(Date.now()) * 1_000_000n;
    const spans = buildAgentTrace({ startUnixNano: now - 120_000_000_000n }).map((span) => ({ ...span, receivedUnixNano: now - 60_000_000_000n }));
    await store.write({ spans, events: [] });
    // The store "writes" all the time: busy time grows with wall time.
    const origin = performance.now();
    let saturated = true;
    let idleBusy = 0;
    const ingestBusyMillis = () => (saturated ? performance.now() - origin : idleBusy);
    const analyzer = new BackgroundAnalyzer({ store, logger: silentLogger, quietMillis: 1000, pollMillis: 20, ingestBusyMillis, maxDeferMillis: 3_600_000 });
    analyzer.start();
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.ok(analyzer.deferredPolls >= 3, `polls were put off (${analyzer.deferredPolls})`);
    assert.equal(await store.getFindings('default', spans[0]!.traceId), null, 'not analyzed while the store writes all the time');
    idleBusy = performance.now() - origin;
    saturated = false;
    const deadline = Date.now() + 10_000;
    while ((await store.getFindings('default', spans[0]!.traceId)) === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.notEqual(await store.getFindings('default', spans[0]!.traceId), null, 'analyzed once ingest calmed down');
    await analyzer.stop();

    // Saturated for good: the poll still runs once maxDeferMillis has passed.
    const later = buildAgentTrace({ startUnixNano: now - 100_000_000_000n }).map((span) => ({ ...span, receivedUnixNano: now - 50_000_000_000n }));
    await store.write({ spans: later, events: [] });
    saturated = true;
    const bounded = new BackgroundAnalyzer({ store, logger: silentLogger, quietMillis: 1000, pollMillis: 20, ingestBusyMillis, maxDeferMillis: 200 });
    bounded.start();
    const until = Date.now() + 10_000;
    while ((await store.getFindings('default', later[0]!.traceId)) === null && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    await bounded.stop();
    assert.notEqual(await store.getFindings('default', later[0]!.traceId), null, 'analyzed after being put off for maxDeferMillis');
    assert.ok(bounded.deferredPolls > 0);
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

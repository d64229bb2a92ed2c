// The background analyzer on ClickHouse, which has no bulk reads: a poll reads its traces,
// sessions and session peers trace by trace, several at a time. Every trace gets its analysis,
// and the one run split in two by a lost trace context is flagged in both halves.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { TraceStore } from '@cairn/storage';
import { openClickHouseStore } from '@cairn/storage-clickhouse';
import type { ClickHouseServerProcess } from '@cairn/storage-clickhouse/testing';
import { clickHouseSkipReason, startClickHouseServer } from '@cairn/storage-clickhouse/testing';
import { BackgroundAnalyzer } from '../../packages/server/src/analytics/background-analyzer.js';
import { silentLogger } from '../../packages/server/src/logger.js';
import { sessionTraces } from '../../packages/server/test/support/session-traces.js';

describe('background analysis on ClickHouse', { skip: clickHouseSkipReason() }, () => {
  let server: ClickHouseServerProcess;
  before(async () => {
    server = await startClickHouseServer();
  });
  after(async () => {
    await server?.stop();
    if (server) await fs.rm(server.dir, { recursive: true, force: true });
  });

  it('analyzes every quiet trace and flags both halves of a split run', async () => {
    const store = await openClickHouseStore({ url: server.url, database: `analysis_${process.pid}` });
    try {
      assert.equal((store as TraceStore).getTraces, undefined, 'this test is about stores without bulk reads');
      const traces = sessionTraces(BigInt(Date.now()) * 1_000_000n);
      for (const spans of traces) await store.write({ spans, events: [] });
      const analyzer = new BackgroundAnalyzer({ store, logger: silentLogger, quietMillis: 1000, pollMillis: 3_600_000, batchTraces: 5 });
      analyzer.start(); // polls driven below
      let polls = 0;
      while ((await analyzer.runOnce()) > 0 && polls < 20) polls++;
      await analyzer.stop();
      const broken: string[] = [];
      for (const spans of traces) {
        const record = await store.getFindings('default', spans[0]!.traceId);
        assert.ok(record, `trace ${spans[0]!.traceId} was analyzed`);
        if (record.findings.some((finding) => finding.kind === 'broken_trace')) broken.push(record.traceId);
      }
      const [caller, callee] = traces.slice(-2).map((spans) => spans[0]!.traceId);
      assert.deepEqual(broken.sort(), [caller!, callee!].sort());
    } finally {
      await store.close();
    }
  });
});

// The write queue's group commit on the real DuckDB store: exports that wait while a write runs go
// into the next write together; under sustained load that write also waits (batchWaitMillis) for
// more to gather, unless minBatchSpans are already there or, when the queue is told what an
// ingest thread is preparing for it, nothing is on its way; a lone export on an idle queue is
// written at once. The store's own count of writes (IngestCounters.batchesWritten) shows it.

import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { TraceStore, WriteBatch, WriteResult } from '@cairn/storage';
import { buildSpanRecord, nextTraceId } from '@cairn/storage/conformance';
import { openDuckDbStore } from '@cairn/storage-duckdb';
import { createIngestCounters, type IngestCounters } from '../src/ingest/ingest-stats.js';
import { WriteQueue } from '../src/ingest/write-queue.js';
import { silentLogger } from '../src/logger.js';

let dir: string;
let store: TraceStore;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-write-queue-'));
  store = await openDuckDbStore({ dataDir: dir });
});
after(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function makeQueue(batchWaitMillis: number, incoming?: () => number): { queue: WriteQueue; counters: IngestCounters } {
  const counters = createIngestCounters();
  const queue = new WriteQueue({
    store,
    logger: silentLogger,
    counters,
    maxQueuedSpans: 50_000,
    maxBatchSpans: 10_000,
    minBatchSpans: 2_000,
    batchWaitMillis,
    ...(incoming ? { incoming } : {}),
    queueFullRetryAfterSeconds: 1,
    writeFailedRetryAfterSeconds: 1,
  });
  return { queue, counters };
}

function batch(spanCount: number): WriteBatch {
  const traceId = nextTraceId();
  return { spans: Array.from({ length: spanCount }, () => buildSpanRecord({ traceId })), events: [] };
}

/**
 * A is written at once (idle queue) while B waits; C comes 1 ms after A was answered, i.e. after
 * the queue took up the write that follows A. Resolves with the three results.
 */
async function busyQueue(queue: WriteQueue, bSpans: number): Promise<WriteResult[]> {
  const a = queue.submit(batch(10));
  const b = queue.submit(batch(bSpans));
  const c = a.then(async () => {
    await sleep(1);
    return queue.submit(batch(10));
  });
  return Promise.all([a, b, c]);
}

describe('write queue', () => {
  it('under load, lets the next write wait for more exports and carries them together', async () => {
    const { queue, counters } = makeQueue(500);
    const results = await busyQueue(queue, 10);
    assert.deepEqual(
      results.map((result) => result.accepted),
      [10, 10, 10],
    );
    // A alone, then B and C in one write.
    assert.equal(counters.batchesWritten, 2);
    await queue.close();
  });

  it('writes what is waiting at once with --batch-wait-ms 0', async () => {
    const { queue, counters } = makeQueue(0);
    await busyQueue(queue, 10);
    // A, then B (taken as A ended), then C.
    assert.equal(counters.batchesWritten, 3);
    await queue.close();
  });

  it('does not wait when minBatchSpans are already waiting', async () => {
    const { queue, counters } = makeQueue(500);
    const results = await busyQueue(queue, 2_500);
    assert.equal(results[1]!.accepted, 2_500);
    // B is written as soon as A ended, without C.
    assert.equal(counters.batchesWritten, 3);
    await queue.close();
  });

  it('ends a write\'s wait when the server closes, writing what waited', { timeout: 20_000 }, async () => {
    const { queue, counters } = makeQueue(60_000);
    const a = queue.submit(batch(10));
    const b = queue.submit(batch(10));
    await a;
    await sleep(5);
    // B's write is now waiting up to 60 s for more exports; closing must not sit that out (a close
    // that did would run past this test's 20-s timeout).
    await queue.close();
    assert.equal((await b).accepted, 10);
    assert.equal(counters.batchesWritten, 2);
  });

  it('does not wait under load when it knows nothing more is on its way (no export in an ingest thread)', { timeout: 20_000 }, async () => {
    const { queue, counters } = makeQueue(60_000, () => 0);
    // A queue that waited would sit out the 60 s, past this test's timeout.
    await busyQueue(queue, 10);
    // A, then B (taken as A ended, nothing being prepared), then C.
    assert.equal(counters.batchesWritten, 3);
    await queue.close();
  });

  it('waits while an export is on its way and writes as soon as the last one arrives', { timeout: 20_000 }, async () => {
    let onTheWay = 1;
    const { queue, counters } = makeQueue(60_000, () => onTheWay);
    const a = queue.submit(batch(10));
    const b = queue.submit(batch(10));
    await a;
    await sleep(20);
    // B's write is waiting: an export is still being prepared. Its arrival ends the wait.
    assert.equal(counters.batchesWritten, 1);
    onTheWay = 0;
    const c = queue.submit(batch(10));
    assert.deepEqual(
      (await Promise.all([b, c])).map((result) => result.accepted),
      [10, 10],
    );
    // A alone, then B and C together, long before the 60-s wait would have ended.
    assert.equal(counters.batchesWritten, 2);
    await queue.close();
  });

  it('writes a lone export on an idle queue at once, however long the wait under load', { timeout: 20_000 }, async () => {
    const { queue, counters } = makeQueue(60_000);
    assert.equal((await queue.submit(batch(5))).accepted, 5);
    await sleep(5);
    assert.equal((await queue.submit(batch(5))).accepted, 5);
    assert.equal(counters.batchesWritten, 2);
    await queue.close();
  });
});

// Bounded write queue with group commit. While one store.write runs, new requests wait; the next
// write takes whole requests from the head of the queue up to maxBatchSpans, so many small
// exports share one durable commit. Each request's promise settles only after the write that
// carried it, which is what lets the receivers answer 200 = durable.
//
//   request A ──▶ write[A] ─────────────▶ resolve A
//   request B ──▶ wait ┐
//   request C ──▶ wait ┴──────────────▶ write[B+C] ──▶ resolve B, C
//
// The bound counts spans and detached events waiting (not the write in progress); a request that
// would pass it is refused at once (QueueFullError → 429 / UNAVAILABLE) rather than buffered.
//
// Under sustained load (requests were waiting when a write ended) the next write waits up to
// batchWaitMillis for minBatchSpans to gather: every write has a fixed cost (DuckDB: ~8 ms of
// transaction, appender flushes and commit whatever its size), and writes taken as soon as the
// previous one ended shrank as the writer got faster (~870 spans each), so that cost ate what the
// writer saved. A lone request after a quiet spell is written at once. When the queue knows what
// is on its way (`incoming`: requests an ingest thread is preparing), a write waits only while
// something is. Such requests reach the queue one by one as the thread finishes them: with a
// 10-ms wait writes carried ~1,300 spans, with 25 ms ~1,750 (BENCHMARKS.md, eleventh round).
//
// A store with prepareWrite (DuckDB) encodes each request when it is submitted, so the queue
// holds encoded rows instead of records: records that wait survive young-generation GCs, which
// cost the main thread more than the encoding, and the encoding overlaps the write in progress.
// With an ingest thread the rows arrive encoded already (submitPrepared).

import type { PreparedWrite, TraceStore, WriteBatch, WriteResult } from '@cairn/storage';
import { QueueFullError, ServerStoppingError, StoreWriteError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { IngestCounters } from './ingest-stats.js';

export interface WriteQueueOptions {
  store: TraceStore;
  logger: Logger;
  counters: IngestCounters;
  /** Spans plus events allowed to wait. A single request larger than this is still taken when the queue is empty. */
  maxQueuedSpans: number;
  /** Upper bound of one store.write (whole requests; the first request is always taken). */
  maxBatchSpans: number;
  /** Spans and events a write under sustained load waits for (up to batchWaitMillis). */
  minBatchSpans: number;
  /** How long a write under sustained load may wait for minBatchSpans; 0 = never waits. */
  batchWaitMillis: number;
  /**
   * How many requests are being prepared elsewhere for this queue (an ingest thread); a write
   * under sustained load waits for more only while there are some. Without it, it waits anyway.
   */
  incoming?: () => number;
  /** Retry-After for a full queue. */
  queueFullRetryAfterSeconds: number;
  /** Retry-After after a failed store write. */
  writeFailedRetryAfterSeconds: number;
}

type QueuedBatch = { prepared: false; batch: WriteBatch } | { prepared: true; batch: PreparedWrite };

interface QueuedRequest {
  /** The batch as submitted, or as the store prepared it. */
  queued: QueuedBatch;
  spanCount: number;
  eventCount: number;
  size: number;
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}

export class WriteQueue {
  readonly #options: WriteQueueOptions;
  readonly #waiting: QueuedRequest[] = [];
  #waitingSize = 0;
  #running: Promise<void> | null = null;
  /** Set while a write waits for more requests: ends the wait (enough came, or the queue closes). */
  #endGather: (() => void) | null = null;
  #closed = false;
  /** Milliseconds spent in finished store writes, and when the write in progress started. */
  #busyMillis = 0;
  #writeStartedAt: number | null = null;

  constructor(options: WriteQueueOptions) {
    this.#options = options;
  }

  /** Spans and events waiting for a write. */
  get depth(): number {
    return this.#waitingSize;
  }

  /**
   * Milliseconds the store has spent writing since the queue was made (the write in progress
   * included): its growth over wall time is how saturated ingest is (BackgroundAnalyzer).
   */
  get busyMillis(): number {
    return this.#busyMillis + (this.#writeStartedAt === null ? 0 : performance.now() - this.#writeStartedAt);
  }

  /** Settles once the batch is durably stored (or rejects with a retryable error). */
  submit(batch: WriteBatch): Promise<WriteResult> {
    const spanCount = batch.spans.length;
    const eventCount = batch.events.length;
    const size = spanCount + eventCount + (batch.liveSpans?.length ?? 0);
    const { store } = this.#options;
    return this.#enqueue({ spanCount, eventCount, size }, () =>
      store.prepareWrite && store.writePrepared ? { prepared: true, batch: store.prepareWrite(batch) } : { prepared: false, batch },
    );
  }

  /**
   * submit for a batch an ingest thread prepared with the store's writePreparer: the store adopts
   * it, then it is queued and written like the others. `liveCount` live records ride with the spans.
   */
  submitPrepared(prepared: unknown, spanCount: number, liveCount: number): Promise<WriteResult> {
    const { store } = this.#options;
    return this.#enqueue({ spanCount, eventCount: 0, size: spanCount + liveCount }, () => {
      if (!store.adoptPrepared) throw new Error('the store cannot adopt batches prepared in another thread');
      return { prepared: true, batch: store.adoptPrepared(prepared) };
    });
  }

  /** Counts and logs a batch the store could not prepare (here or in an ingest thread); the error to answer with. */
  prepareFailed(spanCount: number, eventCount: number, cause: unknown): StoreWriteError {
    const { counters, logger, writeFailedRetryAfterSeconds } = this.#options;
    counters.batchesFailed++;
    counters.spansRefused += spanCount;
    logger.error(`preparing ${spanCount} spans and ${eventCount} events for the store failed`, cause);
    return new StoreWriteError(writeFailedRetryAfterSeconds, { cause });
  }

  #enqueue(counts: { spanCount: number; eventCount: number; size: number }, queue: () => QueuedBatch): Promise<WriteResult> {
    if (this.#closed) return Promise.reject(new ServerStoppingError());
    const { spanCount, eventCount, size } = counts;
    const { counters, maxQueuedSpans, queueFullRetryAfterSeconds } = this.#options;
    if (this.#waitingSize > 0 && this.#waitingSize + size > maxQueuedSpans) {
      counters.spansRefused += spanCount;
      return Promise.reject(new QueueFullError(queueFullRetryAfterSeconds, `${this.#waitingSize} of ${maxQueuedSpans} spans are waiting to be written`));
    }
    let queued: QueuedBatch;
    try {
      queued = queue();
    } catch (cause) {
      return Promise.reject(this.prepareFailed(spanCount, eventCount, cause));
    }
    return new Promise<WriteResult>((resolve, reject) => {
      this.#waiting.push({ queued, spanCount, eventCount, size, resolve, reject });
      this.#waitingSize += size;
      if (this.#waitingSize >= this.#options.minBatchSpans || this.#nothingIncoming()) this.#endGather?.();
      this.#running ??= this.#drain();
    });
  }

  /** Refuses new requests and waits until every queued request has been written or failed. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#endGather?.();
    while (this.#running !== null) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      // The first write of a drain takes what is there: the queue was idle.
      for (let first = true; this.#waiting.length > 0; first = false) {
        if (!first) await this.#gather();
        await this.#writeNext(this.#takeBatch());
      }
    } finally {
      this.#running = null;
    }
  }

  /** Whether the queue knows that no request is on its way (see WriteQueueOptions.incoming). */
  #nothingIncoming(): boolean {
    return this.#options.incoming !== undefined && this.#options.incoming() === 0;
  }

  /**
   * Waits until minBatchSpans are waiting, batchWaitMillis have passed, nothing more is on its
   * way, or the queue closes.
   */
  #gather(): Promise<void> {
    const { minBatchSpans, batchWaitMillis } = this.#options;
    if (batchWaitMillis === 0 || this.#closed || this.#waitingSize >= minBatchSpans || this.#nothingIncoming()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.#endGather?.(), batchWaitMillis);
      this.#endGather = () => {
        clearTimeout(timer);
        this.#endGather = null;
        resolve();
      };
    });
  }

  #takeBatch(): QueuedRequest[] {
    const taken: QueuedRequest[] = [];
    let size = 0;
    while (this.#waiting.length > 0) {
      const next = this.#waiting[0]!;
      if (taken.length > 0 && size + next.size > this.#options.maxBatchSpans) break;
      this.#waiting.shift();
      taken.push(next);
      size += next.size;
    }
    this.#waitingSize -= size;
    return taken;
  }

  async #writeNext(requests: QueuedRequest[]): Promise<void> {
    const { store, counters, logger, writeFailedRetryAfterSeconds } = this.#options;
    const spanCount = requests.reduce((sum, request) => sum + request.spanCount, 0);
    const eventCount = requests.reduce((sum, request) => sum + request.eventCount, 0);
    let result: WriteResult;
    const started = (this.#writeStartedAt = performance.now());
    try {
      result = await writeToStore(store, requests);
    } catch (cause) {
      counters.batchesFailed++;
      counters.spansRefused += spanCount;
      logger.error(`store write of ${spanCount} spans and ${eventCount} events failed`, cause);
      for (const request of requests) request.reject(new StoreWriteError(writeFailedRetryAfterSeconds, { cause }));
      return;
    } finally {
      this.#busyMillis += performance.now() - started;
      this.#writeStartedAt = null;
    }
    counters.batchesWritten++;
    counters.spansAccepted += result.accepted;
    counters.spansDeduplicated += result.deduplicated;
    counters.eventsAccepted += result.eventsAccepted;
    for (const [index, share] of splitResult(result, requests).entries()) requests[index]!.resolve(share);
  }
}

/** One store write carrying every request: prepared batches as they are, else one merged batch. */
function writeToStore(store: TraceStore, requests: QueuedRequest[]): Promise<WriteResult> {
  const prepared: PreparedWrite[] = [];
  const batches: WriteBatch[] = [];
  for (const { queued } of requests) {
    if (queued.prepared) prepared.push(queued.batch);
    else batches.push(queued.batch);
  }
  // Either all requests were prepared (the store has prepareWrite) or none was.
  if (store.writePrepared && batches.length === 0) return store.writePrepared(prepared);
  if (batches.length === 1) return store.write(batches[0]!);
  const liveSpans = batches.flatMap((batch) => batch.liveSpans ?? []);
  return store.write({
    spans: batches.flatMap((batch) => batch.spans),
    events: batches.flatMap((batch) => batch.events),
    ...(liveSpans.length > 0 ? { liveSpans } : {}),
  });
}

/**
 * Per-request shares of a group commit. The store reports totals only, so duplicates are assigned
 * to requests in queue order: approximate per request, exact in sum.
 */
function splitResult(result: WriteResult, requests: QueuedRequest[]): WriteResult[] {
  if (requests.length === 1) return [result];
  let duplicatesLeft = result.deduplicated;
  let eventsLeft = result.eventsAccepted;
  return requests.map((request) => {
    const spans = request.spanCount;
    const deduplicated = Math.min(duplicatesLeft, spans);
    duplicatesLeft -= deduplicated;
    const eventsAccepted = Math.min(eventsLeft, request.eventCount);
    eventsLeft -= eventsAccepted;
    return { accepted: spans - deduplicated, deduplicated, eventsAccepted };
  });
}

// The event loop's side of the ingest threads: hands each OTLP trace export to the least busy
// thread and gets back the store's prepared batch, so decoding, normalizing and encoding rows run
// in parallel with the event loop (which then only reads requests, queues and answers them).
//
// A thread that dies fails the requests it held with a retryable error and is replaced on the
// next request. The backlog is bounded in bytes: past it, exports are refused with 429 like a
// full write queue, instead of piling up bodies in memory.

import { Worker } from 'node:worker_threads';
import { OtlpDecodeError } from '@cairn/otlp';
import type { PricingContext, PricingSnapshot } from '@cairn/semantic';
import type { WritePreparerSpec } from '@cairn/storage';
import { siblingModuleUrl, threadEntrySource } from '@cairn/storage/adapter-kit';
import { IngestThreadError, QueueFullError, ServerStoppingError } from '../errors.js';
import type { Logger } from '../logger.js';
import type {
  IngestThreadData,
  IngestThreadFailure,
  IngestThreadRequest,
  IngestThreadMessage,
  PreparedTraces,
} from './ingest-thread-protocol.js';
import { errorOfThread } from './ingest-thread-protocol.js';
import type { OtlpBodyEncoding } from './normalize-traces.js';

export interface IngestThreadsOptions {
  threads: number;
  projectId: string;
  preparer: WritePreparerSpec;
  pricing: PricingContext;
  logger: Logger;
  /** Request bytes allowed to wait for a thread. A single larger request is still taken when none waits. */
  maxPendingBytes: number;
  retryAfterSeconds: number;
}

/** The store's preparer failed on these spans (a write failure: the client may retry). */
export class PrepareFailedError extends Error {
  override readonly name = 'PrepareFailedError';
  constructor(
    readonly spanCount: number,
    options: { cause: Error },
  ) {
    super(`preparing ${spanCount} spans for the store failed`, options);
  }
}

interface Pending {
  resolve: (value: PreparedTraces) => void;
  reject: (error: Error) => void;
}

class IngestThread {
  readonly pending = new Map<number, Pending>();
  readonly worker: Worker;
  /** Settles once the thread has loaded its modules (rejects if it stops before). */
  readonly ready: Promise<void>;
  #idleWaiters: (() => void)[] = [];
  #loaded = false;

  constructor(data: IngestThreadData, onExit: (thread: IngestThread, error: Error) => void) {
    this.worker = new Worker(threadEntrySource(siblingModuleUrl('./ingest-thread', import.meta.url)), { eval: true, workerData: data });
    // Referenced while it loads (a server starting waits for it) and while it holds exports;
    // otherwise not, like the store's worker: an idle server may exit.
    let markReady = () => {};
    let failReady: (error: Error) => void = () => {};
    this.ready = new Promise<void>((resolve, reject) => ([markReady, failReady] = [resolve, reject]));
    // A thread that never became ready fails start(); later on, only the exports it held.
    this.ready.catch(() => undefined);
    this.worker.on('message', (response: IngestThreadMessage) => {
      if ('ready' in response) {
        this.#loaded = true;
        if (this.pending.size === 0) this.worker.unref();
        return markReady();
      }
      const pending = this.pending.get(response.id);
      if (pending === undefined) return;
      this.#forget(response.id);
      if (response.ok) pending.resolve(response.value);
      else pending.reject(failureError(response.failure));
    });
    let failure: Error | null = null;
    this.worker.on('error', (error) => (failure = error));
    this.worker.on('exit', (code) => {
      const error = failure ?? new Error(`the ingest thread exited with code ${code}`);
      failReady(error);
      onExit(this, error);
      this.pending.clear();
      this.#wakeIdleWaiters();
    });
  }

  /** Hands the thread an export; `pending` settles with its answer. */
  prepare(request: Extract<IngestThreadRequest, { op: 'traces' }>, pending: Pending): void {
    this.worker.ref();
    this.pending.set(request.id, pending);
    this.worker.postMessage(request);
  }

  setPricing(pricing: PricingSnapshot): void {
    this.worker.postMessage({ op: 'pricing', pricing } satisfies IngestThreadRequest);
  }

  /** Settles once the thread holds no export. */
  whenIdle(): Promise<void> {
    return this.pending.size === 0 ? Promise.resolve() : new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #forget(id: number): void {
    this.pending.delete(id);
    if (this.pending.size > 0) return;
    // A thread still loading stays referenced until it is ready.
    if (this.#loaded) this.worker.unref();
    this.#wakeIdleWaiters();
  }

  #wakeIdleWaiters(): void {
    for (const wake of this.#idleWaiters.splice(0)) wake();
  }
}

function failureError(failure: IngestThreadFailure): Error {
  if (failure.kind === 'decode') return new OtlpDecodeError(failure.error.message);
  if (failure.kind === 'prepare') return new PrepareFailedError(failure.spanCount, { cause: errorOfThread(failure.error) });
  return errorOfThread(failure.error);
}

export class IngestThreads {
  readonly #options: IngestThreadsOptions;
  readonly #threads: (IngestThread | null)[];
  readonly #unsubscribe: () => void;
  #pendingBytes = 0;
  #nextId = 1;
  #closed = false;

  constructor(options: IngestThreadsOptions) {
    this.#options = options;
    this.#threads = Array.from({ length: options.threads }, () => this.#start());
    this.#unsubscribe = options.pricing.onChange(() => {
      const pricing = options.pricing.snapshot();
      for (const thread of this.#threads) thread?.setPricing(pricing);
    });
  }

  /**
   * Exports handed to the threads and not answered yet. A thread forgets an export before its
   * answer settles, so one submitted to the write queue no longer counts (WriteQueueOptions.incoming).
   */
  get preparing(): number {
    let count = 0;
    for (const thread of this.#threads) count += thread?.pending.size ?? 0;
    return count;
  }

  /** Resolves with the export prepared for the store; rejects with OtlpDecodeError, PrepareFailedError or a retryable server error. */
  prepare(encoding: OtlpBodyEncoding, body: Uint8Array): Promise<PreparedTraces> {
    if (this.#closed) return Promise.reject(new ServerStoppingError());
    const { maxPendingBytes, retryAfterSeconds } = this.#options;
    if (this.#pendingBytes > 0 && this.#pendingBytes + body.byteLength > maxPendingBytes) {
      return Promise.reject(
        new QueueFullError(retryAfterSeconds, `${this.#pendingBytes} bytes of requests are waiting to be decoded (limit ${maxPendingBytes})`),
      );
    }
    const thread = this.#leastBusy();
    const id = this.#nextId++;
    const bytes = body.byteLength;
    this.#pendingBytes += bytes;
    return new Promise<PreparedTraces>((resolve, reject) => {
      const settle = () => (this.#pendingBytes -= bytes);
      thread.prepare(
        { op: 'traces', id, encoding, body },
        {
          resolve: (value) => (settle(), resolve(value)),
          reject: (error) => (settle(), reject(error)),
        },
      );
    });
  }

  /** Settles once every thread has loaded its modules; rejects with why one could not. */
  async ready(): Promise<void> {
    await Promise.all(this.#threads.map((thread) => thread?.ready));
  }

  /** Refuses new exports, lets the threads finish the ones they hold, then stops them. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#unsubscribe();
    await Promise.all(
      this.#threads.map(async (thread) => {
        if (thread === null) return;
        await thread.whenIdle();
        await thread.worker.terminate();
      }),
    );
  }

  #start(): IngestThread {
    const { projectId, preparer, pricing } = this.#options;
    return new IngestThread({ projectId, preparer, pricing: pricing.snapshot() }, (thread, error) => this.#onExit(thread, error));
  }

  #onExit(thread: IngestThread, error: Error): void {
    const index = this.#threads.indexOf(thread);
    if (index >= 0) this.#threads[index] = null;
    if (thread.pending.size > 0) this.#options.logger.error(`an ingest thread stopped with ${thread.pending.size} export(s) in hand`, error);
    for (const pending of thread.pending.values()) pending.reject(new IngestThreadError(this.#options.retryAfterSeconds, { cause: error }));
  }

  #leastBusy(): IngestThread {
    let best: IngestThread | null = null;
    for (let index = 0; index < this.#threads.length; index++) {
      const thread = (this.#threads[index] ??= this.#start());
      if (best === null || thread.pending.size < best.pending.size) best = thread;
    }
    return best!;
  }
}

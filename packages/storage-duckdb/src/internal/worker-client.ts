// Main-thread side of the DuckDB worker: starts it, sends requests, matches replies by id. The
// worker is referenced only while requests are pending, so an idle store never keeps the
// process alive (the same as an in-process DuckDB instance).
//
// The worker is never terminate()d: a native DuckDB call completing while its thread is torn
// down aborts the whole process (worker-activity.ts). close() lets the worker finish what it
// received, close DuckDB and exit by itself; a process that exits without closing the store
// waits, in its 'exit' handler, until the worker has no request in flight.

import { Worker } from 'node:worker_threads';
import { siblingModuleUrl, threadEntrySource } from '@cairn/storage/adapter-kit';
import { transferablesOf } from './row-buffer.js';
import { WorkerActivity } from './worker-activity.js';
import type { WorkerData, WorkerRequest, WorkerResponse } from './worker-protocol.js';

/** How long process exit waits for a request in flight (a commit of a big batch, say). */
const EXIT_WAIT_MILLIS = 10_000;

/** Workers not yet exited; one 'exit' listener serves them all. */
const running = new Set<WorkerActivity>();
let exitHookInstalled = false;

function watchProcessExit(activity: WorkerActivity): void {
  running.add(activity);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const each of running) each.stopAndWait(EXIT_WAIT_MILLIS);
  });
}

/** Distributive Omit: keeps each request variant's own fields. */
type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

/** An error raised inside the worker, re-created on this side with its name and message. */
export class WorkerError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Column buffers of the rows a write carries: moved to the worker, not cloned. */
function transfersOf(body: RequestBody): ArrayBuffer[] {
  if (body.op === 'write') {
    const tables = [body.origins, ...body.batches.flatMap((batch) => [batch.spanRows, batch.payloadRows, batch.partRows])];
    return tables.flatMap((rows) => transferablesOf(rows.columns));
  }
  return [];
}

export class WorkerClient {
  private readonly worker: Worker;
  private readonly activity = new WorkerActivity();
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly exitedPromise: Promise<void>;
  private nextId = 1;
  private exited: Error | null = null;
  private closing: Promise<void> | null = null;

  constructor() {
    const workerData: WorkerData = { activity: this.activity.buffer };
    // A small young generation and a capped old one make the worker collect the column arrays
    // of past slices early instead of letting its heap grow next to DuckDB's own memory.
    this.worker = new Worker(threadEntrySource(siblingModuleUrl('./duckdb-worker', import.meta.url)), {
      eval: true,
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 },
    });
    this.worker.unref();
    watchProcessExit(this.activity);
    this.worker.on('message', (response: WorkerResponse) => this.settle(response));
    this.worker.on('error', (error) => this.failAll(error));
    this.exitedPromise = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        running.delete(this.activity);
        this.failAll(new Error(`the DuckDB worker exited with code ${code}`));
        resolve();
      });
    });
  }

  /** Sends a request and resolves with the worker's reply value. */
  request<T>(body: RequestBody): Promise<T> {
    if (this.exited) return Promise.reject(this.exited);
    if (this.closing) return Promise.reject(new Error('the store is closing'));
    return this.post<T>(body);
  }

  /**
   * Closes the store's DuckDB side: the worker finishes the requests it has (their replies
   * still arrive), closes connections and instance, and exits; resolves once it has exited.
   * Requests made after this are rejected.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        if (!this.exited) await this.post({ op: 'close' });
      } finally {
        // The worker leaves after replying (even with an error); hold the process until it has.
        this.worker.ref();
        await this.exitedPromise;
      }
    })();
    return this.closing;
  }

  private post<T>(body: RequestBody): Promise<T> {
    const id = this.nextId++;
    const result = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
    if (this.pending.size === 1) this.worker.ref();
    this.worker.postMessage({ ...body, id }, transfersOf(body));
    return result;
  }

  private settle(response: WorkerResponse): void {
    const waiter = this.pending.get(response.id);
    if (!waiter) return;
    this.pending.delete(response.id);
    if (this.pending.size === 0 && !this.closing) this.worker.unref();
    if (response.ok) waiter.resolve(response.value);
    else waiter.reject(new WorkerError(response.error.name, response.error.message));
  }

  private failAll(error: Error): void {
    this.exited ??= error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    this.worker.unref();
  }
}

// Main-thread side of the DuckDB worker: starts it, sends requests, matches replies by id. The
// worker is referenced only while requests are pending, so an idle store never keeps the
// process alive (the same as an in-process DuckDB instance).

import { Worker } from 'node:worker_threads';
import { transferablesOf } from './text-column.js';
import type { TableColumns, WorkerRequest, WorkerResponse } from './worker-protocol.js';

/** Distributive Omit: keeps each request variant's own fields. */
type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

/** An error raised inside the worker, re-created on this side with its name and message. */
export class WorkerError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * Under tsx (running from .ts sources) a worker does not inherit the loader hooks of
 * `--import tsx` on Node 20, so the worker registers tsx itself before importing its entry.
 */
function workerSource(): string {
  const entry = new URL(`./duckdb-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
  if (!entry.endsWith('.ts')) return `import(${JSON.stringify(entry)})`;
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
}

/** Text column buffers of the rows a request carries: moved to the worker, not cloned. */
function transfersOf(body: RequestBody): ArrayBuffer[] {
  if (body.op === 'append') return transferablesOf(body.rows.columns);
  if (body.op === 'commit') return body.rows.flatMap((rows: TableColumns) => transferablesOf(rows.columns));
  return [];
}

export class WorkerClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private exited: Error | null = null;

  constructor() {
    // A small young generation and a capped old one make the worker collect the column arrays
    // of past slices early instead of letting its heap grow next to DuckDB's own memory.
    this.worker = new Worker(workerSource(), { eval: true, resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 } });
    this.worker.unref();
    this.worker.on('message', (response: WorkerResponse) => this.settle(response));
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`the DuckDB worker exited with code ${code}`)));
  }

  /** Sends a request and resolves with the worker's reply value. */
  request<T>(body: RequestBody): Promise<T> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    const result = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
    if (this.pending.size === 1) this.worker.ref();
    this.worker.postMessage({ ...body, id }, transfersOf(body));
    return result;
  }

  /** Sends a message the worker does not answer (its failure shows at the next commit). */
  send(body: RequestBody): void {
    if (!this.exited) this.worker.postMessage({ ...body, id: 0 }, transfersOf(body));
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private settle(response: WorkerResponse): void {
    const waiter = this.pending.get(response.id);
    if (!waiter) return;
    this.pending.delete(response.id);
    if (this.pending.size === 0) this.worker.unref();
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

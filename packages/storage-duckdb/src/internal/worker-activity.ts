// Shared memory between the store and its DuckDB worker that makes process exit safe.
//
// When the process exits, Node stops every worker thread. If the DuckDB worker is stopped while
// a native call is in flight (a query on DuckDB's thread pool, say), the call completes into a
// dying environment: node-addon-api cannot resolve its promise, throws a Napi::Error nobody can
// catch, and the process aborts ("terminate called after throwing an instance of
// 'Napi::Error'"). So the worker counts the requests it is working on here, and the main
// thread's 'exit' handler raises `stop` (the worker then starts nothing new) and blocks until
// the count drops to zero before Node stops the worker. An orderly close() never gets here.

const ACTIVE = 0;
const STOP = 1;

export class WorkerActivity {
  private readonly cells: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT)) {
    this.cells = new Int32Array(buffer);
  }

  /** Worker side: marks the start of a request. False once stop was requested: do not start it. */
  begin(): boolean {
    Atomics.add(this.cells, ACTIVE, 1);
    if (Atomics.load(this.cells, STOP) === 0) return true;
    this.end();
    return false;
  }

  /** Worker side: the request's native work is over. */
  end(): void {
    Atomics.sub(this.cells, ACTIVE, 1);
    Atomics.notify(this.cells, ACTIVE);
  }

  /**
   * Main side, synchronous (for process 'exit' handlers): stops new requests and waits until
   * none is in flight, at most `timeoutMillis`. Returns whether the worker went quiet.
   */
  stopAndWait(timeoutMillis: number): boolean {
    Atomics.store(this.cells, STOP, 1);
    const deadline = Date.now() + timeoutMillis;
    for (;;) {
      const active = Atomics.load(this.cells, ACTIVE);
      if (active === 0) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this.cells, ACTIVE, active, left);
    }
  }
}

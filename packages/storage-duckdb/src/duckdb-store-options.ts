// Options of the embedded DuckDB store, with their defaults resolved once.

export interface DuckDbStoreOptions {
  /** Directory of the database; created when missing. The file is <dataDir>/cairn.duckdb. */
  dataDir: string;
  /**
   * DuckDB `memory_limit`. Default '384MB': DuckDB allocates somewhat beyond it (WAL buffers,
   * appenders), and the worker's and server's JS heaps come on top; this keeps the whole server
   * under 1 GiB RSS while ingesting at full speed (bench/src/store-write-bench.ts).
   */
  memoryLimit?: string;
  /** DuckDB worker threads. Default 2 (the target machine has 2 cores). */
  threads?: number;
  /**
   * WAL size that triggers an automatic checkpoint. Default '256MB': larger means fewer
   * checkpoint stalls while ingesting but a longer WAL replay after a crash.
   */
  checkpointThreshold?: string;
  /**
   * Attribute values whose stored JSON is longer than this many characters are kept out of
   * the hot spans table (served by getSpan only). Default 1024.
   */
  largeAttributeChars?: number;
}

export interface ResolvedDuckDbStoreOptions {
  dataDir: string;
  memoryLimit: string;
  threads: number;
  checkpointThreshold: string;
  largeAttributeChars: number;
}

export function resolveDuckDbStoreOptions(options: DuckDbStoreOptions): ResolvedDuckDbStoreOptions {
  return {
    dataDir: options.dataDir,
    memoryLimit: options.memoryLimit ?? '384MB',
    threads: options.threads ?? 2,
    checkpointThreshold: options.checkpointThreshold ?? '256MB',
    largeAttributeChars: options.largeAttributeChars ?? 1024,
  };
}

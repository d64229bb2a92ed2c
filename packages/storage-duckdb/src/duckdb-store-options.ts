// Options of the embedded DuckDB store, with their defaults resolved once.

import os from 'node:os';
import { KNOWN_TRACE_IDS } from './internal/known-traces-filter.js';
import { RECENT_TRACE_WINDOWS } from './internal/recent-trace-windows.js';

export interface DuckDbStoreOptions {
  /** Directory of the database; created when missing. The file is <dataDir>/cairn.duckdb. */
  dataDir: string;
  /**
   * DuckDB `memory_limit` (`cairn serve --duckdb-memory-mb`). Default '384MB': DuckDB allocates
   * somewhat beyond it (WAL buffers, appenders), and the worker's and server's JS heaps come on
   * top; this keeps the whole server under 1 GiB RSS while ingesting at full speed. '256MB' took
   * ~100 MiB more off but made trace by id at 5M spans ~30 % slower (BENCHMARKS.md).
   */
  memoryLimit?: string;
  /**
   * DuckDB threads. Default: the machine's cores less one (at least 1), the one left being the
   * server's (OTLP decode, normalization and row encoding in its ingest thread, the event loop).
   * On 2 cores that is 1 thread:
   * served ingest measured ≈ 12 % faster and ≈ 13 % less CPU per span than with 2 threads, whose
   * second thread only contends for the same cores; analytics scans give up their parallelism
   * there (BENCHMARKS.md).
   */
  threads?: number;
  /**
   * WAL size that triggers an automatic checkpoint. Default '512MB' (~250k spans of ~1 KB): each
   * checkpoint stops writes for ~1 s and rewrites the row group the previous one left partly
   * filled, so fewer of them cost less — served ingest measured +16 % over '256MB' in 60-s runs,
   * while '768MB' and '1GB' were slower again and grew peak RSS (BENCHMARKS.md). Larger also means
   * a longer WAL replay when the store is opened after a crash (~4 s for 480 MB here, ~3 s for 240).
   */
  checkpointThreshold?: string;
  /**
   * Attribute values whose stored JSON is longer than this many characters are kept out of
   * the hot spans table (served by getSpan only). Default 1024.
   */
  largeAttributeChars?: number;
  /**
   * How many recently written traces the writer remembers the whereabouts of, so a write with
   * more spans of them (or a retry) dedupes without asking trace_parts, whose lookup probes every
   * part (66 ms at 1M parts). Default 50,000 (~12 MB); 0 asks every time.
   */
  recentTraceWindows?: number;
  /**
   * The trace ids the writer's filter of stored trace ids (a Bloom filter: a write of new traces
   * skips dedupe's lookup in trace_parts) is first sized for, at 2 bytes each. Default 4,194,304
   * (8 MiB); a store with more trace parts gets a filter for twice as many at open, and a full
   * filter is loaded again in the background for twice the parts then stored, up to 67M ids (128 MiB).
   */
  knownTraceIds?: number;
}

export interface ResolvedDuckDbStoreOptions {
  dataDir: string;
  memoryLimit: string;
  threads: number;
  checkpointThreshold: string;
  largeAttributeChars: number;
  recentTraceWindows: number;
  knownTraceIds: number;
}

export function resolveDuckDbStoreOptions(options: DuckDbStoreOptions): ResolvedDuckDbStoreOptions {
  return {
    dataDir: options.dataDir,
    memoryLimit: options.memoryLimit ?? '384MB',
    threads: options.threads ?? defaultThreads(),
    checkpointThreshold: options.checkpointThreshold ?? '512MB',
    largeAttributeChars: options.largeAttributeChars ?? 1024,
    recentTraceWindows: options.recentTraceWindows ?? RECENT_TRACE_WINDOWS,
    knownTraceIds: options.knownTraceIds ?? KNOWN_TRACE_IDS,
  };
}

/** The machine's cores less one for the Node event loop, at least 1. */
export function defaultThreads(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

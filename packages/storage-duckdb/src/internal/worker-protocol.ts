// Messages between the store (main thread) and the worker thread that owns the DuckDB instance.
// Everything crossing the boundary is structured-clone friendly: primitives, arrays, plain
// objects. Rows to append travel as column arrays, so one message carries thousands of rows;
// text columns as UTF-8 buffers and fixed-width columns as typed arrays, transferred, not copied.

import type { DetachedSpanEvent } from '@cairn/storage';
import type { NumberColumnData } from './number-column.js';
import type { TextColumnData } from './text-column.js';
import type { TraceReadView } from './trace-tree-read.js';

/** A bound SQL parameter; the worker turns it into a typed DuckDB value. */
export type ParamSpec =
  | { name: string; kind: 'text'; value: string }
  | { name: string; kind: 'bigint'; value: bigint }
  | { name: string; kind: 'uinteger'; value: number }
  | { name: string; kind: 'double'; value: number }
  | { name: string; kind: 'textList'; value: string[] }
  | { name: string; kind: 'uintegerList'; value: number[] };

/** One cell of an appended row. Lists are LIST(VARCHAR) columns. */
export type CellValue = string | number | bigint | boolean | null | string[];

/** Rows for one table, column by column, in the table's column order. */
export interface TableColumns {
  table: AppendTable;
  rowCount: number;
  columns: (CellValue[] | TextColumnData | NumberColumnData)[];
  /** 1 for each row not to append (dropped by dedupe after the rows were encoded). */
  skip?: Uint8Array;
}

export type AppendTable = 'spans' | 'span_payloads' | 'origins' | 'trace_parts' | 'detached_events';

export interface OpenConfig {
  path: string;
  threads: number;
  memoryLimit: string;
  checkpointThreshold: string;
  readers: number;
  /** Traces whose windows the writer keeps for dedupe (recent-trace-windows.ts). */
  recentTraceWindows: number;
  /** The least trace ids the known-traces filter is sized for (known-traces-filter.ts). */
  knownTraceIds: number;
}

/** The writer's filter of stored trace ids (known-traces-filter.ts), for diagnostics and tests. */
export interface KnownTracesState {
  /** Ids the filter in use is sized for (null: the largest size, never reloaded; none in use: 0). */
  capacity: number | null;
  /** New ids it holds. */
  size: number;
  /** Whether a filter is being loaded from trace_parts. */
  loading: boolean;
}

export interface OpenResult {
  version: string;
  /** The settings DuckDB runs with, as it reports them: "1 thread, memory limit 366.2 MiB". */
  settings: string;
  storedSchemaVersion: string | null;
  originKeys: string[];
  lastBatchSeq: bigint;
  /** The first batch_seq whose spans rows carry their trace_key (trace-key.ts). */
  traceKeyFromSeq: bigint;
  /** Whether detached_events / live_spans hold any row (reads of an empty one are skipped). */
  hasDetachedEvents: boolean;
  hasLiveSpans: boolean;
}

/** One prepared batch's rows (span-writer.ts), as a write carries them. */
export interface PreparedRows {
  spanRows: TableColumns;
  payloadRows: TableColumns;
  /** The span row of each payload row. */
  payloadSpanRow: Int32Array;
  /** Where batch_seq is in spanRows and payloadRows (filled in by the worker). */
  spanSeqColumn: number;
  payloadSeqColumn: number;
  /**
   * What the main thread saw of the batch's spans: their distinct trace ids, whether a span may
   * repeat another of the batch (two share a span id), and the batch's trace_parts rows (batch_seq filled in by the
   * worker). A write whose traces are all new and each in one batch takes these as they are
   * instead of reading its spans back out of the rows (batch-write.ts).
   */
  traceIds: string[];
  repeats: boolean;
  partRows: TableColumns;
}

/** A whole write (batch-write.ts): dedupe, append, trace parts and commit in the worker. */
export interface WriteRequest {
  seq: bigint;
  batches: PreparedRows[];
  /** Rows of origins not stored yet. */
  origins: TableColumns;
  events: DetachedSpanEvent[];
}

/** The worker's workerData. */
export interface WorkerData {
  /** WorkerActivity's shared cells. */
  activity: SharedArrayBuffer;
}

export type WorkerRequest =
  | { id: number; op: 'open'; config: OpenConfig }
  /** writer: run on the writer connection, in order with the write operations. */
  | { id: number; op: 'query'; sql: string; params: ParamSpec[]; writer: boolean }
  /** A trace's spans and window in one round trip (trace-tree-read.ts queryTrace); replies with a TraceRead. */
  | { id: number; op: 'readTrace'; view: TraceReadView; projectId: string; traceId: string }
  /** The tree view in one round trip (trace-tree-read.ts queryTraceTree); replies with a TraceTreeRead. */
  | { id: number; op: 'readTraceTree'; projectId: string; traceId: string }
  /** Replies with a BatchWriteResult once committed (durable). */
  | ({ id: number; op: 'write' } & WriteRequest)
  /** Replies with the KnownTracesState. */
  | { id: number; op: 'knownTraces' }
  /** Waits for the requests already received, closes DuckDB, replies, then the thread exits. */
  | { id: number; op: 'close' };

export type WorkerResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string } };

// Messages between the store (main thread) and the worker thread that owns the DuckDB instance.
// Everything crossing the boundary is structured-clone friendly: primitives, arrays, plain
// objects. Rows to append travel as column arrays, so one message carries thousands of rows;
// text columns as UTF-8 buffers that are transferred, not copied.

import type { TextColumnData } from './text-column.js';

/** A bound SQL parameter; the worker turns it into a typed DuckDB value. */
export type ParamSpec =
  | { name: string; kind: 'text'; value: string }
  | { name: string; kind: 'bigint'; value: bigint }
  | { name: string; kind: 'double'; value: number }
  | { name: string; kind: 'textList'; value: string[] };

/** One cell of an appended row. Lists are LIST(VARCHAR) columns. */
export type CellValue = string | number | bigint | boolean | null | string[];

/** Rows for one table, column by column, in the table's column order. */
export interface TableColumns {
  table: AppendTable;
  rowCount: number;
  columns: (CellValue[] | TextColumnData)[];
}

export type AppendTable = 'spans' | 'span_payloads' | 'origins' | 'trace_parts' | 'detached_events';

export interface OpenConfig {
  path: string;
  threads: number;
  memoryLimit: string;
  checkpointThreshold: string;
  readers: number;
}

export interface OpenResult {
  version: string;
  storedSchemaVersion: string | null;
  originKeys: string[];
  lastBatchSeq: bigint;
}

export type WorkerRequest =
  | { id: number; op: 'open'; config: OpenConfig }
  /** writer: run on the writer connection, in order with the write operations. */
  | { id: number; op: 'query'; sql: string; params: ParamSpec[]; writer: boolean }
  /** Starts a write transaction; rows follow in 'append' messages (no replies). */
  | { id: number; op: 'begin' }
  | { id: number; op: 'append'; rows: TableColumns }
  /** Appends the last rows and commits; replies once COMMIT returned (durable). */
  | { id: number; op: 'commit'; rows: TableColumns[] }
  | { id: number; op: 'rollback' }
  | { id: number; op: 'close' };

export type WorkerResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string } };

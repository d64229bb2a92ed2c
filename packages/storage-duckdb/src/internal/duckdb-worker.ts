// The worker thread that owns the DuckDB instance: every statement of the store runs here, so
// appends, commits and checkpoints never block the server's event loop. The main thread encodes
// rows into column arrays; this thread copies them into DuckDB data chunks. Writes use one
// connection, in message order; reads use a small pool and run concurrently on DuckDB's threads.

import { parentPort } from 'node:worker_threads';
import type { DuckDBAppender, DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { BIGINT, DOUBLE, DuckDBDataChunk, DuckDBInstance, DuckDBTypeId, LIST, VARCHAR, listValue } from '@duckdb/node-api';
// The bindings under @duckdb/node-api (same version, installed with it): the API has no way to
// hand a vector UTF-8 bytes, only JS strings that it converts one by one.
import bindings from '@duckdb/node-bindings';
import type { TextColumnData } from './text-column.js';
import { ConnectionPool } from './connection-pool.js';
import { SCHEMA_SQL } from './schema.js';
import type { AppendTable, CellValue, OpenConfig, OpenResult, ParamSpec, TableColumns, WorkerRequest, WorkerResponse } from './worker-protocol.js';

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

const port = parentPort!;
let instance: DuckDBInstance | null = null;
let writer: DuckDBConnection | null = null;
let readers: ConnectionPool | null = null;
/** Operations on the writer connection, in arrival order. */
let writerChain: Promise<unknown> = Promise.resolve();

interface OpenWrite {
  appenders: Map<AppendTable, { appender: DuckDBAppender; types: DuckDBType[] }>;
  /** First failure of a fire-and-forget append; reported (and rolled back) at commit. */
  failure: unknown;
}
let write: OpenWrite | null = null;

function reply(response: WorkerResponse): void {
  port.postMessage(response);
}

function bind(params: readonly ParamSpec[]): { values: Record<string, DuckDBValue>; types: Record<string, DuckDBType> } {
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const param of params) {
    switch (param.kind) {
      case 'text':
        values[param.name] = param.value;
        types[param.name] = VARCHAR;
        break;
      case 'bigint':
        values[param.name] = param.value;
        types[param.name] = BIGINT;
        break;
      case 'double':
        values[param.name] = param.value;
        types[param.name] = DOUBLE;
        break;
      case 'textList':
        values[param.name] = listValue(param.value);
        types[param.name] = LIST(VARCHAR);
        break;
    }
  }
  return { values, types };
}

/** Rows as plain arrays; list values become { items } objects (what structured clone keeps). */
async function query(connection: DuckDBConnection, sql: string, params: readonly ParamSpec[]): Promise<unknown[][]> {
  const { values, types } = bind(params);
  const reader = await connection.runAndReadAll(sql, params.length > 0 ? values : undefined, params.length > 0 ? types : undefined);
  const rows = reader.getRows() as unknown[][];
  for (const row of rows) {
    for (let index = 0; index < row.length; index++) {
      const value = row[index];
      if (value !== null && typeof value === 'object' && 'items' in value) row[index] = { items: (value as { items: unknown[] }).items };
    }
  }
  return rows;
}

async function open(config: OpenConfig): Promise<OpenResult> {
  instance = await DuckDBInstance.create(config.path, {
    threads: String(config.threads),
    memory_limit: config.memoryLimit,
    storage_compatibility_version: 'latest',
  });
  writer = await instance.connect();
  await writer.run(`SET checkpoint_threshold = '${config.checkpointThreshold.replace(/'/g, '')}'`);
  await writer.run('SET preserve_insertion_order = false');
  for (const statement of SCHEMA_SQL) await writer.run(statement);
  readers = new ConnectionPool(instance, config.readers);
  const stored = (await query(writer, `SELECT value FROM cairn_meta WHERE key = 'schema_version'`, []))[0]?.[0];
  const originKeys = (await query(writer, 'SELECT origin_key FROM origins', [])).map((row) => row[0] as string);
  const lastSeq = (await query(writer, 'SELECT max(batch_seq) FROM trace_parts', []).catch(() => [[null]]))[0]?.[0];
  const version = (await query(writer, 'SELECT version()', []))[0]?.[0];
  return {
    version: String(version),
    storedSchemaVersion: stored === undefined ? null : String(stored),
    originKeys,
    lastBatchSeq: typeof lastSeq === 'bigint' ? lastSeq : 0n,
  };
}

/** Copies column arrays into data chunks of at most CHUNK_ROWS rows and appends them. */
async function appendRows(rows: TableColumns): Promise<void> {
  if (!write || !writer) throw new Error('append outside a write');
  let entry = write.appenders.get(rows.table);
  if (!entry) {
    const appender = await writer.createAppender(rows.table);
    const types: DuckDBType[] = [];
    for (let index = 0; index < appender.columnCount; index++) types.push(appender.columnType(index));
    entry = { appender, types };
    write.appenders.set(rows.table, entry);
  }
  const { appender, types } = entry;
  if (rows.columns.length !== types.length) throw new Error(`${rows.table}: ${rows.columns.length} columns sent, table has ${types.length}`);
  for (let offset = 0; offset < rows.rowCount; offset += CHUNK_ROWS) {
    const count = Math.min(CHUNK_ROWS, rows.rowCount - offset);
    const chunk = DuckDBDataChunk.create(types, count);
    for (let column = 0; column < types.length; column++) {
      const cells = rows.columns[column]!;
      if (!Array.isArray(cells)) {
        if (types[column]!.typeId !== DuckDBTypeId.VARCHAR) throw new Error(`${rows.table}: column ${column} sent as text is ${types[column]}`);
        setTextColumn(chunk, column, cells, offset, count);
        continue;
      }
      const slice = offset === 0 && count === cells.length ? cells : cells.slice(offset, offset + count);
      const values = types[column]!.typeId === DuckDBTypeId.LIST ? slice.map(toListValue) : (slice as DuckDBValue[]);
      chunk.setColumnValues(column, values);
    }
    appender.appendDataChunk(chunk);
  }
}

/** Copies rows offset..offset+count of a text column into the chunk's vector, bytes as they are. */
function setTextColumn(chunk: DuckDBDataChunk, column: number, text: TextColumnData, offset: number, count: number): void {
  const vector = bindings.data_chunk_get_vector(chunk.chunk, column);
  const { bytes, ends, nulls } = text;
  let validity: BigUint64Array | null = null;
  let start = offset === 0 ? 0 : ends[offset - 1]!;
  for (let row = 0; row < count; row++) {
    const end = ends[offset + row]!;
    if (nulls[offset + row] === 1) {
      if (!validity) validity = new BigUint64Array(Math.ceil(count / 64)).fill(0xffffffffffffffffn);
      validity[row >>> 6]! &= ~(1n << BigInt(row & 63));
    } else {
      bindings.vector_assign_string_element_len(vector, row, bytes.subarray(start, end));
    }
    start = end;
  }
  if (validity) {
    bindings.vector_ensure_validity_writable(vector);
    bindings.copy_data_to_vector_validity(vector, 0, validity.buffer as ArrayBuffer, 0, validity.byteLength);
  }
}

function toListValue(value: CellValue): DuckDBValue {
  return Array.isArray(value) ? listValue(value) : value;
}

async function begin(): Promise<void> {
  if (!writer) throw new Error('store is not open');
  await writer.run('BEGIN TRANSACTION');
  write = { appenders: new Map(), failure: null };
}

async function commit(rows: readonly TableColumns[]): Promise<void> {
  const current = write;
  if (!current || !writer) throw new Error('commit outside a write');
  try {
    if (current.failure !== null) throw current.failure;
    for (const table of rows) if (table.rowCount > 0) await appendRows(table);
    for (const { appender } of current.appenders.values()) appender.closeSync();
    current.appenders.clear();
    await writer.run('COMMIT');
  } catch (error) {
    await rollback().catch(() => undefined);
    throw error;
  } finally {
    write = null;
  }
}

async function rollback(): Promise<void> {
  const current = write;
  write = null;
  if (!current || !writer) return;
  for (const { appender } of current.appenders.values()) {
    try {
      appender.clear();
      appender.closeSync();
    } catch {
      // Already unusable; the rollback discards its rows.
    }
  }
  await writer.run('ROLLBACK');
}

function close(): void {
  readers?.closeAll();
  writer?.closeSync();
  instance?.closeSync();
  write = null;
  readers = null;
  writer = null;
  instance = null;
}

function onWriter<T>(body: () => Promise<T>): Promise<T> {
  const result = writerChain.then(body);
  writerChain = result.catch(() => undefined);
  return result;
}

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'open':
      return open(request.config).catch((error: unknown) => {
        close();
        throw error;
      });
    case 'query':
      if (request.writer) return onWriter(() => query(writer!, request.sql, request.params));
      if (!readers) throw new Error('store is not open');
      return readers.use((connection) => query(connection, request.sql, request.params));
    case 'begin':
      return onWriter(begin);
    case 'append':
      return onWriter(async () => {
        if (write && write.failure === null) await appendRows(request.rows).catch((error: unknown) => (write!.failure = error));
      });
    case 'commit':
      return onWriter(() => commit(request.rows));
    case 'rollback':
      return onWriter(rollback);
    case 'close':
      return onWriter(async () => close());
  }
}

port.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (value) => {
      if (request.op !== 'append') reply({ id: request.id, ok: true, value });
    },
    (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      reply({ id: request.id, ok: false, error: { name: failure.name, message: failure.message } });
    },
  );
});

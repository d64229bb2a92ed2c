// The worker thread that owns the DuckDB instance: every statement of the store runs here, so
// appends, commits and checkpoints never block the server's event loop. The main thread encodes
// rows into column buffers; this thread copies them into DuckDB data chunks and runs whole writes
// (batch-write.ts). Writes use one connection, in message order; reads use a small pool and run
// concurrently on DuckDB's threads.

import { parentPort, workerData } from 'node:worker_threads';
import type { DuckDBAppender, DuckDBConnection, DuckDBResultReader, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { BIGINT, DOUBLE, DuckDBDataChunk, DuckDBInstance, DuckDBTypeId, LIST, UINTEGER, VARCHAR, listValue } from '@duckdb/node-api';
// The bindings under @duckdb/node-api (same version, installed with it): the API has no way to
// hand a vector UTF-8 bytes, only JS strings that it converts one by one.
import bindings from '@duckdb/node-bindings';
import type { NumberColumnData, NumberKind } from './number-column.js';
import type { TextColumnData } from './text-column.js';
import type { WriterConnection } from './batch-write.js';
import { writeBatch } from './batch-write.js';
import { ConnectionPool } from './connection-pool.js';
import { KnownTracesFilter } from './known-traces-filter.js';
import { RecentTraceWindows } from './recent-trace-windows.js';
import { SCHEMA_SQL } from './schema.js';
import { BACKFILL_PART_KEYS_SQL, TRACE_KEY_FROM_SEQ } from './trace-key.js';
import { StatementCache } from './statement-cache.js';
import { queryTrace, queryTraceTree } from './trace-tree-read.js';
import { WorkerActivity } from './worker-activity.js';
import type {
  AppendTable,
  CellValue,
  KnownTracesState,
  OpenConfig,
  OpenResult,
  ParamSpec,
  TableColumns,
  WorkerData,
  WorkerRequest,
  WorkerResponse,
} from './worker-protocol.js';

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

const port = parentPort!;
const activity = new WorkerActivity((workerData as WorkerData).activity);
/** Requests being handled, other than 'close'; close waits for them (see shutdown()). */
let inFlight = 0;
let drained: (() => void) | null = null;
let closing = false;
let instance: DuckDBInstance | null = null;
let writer: DuckDBConnection | null = null;
let readers: ConnectionPool | null = null;
/** Prepared statements of the writer and the readers (statement-cache.ts). */
const statements = new StatementCache();
/** Operations on the writer connection, in arrival order. */
let writerChain: Promise<unknown> = Promise.resolve();

interface TableAppender {
  appender: DuckDBAppender;
  types: DuckDBType[];
}
/**
 * The writer's appenders, one per table, kept from write to write: making one (DuckDB looks the
 * table up and binds its columns' defaults) took ~0.2 ms of every write's ~1 ms fixed cost per
 * table. A flush appends the rows in the transaction open on the writer (the write's), so a kept
 * appender writes into each write's transaction in turn; one with nothing buffered flushes
 * nothing. All are dropped when a write fails.
 */
const appenders = new Map<AppendTable, TableAppender>();
/** Whether a write's transaction is open on the writer (begin … commit / rollback). */
let writing = false;
/** Trace ids the store may hold (batch-write.ts); null: ask trace_parts (also while it loads). */
let knownTraces: KnownTracesFilter | null = null;
/** The filter being loaded from trace_parts (after open, or larger once full); writes add their trace ids to it meanwhile. */
let loadingKnownTraces: { add(traceId: string): void } | null = null;
/** The first batch_seq whose spans rows carry their trace_key (set at open). */
let traceKeyFromSeq = 1n;
/** The windows of recently written traces, for dedupe (recent-trace-windows.ts; made at open). */
let recentWindows = new RecentTraceWindows();

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
      case 'uinteger':
        values[param.name] = param.value;
        types[param.name] = UINTEGER;
        break;
      case 'double':
        values[param.name] = param.value;
        types[param.name] = DOUBLE;
        break;
      case 'textList':
        values[param.name] = listValue(param.value);
        types[param.name] = LIST(VARCHAR);
        break;
      case 'uintegerList':
        values[param.name] = listValue(param.value);
        types[param.name] = LIST(UINTEGER);
        break;
    }
  }
  return { values, types };
}

/** Rows as plain arrays; list values become { items } objects (what structured clone keeps). */
async function query(connection: DuckDBConnection, sql: string, params: readonly ParamSpec[]): Promise<unknown[][]> {
  let reader: DuckDBResultReader;
  if (params.length === 0) {
    // Texts without parameters often carry their values (and may hold several statements).
    reader = await connection.runAndReadAll(sql);
  } else {
    const { values, types } = bind(params);
    const statement = await statements.prepared(connection, sql);
    statement.bind(values, types);
    reader = await statement.runAndReadAll();
  }
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
    // DuckDB's allocator (jemalloc) returns freed memory to the system from a background thread
    // instead of keeping it until the freeing thread allocates again: peak RSS while ingesting at
    // full speed ~60 MiB lower and steadier, at no measured cost (BENCHMARKS.md).
    allocator_background_threads: 'true',
    storage_compatibility_version: 'latest',
  });
  writer = await instance.connect();
  await writer.run(`SET checkpoint_threshold = '${config.checkpointThreshold.replace(/'/g, '')}'`);
  await writer.run('SET preserve_insertion_order = false');
  for (const statement of SCHEMA_SQL) await writer.run(statement);
  await backfillPartsReceived(writer);
  await backfillPartKeys(writer);
  traceKeyFromSeq = await readTraceKeyFromSeq(writer);
  readers = new ConnectionPool(instance, config.readers);
  recentWindows = new RecentTraceWindows(config.recentTraceWindows);
  knownTraceIds = config.knownTraceIds;
  const stored = (await query(writer, `SELECT value FROM cairn_meta WHERE key = 'schema_version'`, []))[0]?.[0];
  const originKeys = (await query(writer, 'SELECT origin_key FROM origins', [])).map((row) => row[0] as string);
  const lastSeq = (await query(writer, 'SELECT max(batch_seq) FROM trace_parts', []).catch(() => [[null]]))[0]?.[0];
  const [version, threads, memoryLimit] = (await query(writer, `SELECT version(), current_setting('threads'), current_setting('memory_limit')`, []))[0] as [string, bigint, string];
  const [hasDetachedEvents, hasLiveSpans] = (await query(writer, 'SELECT EXISTS (SELECT 1 FROM detached_events), EXISTS (SELECT 1 FROM live_spans)', []))[0] as [boolean, boolean];
  knownTraces = null;
  loadKnownTraces();
  return {
    version,
    settings: `${threads} thread${threads === 1n ? '' : 's'}, memory limit ${memoryLimit}`,
    storedSchemaVersion: stored === undefined ? null : String(stored),
    originKeys,
    lastBatchSeq: typeof lastSeq === 'bigint' ? lastSeq : 0n,
    traceKeyFromSeq,
    hasDetachedEvents,
    hasLiveSpans,
  };
}

/**
 * The first batch_seq whose spans rows carry their trace_key (trace-key.ts): recorded at the first
 * open with the column — after every batch already written, none of which has keys — and read
 * back at later ones.
 */
async function readTraceKeyFromSeq(connection: DuckDBConnection): Promise<bigint> {
  const stored = (await query(connection, `SELECT value FROM cairn_meta WHERE key = '${TRACE_KEY_FROM_SEQ}'`, []))[0]?.[0];
  if (typeof stored === 'string') return BigInt(stored);
  const last = (await query(connection, 'SELECT max(batch_seq) FROM spans', []))[0]?.[0];
  const from = (typeof last === 'bigint' ? last : 0n) + 1n;
  await connection.run(`INSERT INTO cairn_meta VALUES ('${TRACE_KEY_FROM_SEQ}', '${from}')`);
  return from;
}

/** Keys the trace_parts rows written before trace_key existed (trace-key.ts; later opens find none). */
async function backfillPartKeys(connection: DuckDBConnection): Promise<void> {
  const missing = Number((await query(connection, 'SELECT count(*) FROM trace_parts WHERE trace_key IS NULL', []))[0]?.[0] ?? 0);
  if (missing > 0) await connection.run(BACKFILL_PART_KEYS_SQL);
}

/**
 * Gives the trace_parts rows written before max_received_ns existed their spans' newest
 * received time (once: later opens find no NULL), so listDueTraces can read parts alone.
 */
async function backfillPartsReceived(connection: DuckDBConnection): Promise<void> {
  const missing = Number((await query(connection, 'SELECT count(*) FROM trace_parts WHERE max_received_ns IS NULL', []))[0]?.[0] ?? 0);
  if (missing === 0) return;
  await connection.run(`UPDATE trace_parts SET max_received_ns = r.max_received
    FROM (SELECT project_id, trace_id, batch_seq, max(received_ns) AS max_received FROM spans GROUP BY ALL) AS r
    WHERE trace_parts.max_received_ns IS NULL AND trace_parts.project_id = r.project_id AND trace_parts.trace_id = r.trace_id
      AND trace_parts.batch_seq IS NOT DISTINCT FROM r.batch_seq`);
}

/**
 * Called by a write as soon as its COMMIT returned, before any other task of this thread can run:
 * the filter in use and the one loading both learn the committed trace ids. A filter in use that
 * holds more ids than it was sized for has a larger one loaded.
 */
function rememberTraces(traceIds: readonly string[]): void {
  for (const filter of [knownTraces, loadingKnownTraces]) {
    if (filter) for (const traceId of traceIds) filter.add(traceId);
  }
  if (!loadingKnownTraces) growFullFilter();
}

/** Loads a larger filter when the one in use holds more ids than it was sized for. */
function growFullFilter(): void {
  if (knownTraces?.full && !closing && Date.now() >= nextFilterLoad) loadKnownTraces();
}

/** After a load of the filter failed, the next is not tried before this time. */
let nextFilterLoad = 0;
const FILTER_RETRY_MILLIS = 60_000;

/** Parts read per statement while the known-traces filter loads. */
const FILTER_LOAD_PARTS = 100_000;
/** A filter is sized for this many times the trace_parts rows there are when it loads. */
const FILTER_HEADROOM = 2;
/** The least ids a filter is sized for (set at open). */
let knownTraceIds: number | undefined;

/**
 * Loads the trace keys of trace_parts into a new filter on a reader connection, a batch_seq range
 * of ~FILTER_LOAD_PARTS parts at a time, while writes go on (with the filter in use, or asking
 * trace_parts until the first is loaded). The ids writes commit meanwhile are added to it: from
 * before the statement that counts the parts (sizing the filter), so no id committed after that
 * statement's snapshot is missed. Counted in flight, so close() waits for it; it stops early when
 * the store closes.
 */
function loadKnownTraces(): void {
  const committedMeanwhile: string[] = [];
  let filter: KnownTracesFilter | null = null;
  loadingKnownTraces = { add: (traceId) => (filter ? filter.add(traceId) : committedMeanwhile.push(traceId)) };
  inFlight++;
  const load = async () => {
    if (!readers) return;
    const loaded = await readers.use(async (connection) => {
      const [count, minSeq, maxSeq] = (await query(connection, 'SELECT count(*), min(batch_seq), max(batch_seq) FROM trace_parts', []))[0] as [bigint, bigint | null, bigint | null];
      const building = new KnownTracesFilter(Number(count) * FILTER_HEADROOM, knownTraceIds);
      for (const traceId of committedMeanwhile) building.add(traceId);
      filter = building;
      const add = (rows: unknown[][]) => rows.forEach(([key]) => building.addKey(key as number));
      add(await query(connection, 'SELECT trace_key FROM trace_parts WHERE batch_seq IS NULL', []));
      if (minSeq === null || maxSeq === null) return building;
      const step = BigInt(Math.max(1, Math.floor((Number(maxSeq - minSeq) + 1) * (FILTER_LOAD_PARTS / Math.max(1, Number(count))))));
      for (let from = minSeq; from <= maxSeq; from += step) {
        if (closing) return null;
        add(await query(connection, `SELECT trace_key FROM trace_parts WHERE batch_seq >= ${from} AND batch_seq < ${from + step}`, []));
      }
      return building;
    });
    if (loaded && !closing) knownTraces = loaded;
  };
  void load()
    // The filter is an optimization: without it every write asks trace_parts.
    .catch(() => (nextFilterLoad = Date.now() + FILTER_RETRY_MILLIS))
    .finally(() => {
      loadingKnownTraces = null;
      settled();
      // Filled while it loaded (the store grew meanwhile): a larger one at once, not at the next write.
      growFullFilter();
    });
}

/** Copies column arrays into data chunks of at most CHUNK_ROWS rows and appends them. */
async function appendRows(rows: TableColumns): Promise<void> {
  if (!writing || !writer) throw new Error('append outside a write');
  // The rows to append, by index, when dedupe dropped some; null: all of them.
  const selection = rows.skip ? keptRows(rows.skip) : null;
  const total = selection ? selection.length : rows.rowCount;
  if (total === 0) return;
  let entry = appenders.get(rows.table);
  if (!entry) {
    const appender = await writer.createAppender(rows.table);
    const types: DuckDBType[] = [];
    for (let index = 0; index < appender.columnCount; index++) types.push(appender.columnType(index));
    entry = { appender, types };
    appenders.set(rows.table, entry);
  }
  const { appender, types } = entry;
  if (rows.columns.length !== types.length) throw new Error(`${rows.table}: ${rows.columns.length} columns sent, table has ${types.length}`);
  for (let offset = 0; offset < total; offset += CHUNK_ROWS) {
    const count = Math.min(CHUNK_ROWS, total - offset);
    const chunk = DuckDBDataChunk.create(types, count);
    for (let column = 0; column < types.length; column++) {
      const cells = rows.columns[column]!;
      if (!Array.isArray(cells)) {
        const expected = cells.kind === 'text' ? DuckDBTypeId.VARCHAR : NUMBER_TYPE_IDS[cells.type];
        if (types[column]!.typeId !== expected) throw new Error(`${rows.table}: column ${column} sent as ${cells.kind === 'text' ? 'text' : cells.type} is ${types[column]}`);
        if (cells.kind === 'text') setTextColumn(chunk, column, cells, offset, count, selection);
        else setNumberColumn(chunk, column, cells, offset, count, selection);
        continue;
      }
      const slice = selection
        ? Array.from(selection.subarray(offset, offset + count), (row) => cells[row]!)
        : offset === 0 && count === cells.length
          ? cells
          : cells.slice(offset, offset + count);
      const values = types[column]!.typeId === DuckDBTypeId.LIST ? slice.map(toListValue) : (slice as DuckDBValue[]);
      chunk.setColumnValues(column, values);
    }
    appender.appendDataChunk(chunk);
    // The appender copied the rows: free the chunk's string heaps (the carriers) now, not when
    // V8 collects the chunk object.
    bindings.data_chunk_reset(chunk.chunk);
  }
}

function keptRows(skip: Uint8Array): Uint32Array {
  const kept = new Uint32Array(skip.length);
  let count = 0;
  for (let row = 0; row < skip.length; row++) if (skip[row] !== 1) kept[count++] = row;
  return kept.subarray(0, count);
}

/** DuckDB's vector type of each fixed-width column kind (number-column.ts). */
const NUMBER_TYPE_IDS: Record<NumberKind, DuckDBTypeId> = {
  u8: DuckDBTypeId.UTINYINT,
  u32: DuckDBTypeId.UINTEGER,
  i64: DuckDBTypeId.BIGINT,
  f64: DuckDBTypeId.DOUBLE,
  bool: DuckDBTypeId.BOOLEAN,
};

/** The row behind position `index` of the chunk being filled. */
function rowAt(offset: number, index: number, selection: Uint32Array | null): number {
  return selection ? selection[offset + index]! : offset + index;
}

/** Marks the chunk rows whose source row is NULL invalid. */
function setNulls(vector: ReturnType<typeof bindings.data_chunk_get_vector>, nulls: Uint8Array, offset: number, count: number, selection: Uint32Array | null): void {
  // The mask is uint64 words, row i at bit i % 64 of word i / 64; on a little-endian host that is
  // bit i % 8 of byte i / 8, set here without a BigInt per NULL row (the mask is 1 = valid).
  let validity: Uint8Array | null = null;
  for (let index = 0; index < count; index++) {
    if (nulls[rowAt(offset, index, selection)] !== 1) continue;
    if (!validity) validity = new Uint8Array(Math.ceil(count / 64) * 8).fill(0xff);
    if (LITTLE_ENDIAN) validity[index >>> 3]! &= ~(1 << (index & 7));
    else validity[(index >>> 6) * 8 + 7 - ((index >>> 3) & 7)]! &= ~(1 << (index & 7));
  }
  if (validity) {
    bindings.vector_ensure_validity_writable(vector);
    bindings.copy_data_to_vector_validity(vector, 0, validity.buffer as ArrayBuffer, 0, validity.byteLength);
  }
}

/**
 * A VARCHAR vector holds one 16-byte duckdb_string_t per row (duckdb.h): a uint32 length, then
 * up to 12 bytes inline (zero-padded), or a 4-byte prefix and a pointer to the bytes. Every slot
 * of a chunk's column is laid out here in one buffer and copied into the vector in one call.
 * Longer cells point into a "carrier" string: the bytes of consecutive rows of the column (up to
 * MAX_CARRIER_BYTES), handed to DuckDB in one vector_assign_string_element_len (which copies them
 * into the vector's own string heap, alive as long as the chunk), whose address is read back from
 * the slot it was assigned to; a long cell's pointer is that address plus the cell's offset in the
 * carrier. About one native call (and one UTF-8 check) per column and chunk instead of one per long
 * cell, which cost ~0.2 µs each with ~8 long cells in a span row (ids, names, attributes, previews).
 */
const STRING_T_BYTES = 16;
const INLINE_STRING_BYTES = 12;
const TWO_TO_32 = 2 ** 32;
/** A carrier holds at most this many bytes (or one cell, if longer): modest allocations, whatever the payloads. */
const MAX_CARRIER_BYTES = 1 << 16;
/** The slot layout is written byte by byte; on a big-endian host every long cell takes the native call. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const stringSlots = new Uint8Array(CHUNK_ROWS * STRING_T_BYTES);
const stringWords = new Uint32Array(stringSlots.buffer);

/**
 * Copies `count` rows of a text column into the chunk's vector, bytes as they are: rows
 * offset..offset+count, or the rows `selection` lists at those positions (in ascending order).
 */
function setTextColumn(chunk: DuckDBDataChunk, column: number, text: TextColumnData, offset: number, count: number, selection: Uint32Array | null): void {
  const vector = bindings.data_chunk_get_vector(chunk.chunk, column);
  const { bytes, ends, nulls } = text;
  if (!LITTLE_ENDIAN) {
    for (let index = 0; index < count; index++) {
      const row = rowAt(offset, index, selection);
      if (nulls[row] !== 1) bindings.vector_assign_string_element_len(vector, index, bytes.subarray(row === 0 ? 0 : ends[row - 1]!, ends[row]!));
    }
    setNulls(vector, nulls, offset, count, selection);
    return;
  }
  // The carrier in use: its bytes' range and its address in 32-bit halves (none yet: end -1).
  let carrierStart = 0;
  let carrierEnd = -1;
  let carrierLow = 0;
  let carrierHigh = 0;
  // NULL rows keep an empty inline slot; the validity mask marks them.
  stringSlots.fill(0, 0, count * STRING_T_BYTES);
  for (let index = 0; index < count; index++) {
    const row = rowAt(offset, index, selection);
    if (nulls[row] === 1) continue;
    const start = row === 0 ? 0 : ends[row - 1]!;
    const end = ends[row]!;
    const length = end - start;
    const slot = index * STRING_T_BYTES;
    stringWords[slot >>> 2] = length;
    if (length <= INLINE_STRING_BYTES) {
      for (let byte = 0; byte < length; byte++) stringSlots[slot + 4 + byte] = bytes[start + byte]!;
      continue;
    }
    if (end > carrierEnd) {
      // A new carrier from this cell on, over whole cells (valid UTF-8), longer than 12 bytes (so
      // DuckDB stores it by pointer); assigned to the first slot, read back, overwritten below.
      // (vector_get_data copies the slots it returns: the first one is 16 bytes, this cell's
      // slot would be all the slots before it, ~16 KB per carrier on average.)
      carrierStart = start;
      carrierEnd = end;
      for (let next = index + 1; next < count; next++) {
        const nextEnd = ends[rowAt(offset, next, selection)]!;
        if (nextEnd - start > MAX_CARRIER_BYTES) break;
        carrierEnd = nextEnd;
      }
      bindings.vector_assign_string_element_len(vector, 0, bytes.subarray(carrierStart, carrierEnd));
      const data = bindings.vector_get_data(vector, STRING_T_BYTES);
      const assigned = new DataView(data.buffer, data.byteOffset, STRING_T_BYTES);
      if (assigned.getUint32(0, true) !== carrierEnd - carrierStart) throw new Error(`column ${column}: DuckDB did not take rows ${offset + index}… as text`);
      carrierLow = assigned.getUint32(8, true);
      carrierHigh = assigned.getUint32(12, true);
    }
    for (let byte = 0; byte < 4; byte++) stringSlots[slot + 4 + byte] = bytes[start + byte]!;
    const low = carrierLow + (start - carrierStart);
    stringWords[(slot >>> 2) + 2] = low % TWO_TO_32;
    stringWords[(slot >>> 2) + 3] = carrierHigh + Math.floor(low / TWO_TO_32);
  }
  // Overwrites the slots the carriers were assigned to as well: their bytes stay in the heap.
  bindings.copy_data_to_vector(vector, 0, stringSlots.buffer, 0, count * STRING_T_BYTES);
  setNulls(vector, nulls, offset, count, selection);
}

/** Copies `count` rows of a fixed-width column into the chunk's vector in one call (same layout). */
function setNumberColumn(chunk: DuckDBDataChunk, column: number, data: NumberColumnData, offset: number, count: number, selection: Uint32Array | null): void {
  const vector = bindings.data_chunk_get_vector(chunk.chunk, column);
  let values = data.values.subarray(offset, offset + count);
  if (selection) {
    const picked = new (data.values.constructor as new (length: number) => typeof data.values)(count);
    for (let index = 0; index < count; index++) (picked as Float64Array)[index] = (data.values as Float64Array)[selection[offset + index]!]!;
    values = picked;
  }
  bindings.copy_data_to_vector(vector, 0, values.buffer as ArrayBuffer, values.byteOffset, values.byteLength);
  if (data.nulls) setNulls(vector, data.nulls, offset, count, selection);
}

function toListValue(value: CellValue): DuckDBValue {
  return Array.isArray(value) ? listValue(value) : value;
}

async function begin(): Promise<void> {
  if (!writer) throw new Error('store is not open');
  await writer.run('BEGIN TRANSACTION');
  writing = true;
}

async function commit(rows: readonly TableColumns[]): Promise<void> {
  if (!writing || !writer) throw new Error('commit outside a write');
  try {
    for (const table of rows) if (table.rowCount > 0) await appendRows(table);
    for (const { appender } of appenders.values()) appender.flushSync();
    await writer.run('COMMIT');
  } catch (error) {
    await rollback().catch(() => undefined);
    throw error;
  } finally {
    writing = false;
  }
}

async function rollback(): Promise<void> {
  const wasWriting = writing;
  writing = false;
  if (!wasWriting || !writer) return;
  dropAppenders();
  await writer.run('ROLLBACK');
}

/** Drops the kept appenders and the rows they still buffer (a ROLLBACK discards what they flushed). */
function dropAppenders(): void {
  for (const { appender } of appenders.values()) {
    try {
      appender.clear();
      appender.closeSync();
    } catch {
      // Already unusable.
    }
  }
  appenders.clear();
}

/** Closes every connection, then the instance. Only when no statement runs (see shutdown()). */
function close(): void {
  dropAppenders();
  statements.clear();
  readers?.closeAll();
  writer?.closeSync();
  instance?.closeSync();
  writing = false;
  readers = null;
  writer = null;
  instance = null;
}

/**
 * The orderly end: refuse new requests, let the ones already received finish (reads too: a
 * connection must not be closed under a running query, and a native call must not complete
 * after the thread is gone), close connections and instance, and let the thread exit.
 */
async function shutdown(): Promise<void> {
  closing = true;
  if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
  close();
}

/** The writer connection as batch-write.ts uses it (inside onWriter: in order with the rest). */
const writerConnection: WriterConnection = {
  query: (sql, params) => query(writer!, sql, params),
  begin,
  appendRows,
  commit,
  rollback,
};

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
    case 'readTrace':
      if (!readers) throw new Error('store is not open');
      return readers.use((connection) => queryTrace((sql, params) => query(connection, sql, params.specs), traceKeyFromSeq, request.view, request.projectId, request.traceId));
    case 'readTraceTree':
      if (!readers) throw new Error('store is not open');
      return readers.use((connection) => queryTraceTree((sql, params) => query(connection, sql, params.specs), traceKeyFromSeq, request.projectId, request.traceId));
    case 'write':
      return onWriter(() => writeBatch(request, writerConnection, { filter: knownTraces, remember: rememberTraces, recent: recentWindows }));
    case 'knownTraces':
      return {
        capacity: knownTraces === null ? 0 : Number.isFinite(knownTraces.capacity) ? knownTraces.capacity : null,
        size: knownTraces?.size ?? 0,
        loading: loadingKnownTraces !== null,
      } satisfies KnownTracesState;
    case 'close':
      return shutdown();
  }
}

function settled(): void {
  inFlight--;
  if (inFlight === 0 && drained) {
    drained();
    drained = null;
  }
}

function onRequest(request: WorkerRequest): Promise<unknown> {
  if (request.op === 'close') return shutdown();
  if (closing || !activity.begin()) return Promise.reject(new Error('the store is closing'));
  inFlight++;
  const result = handle(request);
  void result.then(settled, settled).finally(() => activity.end());
  return result;
}

port.on('message', (request: WorkerRequest) => {
  onRequest(request).then(
    (value) => {
      reply({ id: request.id, ok: true, value });
    },
    (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      reply({ id: request.id, ok: false, error: { name: failure.name, message: failure.message } });
    },
  ).finally(() => {
    // Nothing else keeps this thread alive: closing the port lets it exit on its own, with
    // every DuckDB object already closed (the store waits for the 'exit' event).
    if (request.op === 'close') port.close();
  });
});

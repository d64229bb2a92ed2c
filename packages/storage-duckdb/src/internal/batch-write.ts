// Runs in the DuckDB worker: one whole write per message — dedupe, append, trace parts, COMMIT.
// The main thread prepared the rows (span-writer.ts) and waits for one reply; a write that took
// several round trips (lookup, begin, commit) was mostly the main thread's turn to answer each
// reply while it decoded the next requests, and one write runs at a time.
//
// Dedupe on (project, trace id, span id) without a key index: repeats inside the batch are
// dropped first; then, for the traces the known-traces filter says may be stored, the windows of
// recently written traces (recent-trace-windows.ts) or, for the others, trace_parts (by trace_key
// first) tell which are already known and which batches (batch_seq) and start-time window hold
// them, and only spans of those traces there are read back. Dropped rows are already encoded, so
// they are appended with a skip mask.
//
// Most writes carry new traces only, each in one of the write's batches, without a repeated
// span: then nothing can be dropped, and the trace parts the main thread built with each batch
// are written as they are. Otherwise the spans are read back out of the encoded rows (their ids
// and the fields of the trace parts) and deduplicated and summarized here.
// The adapter is the database's only writer and writes one batch at a time, so nothing can slip
// in between the lookup and the append.

import type { DetachedSpanEvent, WriteResult } from '@cairn/storage';
import { encodeEvent } from '@cairn/storage/adapter-kit';
import { constantNumberColumn } from './number-column.js';
import { RowBuffer } from './row-buffer.js';
import { SqlParams } from './sql-params.js';
import type { PartSpan } from './trace-part.js';
import { buildTraceParts, partExtents, TRACE_PART_COLUMNS, TRACE_PART_SEQ_COLUMN, tracePartCells } from './trace-part.js';
import type { KnownTracesFilter } from './known-traces-filter.js';
import { type RecentTraceWindows, type TraceWindow, unionWindow } from './recent-trace-windows.js';
import { partSpansOfRows } from './span-row.js';
import { keyedTraceIdFilter, traceIdFilter } from './span-window-sql.js';
import { traceKeyOf } from './trace-key.js';
import type { CellValue, ParamSpec, TableColumns, WriteRequest } from './worker-protocol.js';

/** What a write needs of the worker's writer connection. */
export interface WriterConnection {
  query(sql: string, params: readonly ParamSpec[]): Promise<unknown[][]>;
  begin(): Promise<void>;
  appendRows(rows: TableColumns): Promise<void>;
  /** Appends the last rows and commits; rolls back on failure. */
  commit(rows: TableColumns[]): Promise<void>;
  rollback(): Promise<void>;
}

export interface BatchWriteResult extends WriteResult {
  /** False when nothing was new: no transaction, batch_seq not used. */
  committed: boolean;
}

/** Up to this many traces asked of trace_parts are looked up one by one by their trace_key. */
const KEYED_LOOKUP_TRACES = 8;

function spanKey(projectId: string, traceId: string, spanId: string): string {
  return `${projectId}\u0000${traceId}\u0000${spanId}`;
}

function eventKey(event: DetachedSpanEvent): string {
  return `${spanKey(event.projectId, event.traceId, event.spanId)}\u0000${event.event.timeUnixNano}\u0000${event.event.name}`;
}

/** What a write knows of the stored trace ids (known-traces-filter.ts). */
export interface StoredTraceIds {
  /** The trace ids the store may hold, or null: ask trace_parts. */
  filter: KnownTracesFilter | null;
  /** Called with the write's trace ids right after its COMMIT returned. */
  remember(traceIds: readonly string[]): void;
  /** The windows of recently written traces (recent-trace-windows.ts), updated after each COMMIT. */
  recent: RecentTraceWindows;
}

export async function writeBatch(request: WriteRequest, connection: WriterConnection, stored: StoredTraceIds): Promise<BatchWriteResult> {
  const { seq } = request;
  const known = await knownTraces(request.batches, connection, stored.filter, stored.recent);
  // null: all new, the batches' own parts hold; else the spans read back out of the rows, per batch.
  let spansOfBatches: PartSpan[][] | null = null;
  let skips: (Uint8Array | null)[] = request.batches.map(() => null);
  let dropped = 0;
  if (known !== null) {
    spansOfBatches = request.batches.map((batch) => partSpansOfRows(batch.spanRows));
    ({ skips, dropped } = await duplicates(spansOfBatches, known, connection));
  }
  const events = await newEvents(request.events, connection);
  const spanCount = request.batches.reduce((sum, batch) => sum + batch.spanRows.rowCount, 0);
  const accepted = spanCount - dropped;
  const result = { accepted, deduplicated: dropped, eventsAccepted: events.length };
  if (accepted === 0 && events.length === 0) return { ...result, committed: false };
  await connection.begin();
  const partTables: TableColumns[] = [];
  try {
    const kept: PartSpan[] = [];
    for (const [index, batch] of request.batches.entries()) {
      const skip = skips[index] ?? null;
      spansOfBatches?.[index]!.forEach((span, row) => {
        if (skip === null || skip[row] !== 1) kept.push(span);
      });
      await connection.appendRows(withSeq(batch.spanRows, batch.spanSeqColumn, seq, skip));
      const payloadSkip = skip === null ? null : Uint8Array.from(batch.payloadSpanRow, (spanRow) => skip[spanRow]!);
      await connection.appendRows(withSeq(batch.payloadRows, batch.payloadSeqColumn, seq, payloadSkip));
    }
    if (spansOfBatches === null) {
      for (const batch of request.batches) partTables.push(withSeq(batch.partRows, TRACE_PART_SEQ_COLUMN, seq, null));
    } else {
      const partRows = new RowBuffer('trace_parts', { count: TRACE_PART_COLUMNS });
      for (const part of buildTraceParts(kept)) partRows.add(tracePartCells(part, seq));
      partTables.push(partRows.take());
    }
    const eventRows = new RowBuffer('detached_events', { count: 6 });
    for (const event of events) eventRows.add(eventCells(event));
    await connection.commit([request.origins, ...partTables, eventRows.take()]);
  } catch (error) {
    await connection.rollback().catch(() => undefined);
    throw error;
  }
  // Committed: nothing may run between the COMMIT and these (no await).
  stored.remember(request.batches.flatMap((batch) => batch.traceIds));
  rememberWindows(stored.recent, known, partTables, seq);
  return { ...result, committed: true };
}

/** Where the stored spans of some traces are, for storedKeys. */
interface KnownTraces {
  /** Each known trace's own window (all of its stored parts); empty when none is stored. */
  windows: Map<string, TraceWindow>;
}

/**
 * After a COMMIT: the whole window of each trace the write touched — what was known of it
 * (nothing for a new trace) widened by the parts just written — for the next writes' dedupe.
 */
function rememberWindows(recent: RecentTraceWindows, known: KnownTraces | null, partTables: readonly TableColumns[], seq: bigint): void {
  const written = new Map<string, TraceWindow>();
  for (const rows of partTables) {
    for (const [traceId, minStart, maxStart] of partExtents(rows)) {
      written.set(traceId, unionWindow(written.get(traceId), { minStart, maxStart, minSeq: seq, maxSeq: seq }));
    }
  }
  // Known traces whose spans were all repeats: their windows stand, and were just asked for.
  for (const [traceId, window] of known?.windows ?? []) if (!written.has(traceId)) recent.set(traceId, window);
  for (const [traceId, window] of written) recent.set(traceId, unionWindow(known?.windows.get(traceId), window));
}

/**
 * null when the write's spans can be taken as the main thread summarized them: no batch repeats
 * a span, no trace is in two batches, none is stored yet. Else the stored traces among the
 * write's (no windows when none is), for duplicates().
 */
async function knownTraces(
  batches: WriteRequest['batches'],
  connection: WriterConnection,
  filter: KnownTracesFilter | null,
  recent: RecentTraceWindows,
): Promise<KnownTraces | null> {
  const traceIds = new Set<string>();
  let shared = false;
  for (const batch of batches) {
    for (const traceId of batch.traceIds) {
      if (traceIds.has(traceId)) shared = true;
      traceIds.add(traceId);
    }
  }
  const maybeStored = filter === null ? [...traceIds] : [...traceIds].filter((traceId) => filter.mayContain(traceId));
  const windows = new Map<string, TraceWindow>();
  let ask: string[] = [];
  for (const traceId of maybeStored) {
    const window = recent.get(traceId);
    if (window) windows.set(traceId, window);
    else ask.push(traceId);
  }
  // Many traces to ask (all of a write's until the filter has loaded, or when there is none):
  // first those whose trace_key some part holds, out of the key column alone.
  if (ask.length > KEYED_LOOKUP_TRACES) ask = await withStoredKeys(ask, connection);
  if (ask.length > 0) {
    // A few traces (a false "maybe" of the filter is most often one) are each matched by their
    // trace_key first: among 5.5M random ids one took 12–17 ms against 229 ms by id alone, and
    // 8 took 116 ms against 384 for the list, which probes every part's id whatever its length.
    const params = new SqlParams();
    const window = 'SELECT trace_id, min(min_start_ns), max(max_start_ns), min(batch_seq), max(batch_seq) FROM trace_parts';
    const sql =
      ask.length <= KEYED_LOOKUP_TRACES
        ? ask.map((traceId) => `${window} WHERE ${keyedTraceIdFilter(traceId, params)} GROUP BY trace_id`).join(' UNION ALL ')
        : `${window} WHERE ${traceIdFilter(ask, params)} GROUP BY trace_id`;
    const rows = await connection.query(sql, params.specs);
    for (const [traceId, minStart, maxStart, minSeq, maxSeq] of rows as [string, bigint, bigint, bigint, bigint][]) {
      windows.set(traceId, { minStart, maxStart, minSeq, maxSeq });
    }
  }
  if (windows.size === 0 && !shared && !batches.some((batch) => batch.repeats)) return null;
  return { windows };
}

/**
 * The traces among `traceIds` whose trace_key is in trace_parts: every part carries its key
 * (trace-key.ts), and a scan of that integer column alone is cheap where one of the ids' text is
 * not — among 5.5M parts, 42 or 202 traces took 27 ms by key against 220–370 ms by id, with the
 * keys and the ids both compared 240–390 ms (one DuckDB thread, BENCHMARKS.md). A new trace's key
 * is found among 5.5M random ones ~0.13 % of the time, so most writes of new traces ask no more.
 */
async function withStoredKeys(traceIds: readonly string[], connection: WriterConnection): Promise<string[]> {
  const params = new SqlParams();
  const keys = traceIds.map(traceKeyOf);
  const rows = await connection.query(`SELECT DISTINCT trace_key FROM trace_parts WHERE trace_key IN (SELECT unnest(${params.uintegerList([...new Set(keys)])}))`, params.specs);
  const stored = new Set(rows.map((row) => row[0] as number));
  return traceIds.filter((_, index) => stored.has(keys[index]!));
}

/** Per batch, 1 for each span row that repeats an earlier row or a stored span (null: none). */
async function duplicates(batches: readonly (readonly PartSpan[])[], known: KnownTraces, connection: WriterConnection): Promise<{ skips: (Uint8Array | null)[]; dropped: number }> {
  const skips: (Uint8Array | null)[] = batches.map(() => null);
  const keys: string[][] = [];
  const seen = new Set<string>();
  let dropped = 0;
  const drop = (batchIndex: number, row: number) => {
    const skip = (skips[batchIndex] ??= new Uint8Array(batches[batchIndex]!.length));
    skip[row] = 1;
    dropped += 1;
  };
  batches.forEach((batch, batchIndex) => {
    const batchKeys: string[] = [];
    batch.forEach((span, row) => {
      const key = spanKey(span.projectId, span.traceId, span.spanId);
      batchKeys.push(key);
      if (seen.has(key)) return drop(batchIndex, row);
      seen.add(key);
    });
    keys.push(batchKeys);
  });
  const stored = await storedKeys(known, connection);
  if (stored.size > 0) {
    keys.forEach((batchKeys, batchIndex) =>
      batchKeys.forEach((key, row) => {
        if (skips[batchIndex]?.[row] !== 1 && stored.has(key)) drop(batchIndex, row);
      }),
    );
  }
  return { skips, dropped };
}

/** Keys of the stored spans of the known traces. */
async function storedKeys(known: KnownTraces, connection: WriterConnection): Promise<Set<string>> {
  const keys = new Set<string>();
  let union: TraceWindow | undefined;
  for (const window of known.windows.values()) union = unionWindow(union, window);
  if (!union) return keys;
  const { minStart, maxStart, minSeq, maxSeq } = union;
  const lookup = new SqlParams();
  const stored = await connection.query(
    `SELECT project_id, trace_id, span_id FROM spans
     WHERE batch_seq >= ${lookup.bigint(minSeq)} AND batch_seq <= ${lookup.bigint(maxSeq)}
       AND start_ns >= ${lookup.bigint(minStart)} AND start_ns <= ${lookup.bigint(maxStart)}
       AND trace_id IN (SELECT unnest(${lookup.textList([...known.windows.keys()])}))`,
    lookup.specs,
  );
  for (const row of stored) keys.add(spanKey(row[0] as string, row[1] as string, row[2] as string));
  return keys;
}

async function newEvents(events: readonly DetachedSpanEvent[], connection: WriterConnection): Promise<DetachedSpanEvent[]> {
  if (events.length === 0) return [];
  const params = new SqlParams();
  const traceIds = [...new Set(events.map((event) => event.traceId))];
  const stored = await connection.query(
    `SELECT project_id, trace_id, span_id, time_ns, name FROM detached_events
     WHERE trace_id IN (SELECT unnest(${params.textList(traceIds)}))`,
    params.specs,
  );
  const seen = new Set<string>();
  for (const row of stored) {
    seen.add(`${spanKey(row[0] as string, row[1] as string, row[2] as string)}\u0000${row[3] as bigint}\u0000${row[4] as string}`);
  }
  return events.filter((event) => {
    const key = eventKey(event);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The rows with their batch_seq column set, and the rows dedupe dropped marked. */
function withSeq(rows: TableColumns, seqColumn: number, seq: bigint, skip: Uint8Array | null): TableColumns {
  const columns = rows.columns.slice();
  columns[seqColumn] = constantNumberColumn('i64', seq, rows.rowCount);
  return skip === null ? { ...rows, columns } : { ...rows, columns, skip };
}

function eventCells(event: DetachedSpanEvent): CellValue[] {
  return [event.projectId, event.traceId, event.spanId, event.event.timeUnixNano, event.event.name, JSON.stringify(encodeEvent(event.event))];
}

// Fills a ClickHouse database for the query set, fast: a base set goes through the real adapter
// (TraceStore.write, the same template traces as query-bench.ts), then ClickHouse copies it with
// INSERT … SELECT, each copy with rewritten trace ids, its own session ids and times moved back
// as later passes of the DuckDB fill are (newest first). Writing 5M spans through the adapter on the bench
// machine would take longer than the whole benchmark; the copies are the same rows ClickHouse
// would have stored, so the read side is measured on the same data shape.

import type { TraceStore } from '@cairn/storage';
import { createTemplateFill } from './template-fill.js';

/** Copies are numbered 1..255 (one byte of the rewritten trace id). */
const MAX_COPIES = 255;

export interface ClickHouseFill {
  /** Spans written through the adapter, and its write rate. */
  baseSpans: number;
  adapterSpansPerSecond: number;
  /** Copies made inside ClickHouse, and their rate. */
  copies: number;
  copiedSpans: number;
  copySpansPerSecond: number;
  /** Trace ids known to be stored (base and copies), for trace-by-id lookups. */
  knownTraceIds: string[];
}

async function clickHouse(url: string, database: string, sql: string): Promise<string> {
  const response = await fetch(`${url}/?database=${database}`, { method: 'POST', body: sql });
  const text = await response.text();
  if (!response.ok) throw new Error(`ClickHouse answered ${response.status}: ${text.slice(0, 500)}`);
  return text;
}

/** The id of base trace `traceId` in copy `copy`: 'f' + the copy as two hex digits + the rest. */
function copiedTraceId(traceId: string, copy: number): string {
  return `f${copy.toString(16).padStart(2, '0')}${traceId.slice(3)}`;
}

/**
 * The SELECT list copying every column of `table` (spans, or the trace_parts list index that the
 * adapter writes next to them), with the copy's trace id, session ids and times.
 */
async function copySelect(url: string, database: string, copy: number, shiftNanos: bigint, table = 'spans'): Promise<string> {
  // DESCRIBE lists the columns in table order (18.16's system.columns has no position).
  const columns = (await clickHouse(url, database, `DESCRIBE TABLE ${table} FORMAT TSV`))
    .trim()
    .split('\n')
    .map((line) => line.split('\t')[0]!);
  const hexCopy = copy.toString(16).padStart(2, '0');
  return columns
    .map((column) => {
      if (column === 'trace_id') return `concat('f${hexCopy}', substring(trace_id, 4)) AS trace_id`;
      if (column === 'start_ns' || column === 'end_ns') return `${column} ${shiftNanos < 0n ? '-' : '+'} ${shiftNanos < 0n ? -shiftNanos : shiftNanos} AS ${column}`;
      if (column === 'session_id') return `concat(session_id, '-c${copy}') AS session_id`;
      if (column === 'sessions') return `arrayMap(s -> concat(s, '-c${copy}'), sessions) AS sessions`;
      return column;
    })
    .join(', ');
}

/**
 * Writes `baseSpans` (rounded up to whole passes) through `store`, then copies them in
 * ClickHouse until at least `totalSpans` are stored. Base trace ids start with '0' (the pass
 * number, query-bench's scheme), copies with 'f', so they never collide.
 */
export async function fillClickHouse(options: { store: TraceStore; url: string; database: string; baseSpans: number; totalSpans: number; spansPerTrace: number }): Promise<ClickHouseFill> {
  // As query-bench.ts fills DuckDB: newest first, the total spread over the week from now back.
  const fill = createTemplateFill(options.spansPerTrace, { newestFirstTotalSpans: options.totalSpans });
  const baseIds: string[] = [];
  let baseSpans = 0;
  let passes = 0;
  const writeStarted = performance.now();
  while (baseSpans < options.baseSpans) {
    const spans = fill.copy(passes++);
    await options.store.write({ spans, events: [] });
    baseSpans += spans.length;
    baseIds.push(spans[0]!.traceId, spans[spans.length - 1]!.traceId);
  }
  const adapterSpansPerSecond = baseSpans / ((performance.now() - writeStarted) / 1000);
  process.stderr.write(`  base: ${baseSpans} spans through the adapter, ${Math.round(adapterSpansPerSecond)} spans/s\n`);

  const copies = Math.min(MAX_COPIES, Math.max(0, Math.ceil(options.totalSpans / baseSpans) - 1));
  const copyStarted = performance.now();
  for (let copy = 1; copy <= copies; copy++) {
    const select = await copySelect(options.url, options.database, copy, BigInt(copy * passes) * fill.passShiftNanos);
    // The filter in a subquery: ClickHouse resolves WHERE names to the SELECT's aliases, and
    // the outer SELECT renames trace_id.
    await clickHouse(options.url, options.database, `INSERT INTO spans SELECT ${select} FROM (SELECT * FROM spans WHERE substring(trace_id, 1, 1) = '0')`);
    // The list index rows of the copies, as the adapter would have written them with the spans.
    const parts = await copySelect(options.url, options.database, copy, BigInt(copy * passes) * fill.passShiftNanos, 'trace_parts');
    await clickHouse(options.url, options.database, `INSERT INTO trace_parts SELECT ${parts} FROM (SELECT * FROM trace_parts WHERE substring(trace_id, 1, 1) = '0')`);
    if (copy % 5 === 0 || copy === copies) process.stderr.write(`  copies: ${copy}/${copies}\n`);
  }
  const copiedSpans = copies * baseSpans;
  const copySpansPerSecond = copies === 0 ? 0 : copiedSpans / ((performance.now() - copyStarted) / 1000);
  const knownTraceIds = [...baseIds];
  for (let copy = 1; copy <= copies; copy++) for (const id of baseIds) knownTraceIds.push(copiedTraceId(id, copy));
  return { baseSpans, adapterSpansPerSecond, copies, copiedSpans, copySpansPerSecond, knownTraceIds };
}

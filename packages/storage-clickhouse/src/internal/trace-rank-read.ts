// Candidates of a cost- or token-sorted trace list in exact sort order, without the full summary
// of every trace in the window (its per-span GROUP BY over millions of spans ran out of
// ClickHouse's memory). The index (trace_parts) has no cost or tokens, so the spans decide:
//
//   1. raw pass, GROUP BY trace_id over the candidates' rows (memory per trace, not per span):
//      the trace's start (min start_ns: every row of a span has its start), the key summed over
//      ROWS, and whether the trace has a span with more than one row (count() != uniqExact
//      (span_id); uniqExact can only undercount, so "no repeat" is never wrong). For a trace
//      without repeats, a row is a span and the row's values are the span's newest: the raw key
//      IS the summary's key. Those traces come back in sort order after the cursor, `batch` of
//      them, and the traces with repeats (retried spans, replacement rows of updateSpanSemantics
//      that merges have not collapsed yet: few) flagged apart.
//   2. the traces with repeats get their exact key the summary's way, deduplicated per span with
//      the newest row's values (latest-row-sql.ts), in sort order after the cursor.
//   3. both lists merged: the first `batch` are the next candidates in exact sort order.
//
// The keys are the summary's expressions over the same values (trace-summary-sql.ts): cost is
// round(sum of model-call costs × 1e12), tokens the sum of model-call input plus output tokens.
// Large windows spill the GROUP BY to disk (max_bytes_before_external_group_by) rather than fail.

import type { TraceQuery } from '@cairn/storage';
import type { CursorPosition } from '@cairn/storage/adapter-kit';
import { text, textList, uint64 } from './sql-literal.js';
import { cursorCondition, cursorKey, traceOrder } from './trace-list-sql.js';

type Row = unknown[];

export interface RankSource {
  query(sql: string): Promise<Row[]>;
  spans: string;
}

export interface RankedTrace {
  id: string;
  /** The exact sort key: bigint for cost (picodollars), number for tokens. */
  key: bigint | number;
}

/** Aggregations above this many bytes go to disk (well under ClickHouse's default 10 GB limit). */
const SPILL_SETTINGS = 'SETTINGS max_bytes_before_external_group_by = 268435456';
const MODEL_CALL = `span_type IN ('llm', 'embedding')`;
/** Literal id lists longer than this become a subquery (max_query_size is 256 KiB by default). */
const MAX_LITERAL_IDS = 1_000;

type RankField = 'cost' | 'tokens';

/** Per-row contributions (raw pass) and per-span newest ones (repeats), and the key over them. */
const KEYS: Record<RankField, { rowColumns: string[]; spanColumns: string[]; key: (columns: string[]) => string }> = {
  cost: {
    rowColumns: [`if(${MODEL_CALL}, ifNull(cost_usd, 0), 0)`],
    spanColumns: [`argMax(if(${MODEL_CALL}, ifNull(cost_usd, 0), 0), rewritten_ns)`],
    key: ([cost]) => `toInt64(round(sum(${cost}) * 1000000000000))`,
  },
  tokens: {
    rowColumns: [`if(${MODEL_CALL}, input_tokens, 0)`, `if(${MODEL_CALL}, output_tokens, 0)`],
    spanColumns: [`argMax(if(${MODEL_CALL}, input_tokens, 0), rewritten_ns)`, `argMax(if(${MODEL_CALL}, output_tokens, 0), rewritten_ns)`],
    key: ([input, output]) => `(sum(${input}) + sum(${output}))`,
  },
};

function isRankField(field: string): field is RankField {
  return field === 'cost' || field === 'tokens';
}

/** ClickHouse orders strings by bytes; so must the merge. */
function compareRanked(a: RankedTrace, b: RankedTrace): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return Buffer.compare(Buffer.from(a.id), Buffer.from(b.id));
}

/**
 * The next `batch` candidate traces of `query` (sorted by cost or tokens) after `after`, in exact
 * sort order; `candidates` is a SELECT trace_id of a superset of the window's matching traces.
 */
export async function rankedCandidates(query: TraceQuery, source: RankSource, candidates: string, after: CursorPosition | null, batch: number): Promise<RankedTrace[]> {
  const field = query.sort.field;
  if (!isRankField(field)) throw new Error(`no rank for sort ${field}`);
  const keys = KEYS[field];
  const direction = query.sort.descending ? 'DESC' : 'ASC';
  const project = text(query.projectId);
  // A trace starting in the window has no span before it: the partitions before the window's
  // day hold only traces the window check rejects (their keys would be partial: never listed).
  const scope = `project_id = ${project} AND start_ns >= ${uint64(query.fromUnixNano)} AND trace_id GLOBAL IN (${candidates})`;
  const window = `r_start >= ${uint64(query.fromUnixNano)} AND r_start < ${uint64(query.toUnixNano)}`;
  const afterCondition = after === null ? '1' : cursorCondition(after, query, 'r_key');
  const raw = await source.query(
    `SELECT trace_id, r_key, r_repeats FROM (
      SELECT trace_id, min(start_ns) AS r_start, count() != uniqExact(span_id) AS r_repeats, ${keys.key(keys.rowColumns)} AS r_key
      FROM ${source.spans} WHERE ${scope}
      GROUP BY trace_id
    ) WHERE ${window} AND (r_repeats OR ${afterCondition})
    ORDER BY r_repeats DESC, r_key ${direction}, trace_id ${direction}
    LIMIT ${batch} BY r_repeats
    ${SPILL_SETTINGS}`,
  );
  const decode = (row: Row): RankedTrace => ({ id: row[0] as string, key: cursorKey(query, row[1]) });
  const ranked = raw.filter((row) => Number(row[2]) === 0).map(decode);
  const repeated = raw.filter((row) => Number(row[2]) !== 0).map((row) => row[0] as string);
  if (repeated.length > 0) {
    // GLOBAL IN takes a subquery only (18.16 fails on a literal list under a Distributed table).
    const repeatedCondition =
      repeated.length < batch && repeated.length <= MAX_LITERAL_IDS
        ? `trace_id IN (${textList(repeated)})`
        : `trace_id GLOBAL IN (SELECT trace_id FROM ${source.spans} WHERE ${scope} GROUP BY trace_id HAVING count() != uniqExact(span_id))`;
    const spanColumns = keys.spanColumns.map((column, index) => `${column} AS r_c${index}`);
    const exact = await source.query(
      `SELECT trace_id, r_key FROM (
        SELECT trace_id, min(s_start) AS r_start, ${keys.key(spanColumns.map((_, index) => `r_c${index}`))} AS r_key FROM (
          SELECT trace_id, span_id, min(start_ns) AS s_start, ${spanColumns.join(', ')}
          FROM ${source.spans} WHERE project_id = ${project} AND ${repeatedCondition}
          GROUP BY trace_id, span_id
        ) GROUP BY trace_id
      ) WHERE ${window} AND ${afterCondition}
      ORDER BY r_key ${direction}, trace_id ${direction}
      LIMIT ${batch}
      ${SPILL_SETTINGS}`,
    );
    ranked.push(...exact.map(decode));
  }
  ranked.sort(query.sort.descending ? (a, b) => compareRanked(b, a) : compareRanked);
  return ranked.slice(0, batch);
}

/** The cursor position after a ranked candidate. */
export function positionOf(query: TraceQuery, trace: RankedTrace): CursorPosition {
  return { order: traceOrder(query), key: trace.key, id: trace.id };
}

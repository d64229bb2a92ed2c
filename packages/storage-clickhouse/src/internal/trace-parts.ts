// trace_parts: a small per-trace index the trace and session lists read instead of every span.
//
//   one row per (trace, UTC day of span start) per written batch (and per replacement batch of
//   updateSpanSemantics): min start, max end, and the distinct values the list filters test
//   (root names, services, span types, models, providers, agents, tools, sessions, users, any error)
//
// Every value is a min, a max or a set union, so a retried span written twice, a second Cairn
// server racing on the same batch, or a replacement row that changed a span's semantics leaves
// the merged row per trace at worst a SUPERSET of the trace's values: the index only ever selects
// candidates and orders them by start or duration (exact: replacement rows never move times).
// Summaries, counts and every filter are then computed exactly from the spans of the candidates
// (trace-list-read.ts). Rows are written BEFORE their spans, so a stored span always has its row
// (a failed span insert leaves an extra row, which selects a trace that then has no spans).
//
// Partitioned like spans, (project_id, day of start_ns) with one row per day of a trace's spans,
// so retention drops the same partitions from both and a kept span never loses its row.
// Plain MergeTree: duplicates are harmless, and ORDER BY (project_id, trace_id) makes "all rows of
// these traces" a primary-key seek. In a cluster: trace_parts_local per shard plus a Distributed
// trace_parts sharded by cityHash64(trace_id), like spans, so a trace's rows sit with its spans.
// With replication, trace_parts_local is a ReplicatedMergeTree like the other tables (table-engine.ts).

import type { SpanRecord } from '@cairn/model';
import type { ClickHouseHttp, Settings } from './clickhouse-http.js';
import { RowBinaryWriter } from './row-binary.js';
import type { ClusterDdl, TableNames } from './schema.js';
import { dayOf, replicationOf } from './schema.js';
import { tableEngine } from './table-engine.js';

export interface TracePartsTables {
  /** Where reads and inserts go (Distributed in a cluster). */
  parts: string;
  /** The MergeTree table on each node. */
  partsLocal: string;
}

export function tracePartsTables(tables: TableNames): TracePartsTables {
  return tables.spansLocal === tables.spans ? { parts: 'trace_parts', partsLocal: 'trace_parts' } : { parts: 'trace_parts', partsLocal: 'trace_parts_local' };
}

const PART_COLUMNS: readonly (readonly [name: string, type: string])[] = [
  ['project_id', 'String'],
  ['trace_id', 'String'],
  ['start_ns', 'UInt64'],
  ['end_ns', 'UInt64'],
  ['root_names', 'Array(String)'],
  ['has_error', 'UInt8'],
  ['services', 'Array(String)'],
  ['types', 'Array(String)'],
  ['models', 'Array(String)'],
  ['providers', 'Array(String)'],
  ['agents', 'Array(String)'],
  ['tools', 'Array(String)'],
  ['sessions', 'Array(String)'],
  ['users', 'Array(String)'],
  ['written_ns', 'UInt64'],
];

export const PART_COLUMN_NAMES: readonly string[] = PART_COLUMNS.map(([name]) => name);

/** DDL of the table (migration 7), with its Distributed table in a cluster. */
export function tracePartsTableSql(tables: TableNames, cluster: ClusterDdl | null): string[] {
  const { parts, partsLocal } = tracePartsTables(tables);
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${partsLocal} (\n  ${PART_COLUMNS.map(([name, type]) => `${name} ${type}`).join(',\n  ')}\n)
    ENGINE = ${tableEngine('MergeTree', partsLocal, replicationOf(cluster))}
    PARTITION BY (project_id, ${dayOf('start_ns')})
    ORDER BY (project_id, trace_id)`,
  ];
  if (cluster !== null) {
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${parts} AS ${partsLocal}
      ENGINE = Distributed(${cluster.name}, ${cluster.database}, ${partsLocal}, cityHash64(trace_id))`,
    );
  }
  return statements;
}

/** Rows for the spans already stored on this node (migration 7; running it twice only adds duplicates). */
export function tracePartsBackfillSql(tables: TableNames): string {
  const { partsLocal } = tracePartsTables(tables);
  const set = (column: string) => `groupUniqArrayIf(assumeNotNull(${column}), isNotNull(${column}))`;
  return `INSERT INTO ${partsLocal} (${PART_COLUMN_NAMES.join(', ')})
    SELECT project_id, trace_id, min(start_ns), max(end_ns), groupUniqArrayIf(name, parent_span_id = ''), max(status_code = 2),
      groupUniqArray(service_name), groupUniqArray(span_type), ${set('model')}, ${set('provider')}, ${set('agent_name')},
      ${set('tool_name')}, ${set('session_id')}, ${set('user_id')}, toUInt64(0)
    FROM ${tables.spansLocal}
    GROUP BY project_id, trace_id, ${dayOf('start_ns')}`;
}

/** What a part row needs of one span (a SpanRecord or a stored row). */
export interface PartSpan {
  projectId: string;
  traceId: string;
  startNs: bigint;
  endNs: bigint;
  isRoot: boolean;
  name: string;
  isError: boolean;
  service: string;
  spanType: string;
  model: string | null;
  provider: string | null;
  agent: string | null;
  tool: string | null;
  session: string | null;
  user: string | null;
}

export function partSpanOfRecord(span: SpanRecord): PartSpan {
  return {
    projectId: span.projectId,
    traceId: span.traceId,
    startNs: span.startTimeUnixNano,
    endNs: span.endTimeUnixNano,
    isRoot: (span.parentSpanId ?? '') === '',
    name: span.name,
    isError: span.status.code === 'error',
    service: span.serviceName,
    spanType: span.spanType,
    model: span.model,
    provider: span.provider,
    agent: span.agentName,
    tool: span.toolName,
    session: span.sessionId,
    user: span.userId,
  };
}

/** From a row of span cells by column name (JSONCompact: 64-bit integers as strings). */
export function partSpanOfCells(cells: Record<string, unknown>): PartSpan {
  const optional = (name: string) => (cells[name] ?? null) as string | null;
  return {
    projectId: cells.project_id as string,
    traceId: cells.trace_id as string,
    startNs: BigInt(cells.start_ns as string),
    endNs: BigInt(cells.end_ns as string),
    isRoot: cells.parent_span_id === '',
    name: cells.name as string,
    isError: Number(cells.status_code) === 2,
    service: cells.service_name as string,
    spanType: cells.span_type as string,
    model: optional('model'),
    provider: optional('provider'),
    agent: optional('agent_name'),
    tool: optional('tool_name'),
    session: optional('session_id'),
    user: optional('user_id'),
  };
}

const NS_PER_DAY = 86_400n * 1_000_000_000n;

interface PartRow {
  projectId: string;
  traceId: string;
  start: bigint;
  end: bigint;
  error: boolean;
  sets: Set<string>[];
}

const SET_COUNT = 9;

/** Inserts the part rows of `spans` (one per project, trace and day); resolves once stored. */
export async function writeTraceParts(entry: ClickHouseHttp, table: string, spans: readonly PartSpan[], settings: Settings): Promise<void> {
  if (spans.length === 0) return;
  const rows = new Map<string, PartRow>();
  for (const span of spans) {
    const key = `${span.projectId}\u0000${span.traceId}\u0000${span.startNs / NS_PER_DAY}`;
    let row = rows.get(key);
    if (!row) {
      row = { projectId: span.projectId, traceId: span.traceId, start: span.startNs, end: span.endNs, error: false, sets: Array.from({ length: SET_COUNT }, () => new Set<string>()) };
      rows.set(key, row);
    }
    if (span.startNs < row.start) row.start = span.startNs;
    if (span.endNs > row.end) row.end = span.endNs;
    row.error ||= span.isError;
    const values = [span.isRoot ? span.name : null, span.service, span.spanType, span.model, span.provider, span.agent, span.tool, span.session, span.user];
    // root_names, then services … users (has_error sits between them in the column order).
    values.forEach((value, index) => {
      if (value !== null) row.sets[index]!.add(value);
    });
  }
  const writtenNs = BigInt(Date.now()) * 1_000_000n;
  const out = new RowBinaryWriter(Math.max(1 << 14, rows.size * 512));
  for (const row of rows.values()) {
    out.string(row.projectId);
    out.string(row.traceId);
    out.uint64(row.start);
    out.uint64(row.end);
    out.stringArray([...row.sets[0]!]);
    out.uint8(row.error ? 1 : 0);
    for (let index = 1; index < 9; index++) out.stringArray([...row.sets[index]!]);
    out.uint64(writtenNs);
  }
  await entry.insertRowBinary(table, PART_COLUMN_NAMES, out.bytes(), settings);
}

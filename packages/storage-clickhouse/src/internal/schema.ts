// DDL of the ClickHouse store. Baseline types and engines run on 18.16; migrations.ts layers the
// newer features on top when the server has them.
//
//   spans            one row per span (SPAN_COLUMNS), ReplacingMergeTree(received_ns)
//                    ORDER BY (project_id, trace_id, span_id): a retried span has the same key, so
//                    background merges collapse repeats and reads dedupe by GROUP BY on that key
//                    until they have (see trace-summary-sql.ts). Trace-by-id is a primary-key seek.
//                    PARTITION BY (project_id, day of start): per-project retention drops whole
//                    partitions on every version; the partition minmax index on start_ns prunes
//                    time windows.
//   detached_events  events that arrived apart from their span, keyed like their span.
//   trace_analyses   persisted analysis per trace (findings), ReplacingMergeTree(analyzed_ns)
//                    ORDER BY (project_id, trace_id); reads take argMax by analyzed_ns.
//   retention_policies  unused since retention became TraceStore.applyRetention (the policy comes
//                    with each call, clickhouse-retention.ts); kept because migration 1 creates it.
//   schema_migrations   versions applied to this node.
//
// In a cluster each of these is a *_local table on every shard, plus a Distributed table of the
// plain name on every node, sharded by cityHash64(trace_id): all spans of a trace, and all
// retries of a span, land on one shard, so per-shard dedupe is global dedupe. With replication
// (ClusterDdl.replication) every *_local table is its Replicated* form (table-engine.ts), created
// on every replica of every shard.

import { SPAN_COLUMNS } from './span-row.js';
import type { TableReplication } from './table-engine.js';
import { tableEngine } from './table-engine.js';

/** The cluster the DDL is for: Distributed tables over it, and replicated local tables when set. */
export interface ClusterDdl {
  name: string;
  database: string;
  replication?: TableReplication | null;
}

/** The replication of a cluster's local tables (null: plain MergeTree tables). */
export function replicationOf(cluster: ClusterDdl | null): TableReplication | null {
  return cluster?.replication ?? null;
}

export interface TableNames {
  /** Table reads and inserts go to (Distributed in a cluster). */
  spans: string;
  events: string;
  analyses: string;
  /** MergeTree tables holding the data on each node. */
  spansLocal: string;
  eventsLocal: string;
  analysesLocal: string;
}

export function tableNames(clustered: boolean): TableNames {
  return clustered
    ? {
        spans: 'spans',
        events: 'detached_events',
        analyses: 'trace_analyses',
        spansLocal: 'spans_local',
        eventsLocal: 'detached_events_local',
        analysesLocal: 'trace_analyses_local',
      }
    : { spans: 'spans', events: 'detached_events', analyses: 'trace_analyses', spansLocal: 'spans', eventsLocal: 'detached_events', analysesLocal: 'trace_analyses' };
}

export const RETENTION_TABLE = 'retention_policies';
export const MIGRATIONS_TABLE = 'schema_migrations';

/** Day (UTC, as YYYYMMDD) of a nanosecond column; the partition expression's second half. */
export function dayOf(nanosColumn: string): string {
  return `toYYYYMMDD(toDateTime(intDiv(${nanosColumn}, 1000000000), 'UTC'))`;
}

export const EVENT_COLUMNS: readonly (readonly [name: string, type: string])[] = [
  ['project_id', 'String'],
  ['trace_id', 'String'],
  ['span_id', 'String'],
  ['time_ns', 'UInt64'],
  ['name', 'String'],
  // The event as stored JSON (nested-json.ts encodeEvent).
  ['event', 'String'],
  ['received_ns', 'UInt64'],
];

function columnList(columns: readonly (readonly [string, string])[]): string {
  return columns.map(([name, type]) => `${name} ${type}`).join(',\n  ');
}

export function migrationsTableSql(): string {
  // Never replicated: it records what DDL ran on this node, and CREATE TABLE runs per replica.
  return `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version UInt32, name String, applied_ns UInt64)
    ENGINE = ${tableEngine('ReplacingMergeTree', MIGRATIONS_TABLE, null, 'applied_ns')} ORDER BY version`;
}

/** Baseline (18.16-compatible) DDL for one node. */
export function baselineSql(tables: TableNames, cluster: ClusterDdl | null): string[] {
  const replication = replicationOf(cluster);
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${tables.spansLocal} (\n  ${columnList(SPAN_COLUMNS)}\n)
    ENGINE = ${tableEngine('ReplacingMergeTree', tables.spansLocal, replication, 'received_ns')}
    PARTITION BY (project_id, ${dayOf('start_ns')})
    ORDER BY (project_id, trace_id, span_id)`,
    `CREATE TABLE IF NOT EXISTS ${tables.eventsLocal} (\n  ${columnList(EVENT_COLUMNS)}\n)
    ENGINE = ${tableEngine('ReplacingMergeTree', tables.eventsLocal, replication, 'received_ns')}
    PARTITION BY (project_id, ${dayOf('time_ns')})
    ORDER BY (project_id, trace_id, span_id, time_ns, name)`,
    `CREATE TABLE IF NOT EXISTS ${RETENTION_TABLE} (project_id String, max_age_days UInt32, updated_ns UInt64)
    ENGINE = ${tableEngine('ReplacingMergeTree', RETENTION_TABLE, replication, 'updated_ns')} ORDER BY project_id`,
  ];
  if (cluster !== null) {
    for (const [table, local] of [
      [tables.spans, tables.spansLocal],
      [tables.events, tables.eventsLocal],
    ] as const) {
      statements.push(
        `CREATE TABLE IF NOT EXISTS ${table} AS ${local}
        ENGINE = Distributed(${cluster.name}, ${cluster.database}, ${local}, cityHash64(trace_id))`,
      );
    }
  }
  return statements;
}

/** The trace_analyses table (migration 5), with its Distributed table in a cluster. */
export function analysesTableSql(tables: TableNames, cluster: ClusterDdl | null): string[] {
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${tables.analysesLocal} (
      project_id String, trace_id String, trace_start_ns UInt64, analysis_version UInt32,
      received_through_ns UInt64, analyzed_ns UInt64, kinds Array(String), findings String
    )
    ENGINE = ${tableEngine('ReplacingMergeTree', tables.analysesLocal, replicationOf(cluster), 'analyzed_ns')}
    ORDER BY (project_id, trace_id)`,
  ];
  if (cluster !== null) {
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${tables.analyses} AS ${tables.analysesLocal}
      ENGINE = Distributed(${cluster.name}, ${cluster.database}, ${tables.analysesLocal}, cityHash64(trace_id))`,
    );
  }
  return statements;
}

/** Span columns added after the baseline (migration 6), in SPAN_COLUMNS order. */
export const SPAN_SEMANTICS_COLUMNS: readonly string[] = ['semantics', 'normalizer_version', 'rewritten_ns'];

/** Columns that repeat few distinct values: LowCardinality on servers that have it. */
export const LOW_CARDINALITY_COLUMNS: readonly string[] = ['service_name', 'span_type', 'scope_name', 'model', 'request_model', 'provider', 'operation', 'agent_name', 'tool_name'];

/** Big text columns worth ZSTD, and the nanosecond columns worth Delta first. */
export const ZSTD_COLUMNS: readonly string[] = ['attributes', 'attributes_full', 'events', 'input', 'output', 'resource_attributes'];
export const DELTA_COLUMNS: readonly string[] = ['start_ns', 'end_ns', 'received_ns'];

export function columnType(name: string): string {
  const found = SPAN_COLUMNS.find(([column]) => column === name);
  if (!found) throw new Error(`no span column ${name}`);
  return found[1];
}

export function lowCardinalityType(name: string): string {
  const type = columnType(name);
  return `LowCardinality(${type})`;
}

/** Skip indexes added on servers that have them (names are stable so re-runs can check). */
export const SKIP_INDEXES: readonly { name: string; definition: string }[] = [
  // start_ns is not in the sorting key; a minmax per granule lets time windows skip granules
  // inside a day partition.
  { name: 'idx_start_ns', definition: 'start_ns TYPE minmax GRANULARITY 1' },
];

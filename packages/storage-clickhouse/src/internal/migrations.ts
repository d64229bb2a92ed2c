// Versioned migrations, applied per node and recorded in its schema_migrations table.
// A gated migration (a feature the server lacks) is not recorded, so it runs after the server is
// upgraded. Every step is idempotent (IF NOT EXISTS, MODIFY to the same type, index presence
// checked first), so several Cairn servers starting at once against one cluster are safe.

import type { ClickHouseHttp } from './clickhouse-http.js';
import type { ClusterDdl, TableNames } from './schema.js';
import {
  analysesTableSql,
  baselineSql,
  columnType,
  DELTA_COLUMNS,
  LOW_CARDINALITY_COLUMNS,
  lowCardinalityType,
  MIGRATIONS_TABLE,
  migrationsTableSql,
  SKIP_INDEXES,
  SPAN_SEMANTICS_COLUMNS,
  ZSTD_COLUMNS,
} from './schema.js';
import type { ServerFeatures } from './server-features.js';
import { text } from './sql-literal.js';
import { tracePartsBackfillSql, tracePartsTableSql } from './trace-parts.js';

export interface MigrationContext {
  node: ClickHouseHttp;
  database: string;
  tables: TableNames;
  cluster: ClusterDdl | null;
  features: ServerFeatures;
}

export interface Migration {
  version: number;
  name: string;
  /** False when the server lacks what the migration needs (it is retried on a later start). */
  applies(features: ServerFeatures): boolean;
  /** The statements, worked out against the node's current schema. */
  statements(context: MigrationContext): Promise<string[]>;
}

async function columnTypes(context: MigrationContext, table: string): Promise<Map<string, string>> {
  const rows = await context.node.query(
    `SELECT name, type FROM system.columns WHERE database = ${text(context.database)} AND table = ${text(table)}`,
  );
  return new Map(rows.map((row) => [row[0] as string, row[1] as string]));
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'baseline tables (ClickHouse 18.16 and later)',
    applies: () => true,
    statements: (context) => Promise.resolve(baselineSql(context.tables, context.cluster)),
  },
  {
    version: 2,
    name: 'LowCardinality for repetitive text columns',
    applies: (features) => features.lowCardinality,
    async statements(context) {
      const statements: string[] = [];
      const targets = context.cluster ? [context.tables.spansLocal, context.tables.spans] : [context.tables.spansLocal];
      for (const table of targets) {
        const types = await columnTypes(context, table);
        for (const column of LOW_CARDINALITY_COLUMNS) {
          const wanted = lowCardinalityType(column);
          if (types.get(column) !== wanted) statements.push(`ALTER TABLE ${table} MODIFY COLUMN ${column} ${wanted}`);
        }
      }
      return statements;
    },
  },
  {
    version: 3,
    name: 'ZSTD and Delta codecs',
    applies: (features) => features.codecs,
    statements: (context) =>
      Promise.resolve([
        ...ZSTD_COLUMNS.map((column) => `ALTER TABLE ${context.tables.spansLocal} MODIFY COLUMN ${column} ${columnType(column)} CODEC(ZSTD(1))`),
        ...DELTA_COLUMNS.map((column) => `ALTER TABLE ${context.tables.spansLocal} MODIFY COLUMN ${column} ${columnType(column)} CODEC(Delta, LZ4)`),
      ]),
  },
  {
    version: 4,
    name: 'data-skipping indexes',
    applies: (features) => features.skipIndexes,
    async statements(context) {
      const [row] = await context.node.query(`SHOW CREATE TABLE ${context.tables.spansLocal}`);
      const ddl = String(row?.[0] ?? '');
      return SKIP_INDEXES.filter((index) => !ddl.includes(`INDEX ${index.name} `)).map(
        (index) => `ALTER TABLE ${context.tables.spansLocal} ADD INDEX ${index.name} ${index.definition}`,
      );
    },
  },
  {
    version: 5,
    name: 'persisted trace analyses (findings)',
    applies: () => true,
    statements: (context) => Promise.resolve(analysesTableSql(context.tables, context.cluster)),
  },
  {
    version: 6,
    name: 'optional semantic fields, normalizer version and replacement rows of spans',
    applies: () => true,
    async statements(context) {
      // ADD COLUMN IF NOT EXISTS is newer than 18.16: add what system.columns lacks.
      const statements: string[] = [];
      const targets = context.cluster ? [context.tables.spansLocal, context.tables.spans] : [context.tables.spansLocal];
      for (const table of targets) {
        const types = await columnTypes(context, table);
        for (const column of SPAN_SEMANTICS_COLUMNS) {
          if (!types.has(column)) statements.push(`ALTER TABLE ${table} ADD COLUMN ${column} ${columnType(column)}`);
        }
      }
      return statements;
    },
  },
  {
    version: 7,
    name: 'trace_parts: per-trace index of the trace and session lists, filled from the stored spans',
    applies: () => true,
    // Created, then filled from what the node holds: spans written from now on add their own rows.
    statements: (context) => Promise.resolve([...tracePartsTableSql(context.tables, context.cluster), tracePartsBackfillSql(context.tables)]),
  },
];

export interface MigrationOutcome {
  /** Versions recorded on the node after the run. */
  applied: number[];
  /** Gated migrations this server cannot run yet. */
  pending: number[];
}

/** Brings one node's schema up to date. */
export async function migrateNode(context: MigrationContext): Promise<MigrationOutcome> {
  const { node } = context;
  await node.exec(migrationsTableSql());
  const rows = await node.query(`SELECT DISTINCT version FROM ${MIGRATIONS_TABLE}`);
  const applied = new Set(rows.map((row) => Number(row[0])));
  const known = new Set(MIGRATIONS.map((migration) => migration.version));
  const unknown = [...applied].filter((version) => !known.has(version));
  if (unknown.length > 0) {
    throw new Error(
      `database ${context.database} on ${node.url} has schema migrations ${unknown.join(', ')} from a newer Cairn; upgrade this Cairn or use another --clickhouse-database`,
    );
  }
  const pending: number[] = [];
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    if (!migration.applies(context.features)) {
      pending.push(migration.version);
      continue;
    }
    for (const statement of await migration.statements(context)) await node.exec(statement);
    await node.exec(
      `INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_ns) VALUES (${migration.version}, ${text(migration.name)}, ${BigInt(Date.now()) * 1_000_000n})`,
    );
    applied.add(migration.version);
  }
  return { applied: [...applied].sort((a, b) => a - b), pending };
}

// Opens the ClickHouse store: checks every node is reachable, detects the server version, creates
// the database and brings the schema up to date with versioned migrations.

import { StoreError } from '@cairn/storage';
import { ClickHouseError } from './clickhouse-error.js';
import type { ClickHouseStoreOptions } from './clickhouse-store-options.js';
import { resolveClickHouseStoreOptions } from './clickhouse-store-options.js';
import { ClickHouseHttp } from './internal/clickhouse-http.js';
import { ClickHouseTraceStore } from './internal/clickhouse-trace-store.js';
import { migrateNode } from './internal/migrations.js';
import { tableNames } from './internal/schema.js';
import { liveSpansTableSql } from './internal/live-spans-sql.js';
import type { ServerFeatures } from './internal/server-features.js';
import { featuresOf } from './internal/server-features.js';
import { identifier } from './internal/sql-literal.js';
import { SpanWriter } from './internal/span-writer.js';

/** The features every node has (a cluster mid-upgrade uses what its oldest node supports). */
function commonFeatures(all: ServerFeatures[]): ServerFeatures {
  const oldest = all.reduce((a, b) => (a.version.localeCompare(b.version, 'en', { numeric: true }) <= 0 ? a : b));
  return {
    version: oldest.version,
    lowCardinality: all.every((features) => features.lowCardinality),
    codecs: all.every((features) => features.codecs),
    skipIndexes: all.every((features) => features.skipIndexes),
    ttl: all.every((features) => features.ttl),
  };
}

/**
 * Opens the store. Throws StoreError('store_unavailable') when a node cannot be reached, and
 * StoreError('store_failed') when the schema cannot be brought up to date.
 */
export async function openClickHouseStore(options: ClickHouseStoreOptions): Promise<ClickHouseTraceStore> {
  const resolved = resolveClickHouseStoreOptions(options);
  const database = identifier(resolved.database);
  const cluster = resolved.cluster ? { name: identifier(resolved.cluster.name), database } : null;
  const connect = (url: string, withDatabase: boolean) =>
    new ClickHouseHttp(url, {
      database: withDatabase ? database : null,
      requestTimeoutMillis: resolved.requestTimeoutMillis,
      maxSockets: resolved.maxSockets,
    });
  const entry = connect(resolved.url, true);
  const nodes = resolved.cluster ? resolved.cluster.shardUrls.map((url) => connect(url, true)) : [entry];
  if (nodes.length === 0) throw new StoreError('store_failed', 'cluster.shardUrls is empty: list the HTTP URL of every shard');
  const closeAll = () => new Set([entry, ...nodes]).forEach((node) => node.close());
  try {
    const tables = tableNames(cluster !== null);
    const features: ServerFeatures[] = [];
    for (const node of nodes) {
      const bootstrap = connect(node.url, false);
      try {
        const [row] = await bootstrap.query('SELECT version()');
        features.push(featuresOf(String(row?.[0] ?? '0')));
        await bootstrap.exec(`CREATE DATABASE IF NOT EXISTS ${database}`);
      } finally {
        bootstrap.close();
      }
    }
    const common = commonFeatures(features);
    for (const node of nodes) {
      await migrateNode({ node, database, tables, cluster, features: common }).catch((error: unknown) => {
        if (error instanceof StoreError) throw error;
        throw new ClickHouseError('store_failed', `schema migration on ${node.url} failed: ${(error as Error).message}`, null, { cause: error });
      });
    }
    for (const node of nodes) for (const statement of liveSpansTableSql(tables, cluster)) await node.exec(statement);
    const where = cluster ? `cluster ${cluster.name} (${nodes.length} shards)` : resolved.url;
    return new ClickHouseTraceStore({
      description: `clickhouse ${common.version} ${where} database ${database}`,
      database,
      entry,
      nodes,
      features: common,
      tables,
      writer: new SpanWriter({
        entry,
        spansTable: tables.spans,
        eventsTable: tables.events,
        clustered: cluster !== null,
        largeAttributeChars: resolved.largeAttributeChars,
      }),
    });
  } catch (error) {
    closeAll();
    throw error;
  }
}

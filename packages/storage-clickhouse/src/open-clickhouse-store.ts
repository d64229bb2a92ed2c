// Opens the ClickHouse store: checks every node is reachable, detects the server version, creates
// the database and brings the schema up to date with versioned migrations.

import { StoreError } from '@cairn/storage';
import { ClickHouseError } from './clickhouse-error.js';
import type { ClickHouseStoreOptions } from './clickhouse-store-options.js';
import { resolveClickHouseStoreOptions } from './clickhouse-store-options.js';
import { ClickHouseHttp } from './internal/clickhouse-http.js';
import { ClickHouseTraceStore } from './internal/clickhouse-trace-store.js';
import { clusterReplicas, entryWithSiblings } from './internal/cluster-replicas.js';
import { REPLICATED_ENTRY_SETTINGS, ReplicaFailoverHttp } from './internal/replica-failover.js';
import { migrateNode } from './internal/migrations.js';
import { tableNames } from './internal/schema.js';
import { liveSpansTableSql } from './internal/live-spans-sql.js';
import type { ServerFeatures } from './internal/server-features.js';
import { featuresOf } from './internal/server-features.js';
import { identifier } from './internal/sql-literal.js';
import { SpanWriter } from './internal/span-writer.js';
import { tracePartsTables } from './internal/trace-parts.js';

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
  const replicas = resolved.cluster ? clusterReplicas(resolved.cluster) : null;
  const cluster = resolved.cluster ? { name: identifier(resolved.cluster.name), database, replication: replicas!.replication } : null;
  const connect = (url: string, withDatabase: boolean) =>
    new ClickHouseHttp(url, {
      database: withDatabase ? database : null,
      requestTimeoutMillis: resolved.requestTimeoutMillis,
      maxSockets: resolved.maxSockets,
    });
  const replicated = replicas?.replication != null;
  const entryOptions = { database, requestTimeoutMillis: resolved.requestTimeoutMillis, maxSockets: resolved.maxSockets, settings: REPLICATED_ENTRY_SETTINGS };
  const entryUrls = replicated ? entryWithSiblings(resolved.url, replicas!.shards) : [resolved.url];
  const entry = !replicated
    ? connect(resolved.url, true)
    : entryUrls.length === 1
      ? new ClickHouseHttp(resolved.url, entryOptions)
      : new ReplicaFailoverHttp(entryUrls.map((url) => new ClickHouseHttp(url, entryOptions)), entryOptions);
  // Every node gets the schema (CREATE TABLE is per replica); `nodes`, one per shard (the first
  // reachable replica), do the per-shard work later (retention, whose drops and mutations
  // replicate; disk usage).
  const replicaNodes = replicas ? replicas.shards.map((urls) => urls.map((url) => connect(url, true))) : [[entry]];
  const schemaNodes = replicaNodes.flat();
  const nodes = replicaNodes.map((shard) => (shard.length === 1 ? shard[0]! : new ReplicaFailoverHttp(shard, shard[0]!.options)));
  const closeAll = () => new Set([entry, ...schemaNodes, ...nodes]).forEach((node) => node.close());
  try {
    const tables = tableNames(cluster !== null);
    const features: ServerFeatures[] = [];
    for (const node of schemaNodes) {
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
    for (const node of schemaNodes) {
      await migrateNode({ node, database, tables, cluster, features: common }).catch((error: unknown) => {
        if (error instanceof StoreError) throw error;
        throw new ClickHouseError('store_failed', `schema migration on ${node.url} failed: ${(error as Error).message}`, null, { cause: error });
      });
    }
    for (const node of schemaNodes) for (const statement of liveSpansTableSql(tables, cluster)) await node.exec(statement);
    const copies = replicated ? `, ${schemaNodes.length} replicas, replicated` : '';
    const where = cluster ? `cluster ${cluster.name} (${nodes.length} shards${copies})` : resolved.url;
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
        partsTable: tracePartsTables(tables).parts,
        clustered: cluster !== null,
        largeAttributeChars: resolved.largeAttributeChars,
      }),
    });
  } catch (error) {
    closeAll();
    throw error;
  }
}

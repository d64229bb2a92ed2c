// The replicas of each shard, as the store options give them: one URL per shard (one copy of the
// data), or every replica's URL when the tables are replicated.

import { StoreError } from '@cairn/storage';
import type { ClickHouseClusterOptions } from '../clickhouse-store-options.js';
import type { TableReplication } from './table-engine.js';
import { zooKeeperPathProblem } from './table-engine.js';

export interface ClusterReplicas {
  /** Per shard, the HTTP URLs of its replicas (the first one does the per-shard work). */
  shards: string[][];
  /** Replicated* tables, or null for plain MergeTree tables. */
  replication: TableReplication | null;
}

/** Throws StoreError('store_failed') on a shard without URLs or an unusable ZooKeeper path. */
export function clusterReplicas(cluster: ClickHouseClusterOptions): ClusterReplicas {
  const shards = cluster.shardUrls.map((urls) => (typeof urls === 'string' ? [urls] : [...urls]));
  if (shards.length === 0 || shards.some((urls) => urls.length === 0)) {
    throw new StoreError('store_failed', 'cluster.shardUrls must list the HTTP URL of every shard (or of every replica of each shard)');
  }
  if (cluster.zooKeeperPath === undefined) {
    // Without replication a second URL for a shard would be a second, diverging copy.
    if (shards.some((urls) => urls.length > 1)) {
      throw new StoreError('store_failed', 'several replicas of a shard need replicated tables: set cluster.zooKeeperPath (--clickhouse-zookeeper-path)');
    }
    return { shards, replication: null };
  }
  const problem = zooKeeperPathProblem(cluster.zooKeeperPath);
  if (problem !== null) throw new StoreError('store_failed', `cluster.zooKeeperPath ${JSON.stringify(cluster.zooKeeperPath)} ${problem}`);
  return { shards, replication: { zooKeeperPath: cluster.zooKeeperPath } };
}

/**
 * The entry URL first, then the other replicas of its shard when it is one of the listed
 * replicas: a Cairn server whose entry node is down carries on through a sibling replica.
 */
export function entryWithSiblings(entryUrl: string, shards: readonly (readonly string[])[]): string[] {
  const origin = (url: string) => {
    try {
      return new URL(url).origin;
    } catch {
      return url;
    }
  };
  const shard = shards.find((urls) => urls.some((url) => origin(url) === origin(entryUrl)));
  return [entryUrl, ...(shard ?? []).filter((url) => origin(url) !== origin(entryUrl))];
}

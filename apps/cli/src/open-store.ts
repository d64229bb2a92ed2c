// Opens the store the configuration names; shared by `serve` and `doctor`.

import path from 'node:path';
import type { TraceStore } from '@cairn/storage';
import { openClickHouseStore } from '@cairn/storage-clickhouse';
import { openDuckDbStore } from '@cairn/storage-duckdb';
import type { ServeConfig } from './config.js';

/** Where the configured store lives, for messages. */
export function describeStoreLocation(config: ServeConfig): string {
  return config.store === 'clickhouse' ? `ClickHouse at ${config.clickhouseUrl}` : `the store in ${path.resolve(config.dataDir)}`;
}

export function openConfiguredStore(config: ServeConfig): Promise<TraceStore> {
  if (config.store === 'duckdb') {
    return openDuckDbStore({
      dataDir: path.resolve(config.dataDir),
      ...(config.duckdbThreads === undefined ? {} : { threads: config.duckdbThreads }),
      ...(config.duckdbCheckpointMb === undefined ? {} : { checkpointThreshold: `${config.duckdbCheckpointMb}MB` }),
      ...(config.duckdbMemoryMb === undefined ? {} : { memoryLimit: `${config.duckdbMemoryMb}MB` }),
    });
  }
  // The scale-out store: stateless servers sharing one ClickHouse (single node or sharded cluster).
  return openClickHouseStore({
    url: config.clickhouseUrl!,
    database: config.clickhouseDatabase,
    cluster:
      config.clickhouseCluster !== undefined && config.clickhouseShards !== undefined
        ? {
            name: config.clickhouseCluster,
            shardUrls: config.clickhouseShards.map((shard) => shard.split('|')),
            zooKeeperPath: config.clickhouseZookeeperPath,
          }
        : undefined,
  });
}

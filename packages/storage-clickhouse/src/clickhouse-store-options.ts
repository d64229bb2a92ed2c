// Options of the ClickHouse store, with their defaults resolved once.

export interface ClickHouseClusterOptions {
  /** Cluster name as defined in the servers' <remote_servers> config. */
  name: string;
  /**
   * Every shard: its HTTP URL, or the HTTP URLs of all its replicas. The store creates the
   * *_local tables and the Distributed tables on each URL (no ON CLUSTER DDL, which needs
   * ZooKeeper-coordinated distributed DDL), so with replication list every replica.
   */
  shardUrls: (string | readonly string[])[];
  /**
   * Replicated tables: the ZooKeeper path prefix of every table, holding the servers' {shard}
   * macro, e.g. /clickhouse/tables/{shard}/cairn (the table name is appended; replicas name
   * themselves with the {replica} macro). The servers need <zookeeper>, <macros> and
   * <internal_replication>true</internal_replication> in <remote_servers>. Unset: plain
   * ReplacingMergeTree tables, one copy per shard.
   */
  zooKeeperPath?: string;
}

export interface ClickHouseStoreOptions {
  /** HTTP URL of the server (or of any node / load balancer of the cluster), e.g. http://127.0.0.1:8123. */
  url: string;
  /** Database; created when missing. Default 'cairn'. */
  database?: string;
  /** Sharded cluster: reads and writes go through Distributed tables sharded by trace id. */
  cluster?: ClickHouseClusterOptions;
  /** Time limit of one query. Default 30 000 ms. */
  requestTimeoutMillis?: number;
  /** Keep-alive sockets per ClickHouse node. Default 8. */
  maxSockets?: number;
  /**
   * Attribute values whose stored JSON is longer than this many characters are left out of the
   * column getTrace reads (served by getSpan only). Default 1024.
   */
  largeAttributeChars?: number;
}

export interface ResolvedClickHouseStoreOptions {
  url: string;
  database: string;
  cluster: ClickHouseClusterOptions | null;
  requestTimeoutMillis: number;
  maxSockets: number;
  largeAttributeChars: number;
}

export function resolveClickHouseStoreOptions(options: ClickHouseStoreOptions): ResolvedClickHouseStoreOptions {
  return {
    url: options.url,
    database: options.database ?? 'cairn',
    cluster: options.cluster ?? null,
    requestTimeoutMillis: options.requestTimeoutMillis ?? 30_000,
    maxSockets: options.maxSockets ?? 8,
    largeAttributeChars: options.largeAttributeChars ?? 1024,
  };
}

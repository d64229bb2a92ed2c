// Options of the ClickHouse store, with their defaults resolved once.

export interface ClickHouseClusterOptions {
  /** Cluster name as defined in the servers' <remote_servers> config. */
  name: string;
  /**
   * HTTP URL of every shard (one replica each is enough to create the tables): the store creates
   * the *_local tables and the Distributed tables on each, since ClickHouse without ZooKeeper
   * cannot run ON CLUSTER DDL.
   */
  shardUrls: string[];
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

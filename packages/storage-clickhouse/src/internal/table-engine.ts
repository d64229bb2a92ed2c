// The ENGINE clause of every MergeTree-family table the store creates, in one place, so a
// replicated cluster gets the Replicated* form of every table and nothing is left out.
//
// Replicated tables coordinate through ZooKeeper: each shard's replicas share one ZooKeeper path
// per table (the prefix holds the servers' {shard} macro, the table name is appended) and name
// themselves with the {replica} macro, so the same DDL runs unchanged on every replica of every
// shard. CREATE TABLE itself is not replicated (no ON CLUSTER: it needs distributed DDL), so the
// store runs it on every replica URL it is given; inserts, merges, ALTER … DROP PARTITION and
// mutations are then replicated by ClickHouse.

export type MergeTreeFamily = 'MergeTree' | 'ReplacingMergeTree';

export interface TableReplication {
  /** ZooKeeper path prefix, e.g. /clickhouse/tables/{shard}/cairn; the table name is appended. */
  zooKeeperPath: string;
}

/**
 * `ReplacingMergeTree(received_ns)`, or with replication
 * `ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/cairn/spans_local', '{replica}', received_ns)`.
 * `params` are the engine's own parameters (the version column of a ReplacingMergeTree).
 */
export function tableEngine(family: MergeTreeFamily, table: string, replication: TableReplication | null, ...params: string[]): string {
  if (replication === null) return `${family}(${params.join(', ')})`;
  const zooKeeperPath = `${replication.zooKeeperPath.replace(/\/+$/, '')}/${table}`;
  return `Replicated${family}(${[quote(zooKeeperPath), quote('{replica}'), ...params].join(', ')})`;
}

/** Checks a ZooKeeper path prefix; returns a reason when it cannot work, else null. */
export function zooKeeperPathProblem(zooKeeperPath: string): string | null {
  if (!zooKeeperPath.startsWith('/')) return 'must be an absolute ZooKeeper path such as /clickhouse/tables/{shard}/cairn';
  // Without {shard}, the replicas of every shard would share one table and mix their rows.
  if (!zooKeeperPath.includes('{shard}')) return 'must contain the {shard} macro, e.g. /clickhouse/tables/{shard}/cairn';
  if (/['\\]/.test(zooKeeperPath)) return 'must not contain quotes or backslashes';
  return null;
}

function quote(value: string): string {
  return `'${value}'`;
}

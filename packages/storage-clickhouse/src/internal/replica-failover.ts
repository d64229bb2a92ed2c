// One shard's replicas as one node: a request goes to the first replica that is reachable. Used
// for the entry node (a Cairn server whose entry replica is down carries on through a sibling)
// and for the per-shard work outside the Distributed tables (retention's partition drops and
// mutations, disk usage), which runs on one replica of each shard — replicated tables copy drops
// and mutations to the others — and must not fail while the shard still has a live replica.

import { ClickHouseError } from '../clickhouse-error.js';
import type { ClickHouseHttpOptions, Settings } from './clickhouse-http.js';
import { ClickHouseHttp } from './clickhouse-http.js';

/** Settings of Distributed reads and writes when the shards are replicated. */
export const REPLICATED_ENTRY_SETTINGS: Settings = {
  // Reads and writes pick the same replica of a remote shard — the first healthy one in
  // <remote_servers> order — on every Cairn server, so a trace read right after its write is read
  // from the replica that took the write, not from one still fetching it. (The entry node's own
  // shard is always written locally on 18.16, whatever prefer_localhost_replica says; reads stay
  // local too, which is why entries should be first replicas: docs/deploy.md.)
  load_balancing: 'in_order',
  // A replica back from an outage is skipped while it is more than 5 s behind on inserts.
  max_replica_delay_for_distributed_queries: 5,
};

export class ReplicaFailoverHttp extends ClickHouseHttp {
  constructor(
    private readonly replicas: readonly ClickHouseHttp[],
    options: ClickHouseHttpOptions,
  ) {
    super(replicas[0]!.url, options);
  }

  override query(sql: string, settings: Settings = {}): Promise<unknown[][]> {
    return this.onFirstReachable((replica) => replica.query(sql, settings));
  }

  override exec(sql: string, settings: Settings = {}): Promise<void> {
    return this.onFirstReachable((replica) => replica.exec(sql, settings));
  }

  override insertRowBinary(table: string, columns: readonly string[], rows: Buffer, settings: Settings = {}): Promise<void> {
    return this.onFirstReachable((replica) => replica.insertRowBinary(table, columns, rows, settings));
  }

  override close(): void {
    super.close();
    for (const replica of this.replicas) replica.close();
  }

  private async onFirstReachable<T>(run: (replica: ClickHouseHttp) => Promise<T>): Promise<T> {
    let unreachable: unknown = null;
    for (const replica of this.replicas) {
      try {
        return await run(replica);
      } catch (error) {
        // Only a replica that cannot be reached is skipped; an answer from ClickHouse is final.
        if (!(error instanceof ClickHouseError && error.code === 'store_unavailable' && error.serverCode === null)) throw error;
        unreachable = error;
      }
    }
    throw unreachable;
  }
}

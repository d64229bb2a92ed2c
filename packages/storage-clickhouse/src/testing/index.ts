// Test helpers: a throwaway clickhouse-server process per test file.
export type { ClickHouseServerOptions, ClickHouseServerProcess, ClickHouseShardAddress } from './clickhouse-server-process.js';
export { clickHouseSkipReason, findClickHouseServer, freePort, startClickHouseServer } from './clickhouse-server-process.js';
export type { ZooKeeperProcess } from './zookeeper-process.js';
export { findZooKeeper, startZooKeeper, zooKeeperSkipReason } from './zookeeper-process.js';

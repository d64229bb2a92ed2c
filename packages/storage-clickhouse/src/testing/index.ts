// Test helpers: a throwaway clickhouse-server process per test file.
export type { ClickHouseServerOptions, ClickHouseServerProcess, ClickHouseShardAddress, ServerPorts } from './clickhouse-server-process.js';
export { clickHouseSkipReason, findClickHouseServer, freePort, startClickHouseServer, startClickHouseServers } from './clickhouse-server-process.js';
export type { ZooKeeperProcess } from './zookeeper-process.js';
export { findZooKeeper, startZooKeeper, zooKeeperSkipReason } from './zookeeper-process.js';

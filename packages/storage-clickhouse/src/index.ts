export { ClickHouseError } from './clickhouse-error.js';
export type { ClickHouseClusterOptions, ClickHouseStoreOptions } from './clickhouse-store-options.js';
export { openClickHouseStore } from './open-clickhouse-store.js';
export type { ClickHouseTraceStore } from './internal/clickhouse-trace-store.js';
export type { ServerFeatures } from './internal/server-features.js';

export type { DuckDbStoreOptions } from './duckdb-store-options.js';
export { DATABASE_FILE_NAME, openDuckDbStore } from './open-duckdb-store.js';

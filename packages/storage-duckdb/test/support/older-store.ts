// A store as an earlier Cairn left it: columns added since dropped and what open recorded about
// them deleted, on the closed database file, so the next open meets an old store.

import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DATABASE_FILE_NAME } from '../../src/index.js';

/** Drops trace_key from spans and trace_parts and forgets where keyed batches begin. */
export const WITHOUT_TRACE_KEY = [
  'ALTER TABLE spans DROP COLUMN trace_key',
  'ALTER TABLE trace_parts DROP COLUMN trace_key',
  "DELETE FROM cairn_meta WHERE key = 'trace_key_from_seq'",
];

/** Runs `statements` on the store's database file in `dataDir` (the store must be closed). */
export async function rewriteClosedStore(dataDir: string, statements: readonly string[]): Promise<void> {
  const instance = await DuckDBInstance.create(join(dataDir, DATABASE_FILE_NAME));
  const connection = await instance.connect();
  try {
    for (const statement of statements) await connection.run(statement);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

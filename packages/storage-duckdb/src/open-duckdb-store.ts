// Opens (creating when needed) the embedded DuckDB store in a data directory.

import { mkdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { TraceStore } from '@cairn/storage';
import { StoreError } from '@cairn/storage';
import type { DuckDbStoreOptions } from './duckdb-store-options.js';
import { resolveDuckDbStoreOptions } from './duckdb-store-options.js';
import { ConnectionPool } from './internal/connection-pool.js';
import { DuckDbTraceStore } from './internal/duckdb-trace-store.js';
import { OriginRegistry } from './internal/origin-registry.js';
import { SCHEMA_SQL, SCHEMA_VERSION } from './internal/schema.js';
import { SpanWriter } from './internal/span-writer.js';

export const DATABASE_FILE_NAME = 'cairn.duckdb';

/** Files open in this process: DuckDB's file lock only stops other processes. */
const openInThisProcess = new Set<string>();

function unavailable(path: string, error: unknown): StoreError {
  const message = error instanceof Error ? error.message : String(error);
  if (/Could not set lock on file/.test(message)) {
    const pid = /\(PID (\d+)\)/.exec(message)?.[1];
    const holder = pid ? `process ${pid}` : 'another process';
    return new StoreError(
      'store_unavailable',
      `${path} is locked by ${holder} (probably another cairn serve); stop it or pass a different --data-dir`,
      { cause: error },
    );
  }
  return new StoreError(
    'store_unavailable',
    `cannot open ${path}: ${message.split('\n')[0]}. Check that the file is a Cairn database and readable and writable by this user, or pass a different --data-dir`,
    { cause: error },
  );
}

/**
 * Opens the store at <dataDir>/cairn.duckdb. Throws StoreError('store_unavailable') when the
 * file is locked by another process, already open in this one, or unreadable.
 */
export async function openDuckDbStore(options: DuckDbStoreOptions): Promise<TraceStore> {
  const resolved = resolveDuckDbStoreOptions(options);
  try {
    await mkdir(resolved.dataDir, { recursive: true });
  } catch (error) {
    throw new StoreError('store_unavailable', `cannot create data directory ${resolved.dataDir}: ${String(error)}`, { cause: error });
  }
  const path = join(await realpath(resolved.dataDir), DATABASE_FILE_NAME);
  if (openInThisProcess.has(path)) {
    throw new StoreError('store_unavailable', `${path} is already open in this process; close the other store first`);
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, {
      threads: String(resolved.threads),
      memory_limit: resolved.memoryLimit,
      storage_compatibility_version: 'latest',
    });
  } catch (error) {
    throw unavailable(path, error);
  }
  openInThisProcess.add(path);
  try {
    const writerConnection = await instance.connect();
    await writerConnection.run(`SET checkpoint_threshold = '${resolved.checkpointThreshold.replace(/'/g, '')}'`);
    await writerConnection.run('SET preserve_insertion_order = false');
    for (const statement of SCHEMA_SQL) await writerConnection.run(statement);
    const versionRows = (await writerConnection.runAndReadAll(`SELECT value FROM cairn_meta WHERE key = 'schema_version'`)).getRows();
    const stored = versionRows[0]?.[0];
    if (stored === undefined) {
      await writerConnection.run(`INSERT INTO cairn_meta VALUES ('schema_version', '${SCHEMA_VERSION}')`);
    } else if (stored !== String(SCHEMA_VERSION)) {
      throw new StoreError(
        'store_unavailable',
        `${path} has schema version ${String(stored)}, this Cairn reads version ${SCHEMA_VERSION}; use a matching Cairn or a different --data-dir`,
      );
    }
    const origins = new OriginRegistry();
    const originRows = (await writerConnection.runAndReadAll('SELECT origin_key FROM origins')).getRows();
    origins.markStored(originRows.map((row) => row[0] as string));
    const version = (await writerConnection.runAndReadAll('SELECT version()')).getRows()[0]?.[0];
    return new DuckDbTraceStore({
      description: `duckdb ${String(version).replace(/^v/, '')}`,
      databasePath: path,
      instance,
      writerConnection,
      readers: new ConnectionPool(instance, 3),
      writer: new SpanWriter(writerConnection, origins, resolved),
      origins,
      onClose: () => openInThisProcess.delete(path),
    });
  } catch (error) {
    instance.closeSync();
    openInThisProcess.delete(path);
    throw error instanceof StoreError ? error : unavailable(path, error);
  }
}

// Opens (creating when needed) the embedded DuckDB store in a data directory.

import { mkdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { TraceStore } from '@cairn/storage';
import { StoreError } from '@cairn/storage';
import type { DuckDbStoreOptions } from './duckdb-store-options.js';
import { resolveDuckDbStoreOptions } from './duckdb-store-options.js';
import { DuckDbTraceStore } from './internal/duckdb-trace-store.js';
import { OriginRegistry } from './internal/origin-registry.js';
import { SCHEMA_VERSION } from './internal/schema.js';
import { SpanWriter } from './internal/span-writer.js';
import { WorkerClient } from './internal/worker-client.js';
import type { OpenResult } from './internal/worker-protocol.js';

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
  openInThisProcess.add(path);
  const worker = new WorkerClient();
  let opened: OpenResult;
  try {
    opened = await worker.request<OpenResult>({
      op: 'open',
      config: {
        path,
        threads: resolved.threads,
        memoryLimit: resolved.memoryLimit,
        checkpointThreshold: resolved.checkpointThreshold,
        readers: 3,
        recentTraceWindows: resolved.recentTraceWindows,
        knownTraceIds: resolved.knownTraceIds,
      },
    });
  } catch (error) {
    await worker.close().catch(() => undefined);
    openInThisProcess.delete(path);
    throw unavailable(path, error);
  }
  try {
    if (opened.storedSchemaVersion === null) {
      await worker.request({ op: 'query', sql: `INSERT INTO cairn_meta VALUES ('schema_version', '${SCHEMA_VERSION}')`, params: [], writer: true });
    } else if (opened.storedSchemaVersion !== String(SCHEMA_VERSION)) {
      throw new StoreError(
        'store_unavailable',
        `${path} has schema version ${opened.storedSchemaVersion}, this Cairn reads version ${SCHEMA_VERSION}; use a matching Cairn or a different --data-dir`,
      );
    }
    const origins = new OriginRegistry();
    origins.markStored(opened.originKeys);
    return new DuckDbTraceStore({
      description: `duckdb ${opened.version.replace(/^v/, '')} (${opened.settings})`,
      databasePath: path,
      worker,
      writer: new SpanWriter(worker, origins, resolved, opened.lastBatchSeq),
      origins,
      hasDetachedEvents: opened.hasDetachedEvents,
      hasLiveSpans: opened.hasLiveSpans,
      traceKeyFromSeq: opened.traceKeyFromSeq,
      onClose: () => openInThisProcess.delete(path),
    });
  } catch (error) {
    await worker.close().catch(() => undefined);
    openInThisProcess.delete(path);
    throw error instanceof StoreError ? error : unavailable(path, error);
  }
}

// `cairn serve`: opens the store, starts the receivers and the query API, and shuts down
// cleanly on SIGINT/SIGTERM (draining the write queue so acknowledged spans stay acknowledged).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, createStderrLogger } from '@cairn/server';
import type { TraceStore } from '@cairn/storage';
import { openClickHouseStore } from '@cairn/storage-clickhouse';
import { openDuckDbStore } from '@cairn/storage-duckdb';
import { listenPort, type ServeConfig } from '../config.js';

/** The built web UI (`npm install` builds it through the root "prepare" script). */
const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export async function serve(config: ServeConfig): Promise<number> {
  const logger = createStderrLogger();
  const dataDir = path.resolve(config.dataDir);
  let store: TraceStore;
  const where = config.store === 'clickhouse' ? `ClickHouse at ${config.clickhouseUrl}` : `the store in ${dataDir}`;
  try {
    store = config.store === 'clickhouse' ? await openClickHouseFromConfig(config) : await openDuckDbStore({ dataDir });
  } catch (error) {
    logger.error(`cannot open ${where}: ${(error as Error).message}`);
    return 1;
  }
  const server = createServer({
    store,
    logger,
    config: {
      host: config.host,
      port: listenPort(config.port),
      otlpHttpPort: listenPort(config.otlpHttpPort),
      otlpGrpcPort: listenPort(config.otlpGrpcPort),
      // Without a build, `/` explains how to make one; the API works either way.
      webRoot: fs.existsSync(path.join(WEB_DIST, 'index.html')) ? WEB_DIST : null,
    },
  });
  try {
    logger.info(config.store === 'clickhouse' ? `store: ${store.description}` : `store: ${store.description} in ${dataDir}`);
    // start() logs one line per listener once it is ready.
    await server.start();
  } catch (error) {
    logger.error((error as Error).message);
    await server.stop().catch(() => undefined);
    await store.close().catch(() => undefined);
    return 1;
  }

  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      logger.info(`${signal} received, finishing queued writes and stopping`);
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  await server.stop();
  await store.close();
  logger.info('stopped');
  return 0;
}

/** The scale-out store: stateless servers sharing one ClickHouse (single node or sharded cluster). */
function openClickHouseFromConfig(config: ServeConfig): Promise<TraceStore> {
  return openClickHouseStore({
    url: config.clickhouseUrl!,
    database: config.clickhouseDatabase,
    cluster:
      config.clickhouseCluster !== undefined && config.clickhouseShards !== undefined
        ? { name: config.clickhouseCluster, shardUrls: config.clickhouseShards }
        : undefined,
  });
}

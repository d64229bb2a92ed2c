// `cairn serve`: opens the store, starts the receivers and the query API, and shuts down
// cleanly on SIGINT/SIGTERM (draining the write queue so acknowledged spans stay acknowledged).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, createStderrLogger, DirectoryProjectPriceStore } from '@cairn/server';
import type { TraceStore } from '@cairn/storage';
import { listenPort, type ServeConfig } from '../config.js';
import { describeStoreLocation, openConfiguredStore } from '../open-store.js';
import { retentionPolicy } from '../retention-option.js';
import { pricingFromOption, projectPricesDirectory } from '../prices-file.js';

/** The built web UI (`npm install` builds it through the root "prepare" script). */
const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export async function serve(config: ServeConfig): Promise<number> {
  const logger = createStderrLogger();
  const dataDir = path.resolve(config.dataDir);
  // A bad price file stops the server before it opens anything (ConfigError names the field).
  const pricing = await pricingFromOption(config.prices);
  let store: TraceStore;
  try {
    store = await openConfiguredStore(config);
  } catch (error) {
    logger.error(`cannot open ${describeStoreLocation(config)}: ${(error as Error).message}`);
    return 1;
  }
  const server = createServer({
    store,
    logger,
    pricing,
    // Projects' own prices (PUT /api/v1/projects/ID/prices) as JSON files; servers that share a
    // ClickHouse store must share this directory too (docs/costs.md).
    projectPriceStore: new DirectoryProjectPriceStore(projectPricesDirectory(config)),
    config: {
      host: config.host,
      port: listenPort(config.port),
      otlpHttpPort: listenPort(config.otlpHttpPort),
      otlpGrpcPort: listenPort(config.otlpGrpcPort),
      // Without a build, `/` explains how to make one; the API works either way.
      webRoot: fs.existsSync(path.join(WEB_DIST, 'index.html')) ? WEB_DIST : null,
      // Applied at start and hourly; null (no --retention-days / --retention) keeps everything.
      retention: retentionPolicy(config),
      ...(config.ingestThreads === undefined ? {} : { ingestThreads: config.ingestThreads }),
      ...(config.batchWaitMs === undefined ? {} : { batchWaitMillis: config.batchWaitMs }),
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


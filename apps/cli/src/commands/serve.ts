// `cairn serve`: opens the store, starts the receivers and the query API, and shuts down
// cleanly on SIGINT/SIGTERM (draining the write queue so acknowledged spans stay acknowledged).

import path from 'node:path';
import { createServer, createStderrLogger } from '@cairn/server';
import { openDuckDbStore } from '@cairn/storage-duckdb';
import { listenPort, type ServeConfig } from '../config.js';

export async function serve(config: ServeConfig): Promise<number> {
  const logger = createStderrLogger();
  const dataDir = path.resolve(config.dataDir);
  let store;
  try {
    store = await openDuckDbStore({ dataDir });
  } catch (error) {
    logger.error(`cannot open the store in ${dataDir}: ${(error as Error).message}`);
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
    },
  });
  try {
    logger.info(`store: ${store.description} in ${dataDir}`);
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

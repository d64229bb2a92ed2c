// `cairn serve`: opens the store, starts the receivers and the query API, and shuts down
// cleanly on SIGINT/SIGTERM (draining the write queue so acknowledged spans stay acknowledged).

import path from 'node:path';
import { createServer } from '@cairn/server';
import { openDuckDbStore } from '@cairn/storage-duckdb';
import { listenPort, type ServeConfig } from '../config.js';
import { stderrLogger } from '../logger.js';

export async function serve(config: ServeConfig): Promise<number> {
  const logger = stderrLogger();
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
    const addresses = await server.start();
    logger.info(`store: ${store.description} in ${dataDir}`);
    if (addresses.otlpHttpUrl) logger.info(`OTLP/HTTP listening on ${addresses.otlpHttpUrl} (POST /v1/traces, /v1/logs)`);
    if (addresses.otlpGrpcAddress) logger.info(`OTLP/gRPC listening on ${addresses.otlpGrpcAddress}`);
    if (addresses.apiUrl) logger.info(`query API listening on ${addresses.apiUrl} (GET /api/v1/traces)`);
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

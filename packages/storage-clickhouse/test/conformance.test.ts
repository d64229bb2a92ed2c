// The shared TraceStore conformance suite against a real clickhouse-server started for this file
// (free loopback ports, temp dir), with a fresh database per case.

import fs from 'node:fs/promises';
import { after, before, describe } from 'node:test';
import { runTraceStoreConformance } from '@cairn/storage/conformance';
import { openClickHouseStore } from '../src/index.js';
import type { ClickHouseServerProcess } from '../src/testing/index.js';
import { clickHouseSkipReason, startClickHouseServer } from '../src/testing/index.js';

const skip = clickHouseSkipReason();

describe('ClickHouse adapter', { skip }, () => {
  let server: ClickHouseServerProcess | undefined;
  let databaseCount = 0;
  let lastDatabase = '';

  before(async () => {
    server = await startClickHouseServer();
  });
  after(async () => {
    await server?.stop();
    if (server) await fs.rm(server.dir, { recursive: true, force: true });
  });

  runTraceStoreConformance('clickhouse', {
    open() {
      databaseCount += 1;
      lastDatabase = `conformance_${process.pid}_${databaseCount}`;
      return openClickHouseStore({ url: server!.url, database: lastDatabase });
    },
    reopen: () => openClickHouseStore({ url: server!.url, database: lastDatabase }),
  });
});

// The DuckDB adapter against the shared TraceStore conformance suite, each case in a fresh temp dir.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { runTraceStoreConformance } from '@cairn/storage/conformance';
import { openDuckDbStore } from '../src/index.js';

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

runTraceStoreConformance('duckdb', {
  async open() {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-duckdb-conformance-'));
    dirs.push(dir);
    return openDuckDbStore({ dataDir: dir });
  },
  reopen() {
    return openDuckDbStore({ dataDir: dirs[dirs.length - 1]! });
  },
});

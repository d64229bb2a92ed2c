// Retention on disk: after applyRetention (delete + CHECKPOINT) the blocks of removed traces are
// free in the file, for new data to reuse. DuckDB shrinks the file itself only when the free
// blocks are at its end, and old data is at its start, so the file stops growing rather than
// shrinking; the blocks in use (pragma database_size) show what was reclaimed, and writing as much
// again shows new data going into them.

import { strict as assert } from 'node:assert';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { SpanRecord } from '@cairn/model';
import type { TraceStore } from '@cairn/storage';
import { buildSpanRecord, nextSpanId, nextTraceId, NS_PER_HOUR, T0 } from '@cairn/storage/conformance';
import { DATABASE_FILE_NAME, openDuckDbStore } from '../src/index.js';

const NS_PER_DAY = 24n * NS_PER_HOUR;
const OLD_SPANS = 250_000;
const RECENT_SPANS = 5_000;
const BATCH_SPANS = 25_000;
/** DuckDB's default block size. */
const DUCKDB_BLOCK_BYTES = 256 * 1024;
const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function fileBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of [DATABASE_FILE_NAME, `${DATABASE_FILE_NAME}.wal`]) {
    total += await stat(join(dir, name)).then(
      (info) => info.size,
      () => 0,
    );
  }
  return total;
}

/**
 * Writes `spanCount` small spans, 20 per trace, starting at `startUnixNano`. Enough rows to fill
 * several of DuckDB's row groups (122,880 rows): a checkpoint frees a row group's blocks once
 * enough of its rows are deleted, not per row.
 */
async function writeSpans(store: TraceStore, startUnixNano: bigint, spanCount: number): Promise<number> {
  let accepted = 0;
  const base = buildSpanRecord({ spanType: 'chain', name: 'step', startTimeUnixNano: startUnixNano });
  for (let written = 0; written < spanCount; written += BATCH_SPANS) {
    const records: SpanRecord[] = [];
    let traceId = '';
    for (let index = written; index < Math.min(spanCount, written + BATCH_SPANS); index++) {
      if (index % 20 === 0) traceId = nextTraceId();
      records.push({ ...base, traceId, spanId: nextSpanId(), startTimeUnixNano: startUnixNano + BigInt(index) * 1_000_000n });
    }
    accepted += (await store.write({ spans: records, events: [] })).accepted;
  }
  return accepted;
}

/** Bytes of the file's blocks in use (the rest are free for new data), read with the store closed. */
async function usedBytes(dir: string): Promise<number> {
  const instance = await DuckDBInstance.create(join(dir, DATABASE_FILE_NAME));
  const connection = await instance.connect();
  try {
    const [row] = (await connection.runAndReadAll('SELECT used_blocks, block_size FROM pragma_database_size()')).getRows();
    return Number(row![0]) * Number(row![1]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

it('frees the blocks of removed traces for new data to reuse', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-duckdb-retention-'));
  dirs.push(dir);
  let store = await openDuckDbStore({ dataDir: dir });
  // Closing checkpoints (WAL folded into the file), so every figure is of a checkpointed file.
  const measure = async () => {
    await store.close();
    const sizes = { file: await fileBytes(dir), used: await usedBytes(dir) };
    store = await openDuckDbStore({ dataDir: dir });
    return sizes;
  };
  try {
    const oldSpans = await writeSpans(store, T0 - 10n * NS_PER_DAY, OLD_SPANS);
    const recentSpans = await writeSpans(store, T0 - NS_PER_HOUR, RECENT_SPANS);
    const full = await measure();

    const result = await store.applyRetention({ defaultMaxAgeMs: 3 * 86_400_000, projects: [], nowUnixNano: T0 });
    assert.deepEqual(result, { tracesRemoved: OLD_SPANS / 20, spansRemoved: oldSpans });
    assert.equal((await store.stats()).spanCount, recentSpans);
    const fileAfter = await fileBytes(dir);
    const after = await measure();
    process.stdout.write(
      `# duckdb file ${full.file} bytes (${full.used} in use) with ${oldSpans + recentSpans} spans; after removing ${oldSpans}: file ${fileAfter}, ${after.used} in use\n`,
    );
    // The checkpoint writes the surviving rows' new blocks before it frees the old ones: at most
    // a block or two more, never a copy of the data.
    assert.ok(fileAfter <= full.file + 2 * DUCKDB_BLOCK_BYTES, `retention did not grow the file (${full.file} → ${fileAfter})`);
    assert.ok(after.used < full.used / 2, `most blocks are free for new data (${full.used} → ${after.used} bytes in use)`);

    // As many new spans as were removed go mostly into the freed blocks: the file grows by a few
    // blocks (checkpoints write new blocks before freeing old ones), not by the data's size.
    await writeSpans(store, T0 - NS_PER_HOUR / 2n, OLD_SPANS);
    const refilled = await measure();
    const freed = full.used - after.used;
    process.stdout.write(`# after writing ${OLD_SPANS} new spans: file ${refilled.file}, ${refilled.used} in use (${freed} bytes had been freed)\n`);
    assert.ok(refilled.file - full.file < freed / 2, `new data reused the freed blocks (file ${full.file} → ${refilled.file}, ${freed} bytes freed)`);
  } finally {
    await store.close();
  }
});

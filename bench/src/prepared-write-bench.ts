// The DuckDB writer alone: the ingest bench's agent spans, encoded into column buffers beforehand
// (TraceStore.prepareWrite, as the ingest thread does), then written one group at a time
// (writePrepared). CPU of the whole process per span (the DuckDB worker and DuckDB's threads: the
// encoding is done before the clock starts), so write sizes and writer changes compare without
// HTTP, decoding or the host's other load in the figure.
//
//   node --import tsx bench/src/prepared-write-bench.ts [groupSpans=1000] [totalSpans=300000] [groupsPerWrite=1]
//
// groupsPerWrite > 1 hands that many groups to one writePrepared: one transaction (its COMMIT's
// cost shared by all of them).
//
// Prints one JSON line.

import { openDuckDbStore } from '@cairn/storage-duckdb';
import type { PreparedWrite } from '@cairn/storage';
import { encodeAgentBatches, normalizedAgentSpans, renumberTraces } from './agent-batches.js';
import { removeDir, tempDir } from './bench-support.js';

const groupSpans = Number(process.argv[2] ?? 1000);
const totalSpans = Number(process.argv[3] ?? 300_000);
const groupsPerWrite = Number(process.argv[4] ?? 1);

const records = normalizedAgentSpans(encodeAgentBatches(40, 500));
const dir = tempDir('prepared-write');
const store = await openDuckDbStore({ dataDir: dir });
try {
  if (!store.prepareWrite || !store.writePrepared) throw new Error('the store cannot prepare writes');
  // Each pass over the records with fresh trace ids, so dedupe keeps every row.
  const groups: PreparedWrite[] = [];
  for (let pass = 0, prepared = 0; prepared < totalSpans; pass++) {
    renumberTraces(records, pass);
    for (let offset = 0; offset < records.length && prepared < totalSpans; offset += groupSpans) {
      const spans = records.slice(offset, Math.min(offset + groupSpans, offset + totalSpans - prepared));
      groups.push(store.prepareWrite({ spans, events: [] }));
      prepared += spans.length;
    }
  }
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let slowestMs = 0;
  for (let first = 0; first < groups.length; first += groupsPerWrite) {
    const writeStarted = performance.now();
    await store.writePrepared(groups.slice(first, first + groupsPerWrite));
    slowestMs = Math.max(slowestMs, performance.now() - writeStarted);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  process.stdout.write(
    `${JSON.stringify({
      groupSpans,
      totalSpans,
      groupsPerWrite,
      spansPerSecond: Math.round(totalSpans / seconds),
      cpuMicrosPerSpan: Number(((cpu.user + cpu.system) / totalSpans).toFixed(1)),
      slowestWriteMs: Math.round(slowestMs),
    })}\n`,
  );
} finally {
  await store.close();
  removeDir(dir);
}

// Writes of new traces to a store reopened with many trace_parts rows: the known-traces filter
// (known-traces-filter.ts) lets them skip dedupe's lookup in trace_parts, which probes every part.
// The store is filled once with `parts` one-span traces (kept in `dataDir` when given, so the
// same store serves runs of different code), copied, then opened; the filter loads in the
// background; `writes` writes of 500 spans of new traces are timed from the open on (those that
// ran before the filter was in use, which ask trace_parts about all their traces, also apart).
//
//   node --import tsx bench/src/known-traces-bench.ts [parts=5500000] [writes=100] [dataDir]
//
// Prints one JSON line (last line of stdout); progress goes to stderr.

import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDuckDbStore } from '@cairn/storage-duckdb';
import type { TraceStore } from '@cairn/storage';
import { percentile, removeDir, tempDir, writeResult } from './bench-support.js';
import { fillOneSpanTraces, oneSpan, traceIdSequence } from './trace-parts-fill.js';

const parts = Number(process.argv[2] ?? 5_500_000);
const writes = Number(process.argv[3] ?? 100);
const keptDir = process.argv[4];
const SPANS_PER_WRITE = 500;

const filledDir = keptDir ?? tempDir('known-traces-fill');
if (!existsSync(join(filledDir, 'cairn.duckdb'))) {
  const started = performance.now();
  const store = await openDuckDbStore({ dataDir: filledDir });
  await fillOneSpanTraces(store, traceIdSequence(parts));
  await store.close();
  process.stderr.write(`${parts} one-span traces written in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
const dir = tempDir('known-traces');
cpSync(filledDir, dir, { recursive: true });
const fresh = traceIdSequence(writes * SPANS_PER_WRITE, parts + 1);

type Diagnosable = TraceStore & { knownTracesState?: () => Promise<{ loading: boolean; capacity: number | null }> };
const opened = performance.now();
const store: Diagnosable = await openDuckDbStore({ dataDir: dir });
try {
  const openMs = performance.now() - opened;
  let filterLoadedMs: number | null = null;
  const times: number[] = [];
  // The writes that ran while the filter was not yet in use (they ask trace_parts).
  const beforeFilter: number[] = [];
  for (let number = 0; number < writes; number++) {
    const spans = fresh.slice(number * SPANS_PER_WRITE, (number + 1) * SPANS_PER_WRITE).map((traceId, index) => oneSpan(traceId, (parts + number * SPANS_PER_WRITE + index) * 2));
    const started = performance.now();
    const result = await store.write({ spans, events: [] });
    times.push(performance.now() - started);
    if (filterLoadedMs === null) beforeFilter.push(times.at(-1)!);
    if (result.accepted !== spans.length) throw new Error(`${result.accepted} of ${spans.length} accepted`);
    if (filterLoadedMs === null && store.knownTracesState) {
      const state = await store.knownTracesState();
      if (!state.loading && state.capacity !== 0) filterLoadedMs = performance.now() - opened;
    }
  }
  const sorted = [...times].sort((x, y) => x - y);
  const last = [...times.slice(-Math.ceil(writes / 2))].sort((x, y) => x - y);
  const result = {
    parameters: { parts, writes, spansPerWrite: SPANS_PER_WRITE },
    openMs: Math.round(openMs),
    filterLoadedMs: filterLoadedMs === null ? null : Math.round(filterLoadedMs),
    writeMsP50: Number(percentile(sorted, 0.5).toFixed(1)),
    writeMsP95: Number(percentile(sorted, 0.95).toFixed(1)),
    lastHalfWriteMsP50: Number(percentile(last, 0.5).toFixed(1)),
    writesBeforeFilter: beforeFilter.length,
    beforeFilterWriteMsP50: beforeFilter.length === 0 ? null : Number(percentile(beforeFilter.sort((x, y) => x - y), 0.5).toFixed(1)),
  };
  process.stderr.write(`written ${writeResult('known-traces', result)}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await store.close();
  removeDir(dir);
  if (!keptDir) removeDir(filledDir);
}

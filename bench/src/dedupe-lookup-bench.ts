// What dedupe's lookup of stored traces costs a write as trace_parts grows, with and without the
// writer's windows of recently written traces (recent-trace-windows.ts). In-process DuckDB store:
// `parts` traces written with their first span (writes of 20,000), then `writes` writes of 500
// spans, each 450 spans of new traces and 50 later spans of traces written just before — what
// an OpenTelemetry batch processor sends for agent runs longer than one export. The same in a
// second store with no windows kept (every such write asks trace_parts), alternating writes.
//
//   node --import tsx bench/src/dedupe-lookup-bench.ts [parts=250000] [writes=100]
//
// Prints one JSON line (last line of stdout); progress goes to stderr.

import { performance } from 'node:perf_hooks';
import type { SpanRecord } from '@cairn/model';
import { openDuckDbStore } from '@cairn/storage-duckdb';
import { percentile, removeDir, tempDir, writeResult } from './bench-support.js';
import { fillOneSpanTraces, oneSpan as span, traceIdSequence } from './trace-parts-fill.js';

const parts = Number(process.argv[2] ?? 250_000);
const writes = Number(process.argv[3] ?? 100);
const traceIds = traceIdSequence(parts + writes * 450);

/** Write `number`: 450 spans of new traces, and the second span of 50 traces written just before. */
function mixedWrite(number: number): SpanRecord[] {
  const spans: SpanRecord[] = [];
  const firstNew = parts + number * 450;
  for (let index = firstNew; index < firstNew + 450; index++) spans.push(span(traceIds[index]!, index * 2));
  for (let index = firstNew - 50; index < firstNew; index++) spans.push(span(traceIds[index]!, index * 2 + 1));
  return spans;
}

const configs = [
  { name: 'no windows (asks trace_parts)', options: { recentTraceWindows: 0 } },
  { name: 'windows kept (default)', options: {} },
];
const dirs = configs.map(() => tempDir('dedupe-lookup'));
const stores = await Promise.all(configs.map((config, index) => openDuckDbStore({ dataDir: dirs[index]!, ...config.options })));
try {
  for (const [index, store] of stores.entries()) {
    const started = performance.now();
    await fillOneSpanTraces(store, traceIds.slice(0, parts));
    process.stderr.write(`${configs[index]!.name}: ${parts} traces written in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  const times: number[][] = configs.map(() => []);
  for (let number = 0; number < writes; number++) {
    const spans = mixedWrite(number);
    for (const index of number % 2 === 0 ? [0, 1] : [1, 0]) {
      const started = performance.now();
      const result = await stores[index]!.write({ spans, events: [] });
      times[index]!.push(performance.now() - started);
      if (result.accepted !== spans.length) throw new Error(`${configs[index]!.name}: ${result.accepted} of ${spans.length} accepted`);
    }
  }
  const result = {
    parameters: { parts, writes, spansPerWrite: 500, laterSpansPerWrite: 50 },
    configurations: configs.map((config, index) => {
      const sorted = [...times[index]!].sort((x, y) => x - y);
      return { name: config.name, writeMsP50: Number(percentile(sorted, 0.5).toFixed(2)), writeMsP95: Number(percentile(sorted, 0.95).toFixed(2)) };
    }),
  };
  process.stderr.write(`written ${writeResult('dedupe-lookup', result)}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await Promise.all(stores.map((store) => store.close()));
  for (const dir of dirs) removeDir(dir);
}

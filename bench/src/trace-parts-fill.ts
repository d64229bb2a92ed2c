// Stores with many trace_parts rows, for the benchmarks of dedupe's lookups: traces of one span
// each (one part per trace), written 20,000 at a time.

import type { SpanRecord } from '@cairn/model';
import type { TraceStore } from '@cairn/storage';
import { buildSpanRecord } from '@cairn/storage/conformance';

const MS = 1_000_000n;
const baseNs = (BigInt(Date.now()) - 3_600_000n) * MS;

/** `count` distinct trace ids, the same on every run (their last 8 digits count up). */
export function traceIdSequence(count: number, first = 1): string[] {
  const ids: string[] = [];
  for (let counter = first; counter < first + count; counter++) {
    const id = `${(0x9e3779b1 * counter) >>> 0}`.padStart(10, '0');
    ids.push((id + id + id + id).slice(0, 24) + counter.toString(16).padStart(8, '0'));
  }
  return ids;
}

/** A span of `traceId`, the index-th of the run (its start time and span id follow from it). */
export function oneSpan(traceId: string, index: number): SpanRecord {
  const start = baseNs + BigInt(index) * MS;
  return buildSpanRecord({ traceId, spanId: `${(index + 1).toString(16).padStart(16, '0')}`, spanType: 'chain', name: 'step', startTimeUnixNano: start, endTimeUnixNano: start + MS });
}

/** Writes one span of each trace, 20,000 per write. */
export async function fillOneSpanTraces(store: TraceStore, traceIds: readonly string[]): Promise<void> {
  for (let from = 0; from < traceIds.length; from += 20_000) {
    const spans: SpanRecord[] = [];
    for (let index = from; index < Math.min(traceIds.length, from + 20_000); index++) spans.push(oneSpan(traceIds[index]!, index * 2));
    await store.write({ spans, events: [] });
  }
}

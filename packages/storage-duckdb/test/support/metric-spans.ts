// Spans placed in time for the metrics and call-agent tests, and metrics rows keyed for asserts.

import type { SpanRecord } from '@cairn/model';
import type { MetricsRow } from '@cairn/storage';
import { buildSpanRecord, T0 } from '@cairn/storage/conformance';

export const SECOND = 1_000_000_000n;

/** A span of `trace` (a new trace when null) under `parent`, from T0 + start to T0 + end seconds. */
export function span(trace: SpanRecord | null, parent: SpanRecord | null, startSeconds: bigint, endSeconds: bigint, fields: Partial<SpanRecord>): SpanRecord {
  return buildSpanRecord({
    ...(trace ? { traceId: trace.traceId } : {}),
    parentSpanId: parent?.spanId ?? null,
    startTimeUnixNano: T0 + startSeconds * SECOND,
    endTimeUnixNano: T0 + endSeconds * SECOND,
    ...fields,
  });
}

/** A one-second model call with `inputTokens` (and no cost unless `fields` says). */
export function call(trace: SpanRecord, parent: SpanRecord | null, startSeconds: bigint, inputTokens: number, fields: Partial<SpanRecord> = {}): SpanRecord {
  return span(trace, parent, startSeconds, startSeconds + 1n, {
    spanType: 'llm',
    usage: { inputTokens, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
    hasUsage: true,
    costUsd: 0,
    ...fields,
  });
}

/** key → [calls, input tokens]. */
export function byKey(rows: MetricsRow[]): Record<string, [number, number]> {
  return Object.fromEntries(rows.map((row) => [row.key ?? '(none)', [row.calls, row.inputTokens]]));
}

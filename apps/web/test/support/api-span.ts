// ApiSpan records for the model tests: times in milliseconds after a fixed base, as the API
// would send them (nanosecond strings).

import type { ApiSpan } from '../../src/api/api-types.js';

export const BASE_NS = 1_700_000_000_000_000_000n;

/** A span starting `startMs` after BASE, lasting `durationMs`. */
export function span(spanId: string, parentSpanId: string | null, startMs: number, durationMs: number, extra: Partial<ApiSpan> = {}): ApiSpan {
  const start = BASE_NS + BigInt(Math.round(startMs * 1000)) * 1000n;
  const end = start + BigInt(Math.round(durationMs * 1000)) * 1000n;
  return {
    traceId: 't'.repeat(32),
    spanId,
    parentSpanId,
    name: `span ${spanId}`,
    kind: 'INTERNAL',
    spanType: 'other',
    serviceName: 'svc',
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: end.toString(),
    startTime: new Date(Number(start / 1_000_000n)).toISOString(),
    durationMs,
    status: { code: 'unset', message: '' },
    model: null,
    provider: null,
    operation: null,
    agentName: null,
    toolName: null,
    sessionId: null,
    userId: null,
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
    costUsd: null,
    inputPreview: '',
    outputPreview: '',
    ...extra,
  };
}

// Decoding of the quality-report rows both adapters' SQL returns in the same column order.

import type { CountWithExample, NamePattern } from '../analytics-types.js';
import type { QualityParts } from '../assemble-quality-stats.js';

/** count, example trace, example span name at `at`. Engines that fill a default for an empty
 * group (ClickHouse's argMinIf) get null examples when the count is 0. */
export function decodeCount(row: readonly unknown[], at: number): CountWithExample {
  const count = Number(row[at]);
  return { count, exampleTraceId: count > 0 ? (row[at + 1] as string) : null, exampleSpanName: count > 0 ? (row[at + 2] as string) : null };
}

/** service, spans, traces, model calls, then three counts: without model, tokens, prompt version. */
export function decodeServiceTotals(row: readonly unknown[]): QualityParts['totals'][number] {
  return {
    service: row[0] as string,
    spans: Number(row[1]),
    traces: Number(row[2]),
    modelCalls: Number(row[3]),
    modelCallsWithoutModel: decodeCount(row, 4),
    modelCallsWithoutTokens: decodeCount(row, 7),
    modelCallsWithoutPromptVersion: decodeCount(row, 10),
  };
}

/** service, pattern, distinct names, spans, example name, example trace. */
export function decodeNamePattern(row: readonly unknown[]): { service: string; pattern: NamePattern } {
  return {
    service: row[0] as string,
    pattern: {
      pattern: row[1] as string,
      distinctNames: Number(row[2]),
      spans: Number(row[3]),
      exampleName: row[4] as string,
      exampleTraceId: row[5] as string,
    },
  };
}

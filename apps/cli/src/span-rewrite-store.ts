// The store methods `cairn prices recompute` and `cairn renormalize` need, proposed as additions
// to TraceStore (packages/storage/src/trace-store.ts; see docs/costs.md). Until a store implements
// them the commands stop with StoreLacksSpanRewriteError instead of doing half the work.

import type { SpanType } from '@cairn/model';
import type { StoredSpan, TraceStore } from '@cairn/storage';

export interface SpanScanQuery {
  /** Every project when absent. */
  projectId?: string;
  /** Spans that started in [fromUnixNano, toUnixNano). */
  fromUnixNano: bigint;
  toUnixNano: bigint;
  /** Only spans of these types (cost recompute asks for llm and embedding). */
  spanTypes?: SpanType[];
  /** Only spans stored by an older normalizer (renormalize). */
  normalizerVersionBelow?: number;
  /** Spans per yielded batch, 1..10000. */
  batchSize: number;
}

export interface SpanRewriteStore {
  /**
   * Stored spans matching the query, in batches, with lossless raw attributes (large ones
   * included) and events (the span's own, then those that arrived apart, as getSpan returns).
   * Iteration sees each span once even while updateSpanSemantics runs between batches.
   */
  scanSpans(query: SpanScanQuery): AsyncIterable<StoredSpan[]>;
  /**
   * Replaces the semantic fields (SpanSemantics minus input/output, which stores derive) of
   * already stored spans, found by (projectId, traceId, spanId), and records the normalizer
   * version; raw fields are never rewritten. Trace and session aggregates (cost, tokens,
   * models) of the touched traces are refreshed. Unknown spans are skipped, not counted.
   */
  updateSpanSemantics(spans: StoredSpan[], normalizerVersion: number): Promise<{ updated: number }>;
}

export class StoreLacksSpanRewriteError extends Error {
  override readonly name = 'StoreLacksSpanRewriteError';
  readonly code = 'store_lacks_span_rewrite';
  constructor(description: string, command: string) {
    super(
      `${command} is not supported by this store yet: ${description} has no scanSpans/updateSpanSemantics ` +
        '(the store additions proposed in docs/costs.md)',
    );
  }
}

/** The store as a SpanRewriteStore, or StoreLacksSpanRewriteError. */
export function requireSpanRewrite(store: TraceStore, command: string): TraceStore & SpanRewriteStore {
  const candidate = store as TraceStore & Partial<SpanRewriteStore>;
  if (typeof candidate.scanSpans !== 'function' || typeof candidate.updateSpanSemantics !== 'function') {
    throw new StoreLacksSpanRewriteError(store.description, command);
  }
  return candidate as TraceStore & SpanRewriteStore;
}

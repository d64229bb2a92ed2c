// What `cairn prices recompute` and `cairn renormalize` ask of a store (TraceStore.scanSpans and
// updateSpanSemantics): read stored spans in batches with their raw fields, write back new
// semantic fields. See docs/costs.md.

import type { SpanType } from '@cairn/model';

/** Which stored spans scanSpans yields. Every field narrows the result (AND). */
export interface SpanScanQuery {
  /** Every project when absent. */
  projectId?: string;
  /** Spans that started in [fromUnixNano, toUnixNano). */
  fromUnixNano: bigint;
  toUnixNano: bigint;
  /** Only spans of these types (cost recompute asks for llm and embedding). */
  spanTypes?: readonly SpanType[];
  /**
   * Only spans whose semantic fields were made by a normalizer older than this version
   * (renormalize). Spans stored before stores recorded the version count as version 0.
   */
  normalizerVersionBelow?: number;
  /** Spans per yielded batch, 1..10000. */
  batchSize: number;
}

export interface SpanSemanticsUpdateResult {
  /** Spans found and rewritten; unknown spans are skipped, not counted. */
  updated: number;
}

/**
 * The fields updateSpanSemantics rewrites: SpanSemantics minus input/output (which stores keep
 * or derive from the raw fields), plus `status`, which the semantic layer may have changed (a
 * Langfuse level=ERROR span) — `rawStatus` keeps the status as sent when it did.
 */
export const REWRITTEN_SPAN_FIELDS = [
  'spanType',
  'model',
  'requestModel',
  'provider',
  'operation',
  'agentName',
  'toolName',
  'toolCallId',
  'sessionId',
  'userId',
  'usage',
  'hasUsage',
  'costUsd',
  'costProvenance',
  'inputPreview',
  'outputPreview',
  'dialects',
  'finishReasons',
  'timeToFirstTokenMs',
  'promptName',
  'promptVersion',
  'agentId',
  'errorType',
  'retrievalDocuments',
  'tags',
  'rawStatus',
  'status',
] as const;

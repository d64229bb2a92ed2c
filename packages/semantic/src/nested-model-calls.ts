// One model call, two spans: libraries nest their own model-call span inside an instrumentation's
// (the Anthropic SDK's built-in `anthropic.messages.create` under Traceloop's `chat …`, a
// provider client instrumented twice, a gateway span around its attempts). Each span alone looks
// like a model call with the same tokens, so totals would count the call twice. Only leaf model
// calls count: a model call with a model-call child is a wrapper — span type `chain`, no usage,
// no cost — and carries the WRAPS_MODEL_CALL marker in `dialects`, so re-running the normalizer
// span by span (`cairn renormalize`) can keep the demotion it cannot see on its own.
//
// The ingest pipeline applies this to the spans of each OTLP request (a parent and its child
// usually end within one export batch); the background analyzer applies it to whole traces once
// they are quiet, which catches pairs that arrived in different requests.

import type { CostProvenance, SpanType, TokenUsage } from '@cairn/model';
import { EMPTY_USAGE } from '@cairn/model';

/** In `dialects` of a span demoted from model call to wrapper. */
export const WRAPS_MODEL_CALL = 'cairn:wraps-model-call';

/** The fields the demotion reads and rewrites (SpanRecord and StoredSpan have them). */
export interface ModelCallCandidate {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  spanType: SpanType;
  usage: TokenUsage;
  hasUsage: boolean;
  costUsd: number | null;
  costProvenance?: CostProvenance | null;
  dialects: string[];
}

function isModelCall(span: ModelCallCandidate): boolean {
  return span.spanType === 'llm' || span.spanType === 'embedding';
}

/** Turns a model-call span into a wrapper of the call it contains (in place). */
export function demoteToWrapper(span: ModelCallCandidate): void {
  span.spanType = 'chain';
  span.usage = { ...EMPTY_USAGE };
  span.hasUsage = false;
  span.costUsd = null;
  if (span.costProvenance !== undefined) span.costProvenance = null;
  if (!span.dialects.includes(WRAPS_MODEL_CALL)) span.dialects = [...span.dialects, WRAPS_MODEL_CALL];
}

/** Whether a stored span was demoted by demoteWrappingModelCalls. */
export function isDemotedWrapper(span: Pick<ModelCallCandidate, 'dialects'>): boolean {
  return span.dialects.includes(WRAPS_MODEL_CALL);
}

/**
 * Demotes, in place, every model call in `spans` that is the parent of another model call in
 * `spans`; returns the demoted spans (empty, and no allocation beyond a counter, when fewer
 * than two model calls are present — the common request).
 */
export function demoteWrappingModelCalls<T extends ModelCallCandidate>(spans: readonly T[]): T[] {
  let modelCalls = 0;
  for (const span of spans) if (isModelCall(span)) modelCalls++;
  if (modelCalls < 2) return [];
  const byKey = new Map<string, T>();
  for (const span of spans) if (isModelCall(span)) byKey.set(`${span.traceId}/${span.spanId}`, span);
  const parents = new Set<T>();
  for (const span of byKey.values()) {
    if (span.parentSpanId === null) continue;
    const parent = byKey.get(`${span.traceId}/${span.parentSpanId}`);
    if (parent !== undefined) parents.add(parent);
  }
  for (const parent of parents) demoteToWrapper(parent);
  return [...parents];
}

// One model call, two spans: libraries nest their own model-call span inside an instrumentation's
// (the Anthropic SDK's built-in `anthropic.messages.create` under Traceloop's `chat …`, a
// provider client instrumented twice, a gateway span around its attempts). Each span alone looks
// like a model call with the same tokens, so totals would count the call twice. Only leaf model
// calls count: a model call with a model-call child is a wrapper — span type `chain`, no usage,
// no cost — and carries the WRAPS_MODEL_CALL marker in `dialects`, so re-running the normalizer
// span by span (`cairn renormalize`) can keep the demotion it cannot see on its own.
//
// Some instrumentations flatten the tree and record the double as a sibling instead (Traceloop's
// LangChain spans are all children of the workflow span, next to the `openai` client's own call
// span): two model calls recorded by different instrumentation scopes, with the same parent and
// the same non-zero input and output tokens, one lasting over the other, are the same call — the
// longer one is the wrapper. (Parallel calls of one client share a scope: never merged.)
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
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  scope: { name: string };
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
  for (const twin of siblingDoubles(byKey.values(), parents)) parents.add(twin);
  for (const parent of parents) demoteToWrapper(parent);
  return [...parents];
}

/** The longer span of each pair of sibling model calls with equal non-zero usage, one lasting over the other. */
function siblingDoubles<T extends ModelCallCandidate>(modelCalls: Iterable<T>, excluded: ReadonlySet<T>): T[] {
  const groups = new Map<string, T[]>();
  for (const span of modelCalls) {
    if (excluded.has(span) || span.usage.inputTokens + span.usage.outputTokens === 0) continue;
    const key = `${span.traceId}/${span.parentSpanId ?? ''}/${span.usage.inputTokens}/${span.usage.outputTokens}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [span]);
    else group.push(span);
  }
  const doubles: T[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const outer of group) {
      const wraps = group.some(
        (inner) =>
          inner !== outer &&
          inner.scope.name !== outer.scope.name &&
          outer.startTimeUnixNano <= inner.startTimeUnixNano &&
          outer.endTimeUnixNano >= inner.endTimeUnixNano &&
          // Identical intervals: the later listed of the two stays the call.
          !(outer.startTimeUnixNano === inner.startTimeUnixNano && outer.endTimeUnixNano === inner.endTimeUnixNano && group.indexOf(outer) > group.indexOf(inner)),
      );
      if (wraps) doubles.push(outer);
    }
  }
  return doubles;
}

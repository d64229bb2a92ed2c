// Small shared facts about spans that several detectors need.

import type { AnalysisSpan } from '../analysis-span.js';
import type { SpanTree } from '../span-tree.js';

export const NANOS_PER_MILLI = 1_000_000n;

export function durationNanos(span: AnalysisSpan): bigint {
  const nanos = span.endTimeUnixNano - span.startTimeUnixNano;
  return nanos < 0n ? 0n : nanos;
}

export function nanosToMillisNumber(nanos: bigint): number {
  return Number(nanos) / 1e6;
}

/** "850 ms", "12.3 s". */
export function formatMillis(millis: number): string {
  if (millis < 1000) return `${Math.round(millis)} ms`;
  return `${(millis / 1000).toFixed(1)} s`;
}

/** What a span calls: the tool, the agent, the model, else its name. */
export function spanTarget(span: AnalysisSpan): string {
  if (span.spanType === 'tool') return span.toolName ?? span.name;
  if (span.spanType === 'agent') return span.agentName ?? span.name;
  if (span.spanType === 'llm' || span.spanType === 'embedding') return span.model ?? span.name;
  return span.name;
}

export function isModelCall(span: AnalysisSpan): boolean {
  return span.spanType === 'llm' || span.spanType === 'embedding';
}

/** For each span, its nearest strict ancestor matching `predicate` (null at the top). */
export function nearestAncestors<Span extends AnalysisSpan>(
  tree: SpanTree<Span>,
  predicate: (span: Span) => boolean,
): Map<string, Span | null> {
  const nearest = new Map<string, Span | null>();
  for (const span of tree.preorder) {
    const parent = span.parentSpanId === null ? undefined : tree.byId.get(span.parentSpanId);
    // preorder visits parents first, except across a cut cycle: then there is no ancestor.
    if (parent === undefined || !nearest.has(parent.spanId) || tree.depth.get(span.spanId) === 0) {
      nearest.set(span.spanId, null);
      continue;
    }
    nearest.set(span.spanId, predicate(parent) ? parent : nearest.get(parent.spanId)!);
  }
  return nearest;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle]!;
  return (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function quote(text: string, maxChars = 80): string {
  return JSON.stringify(text.length > maxChars ? `${text.slice(0, maxChars)}…` : text);
}

// Trace diff: aligns two runs of one workflow (e.g. the same task under prompt v1 and v2) span by
// span, top-down. Under each aligned pair of parents the children are matched in three passes:
//   1. the longest common subsequence of their signatures (span type, label, tool arguments), so
//      an inserted call does not shift every later match;
//   2. between two matches, leftovers with the same span type and label, in order;
//   3. between two matches, leftovers with the same span type, in order (a tool swapped for
//      another at the same step shows as one changed span, not a removal plus an addition).
// What is left is added (only in b) or removed (only in a), with its whole subtree. The label
// is the tool name for tools, the agent name for agents, the operation for model calls (so a
// model switch is a change, not a new span) and the span name otherwise. Durations, tokens and
// cost are reported as deltas but never make a span "changed": two runs always differ in them.

import type { AnalysisSpan } from './analysis-span.js';
import { durationNanos, isModelCall, nanosToMillisNumber } from './internal/span-facts.js';
import { buildSpanTree, byStartTime, type SpanTree } from './span-tree.js';
import { toolArguments } from './tool-arguments.js';

export interface FieldChange {
  field: 'name' | 'model' | 'status' | 'toolName' | 'agentName' | 'arguments' | 'spanType';
  a: string | null;
  b: string | null;
}

export interface DiffDeltas {
  /** b − a; a missing side counts as zero. */
  durationMs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface SpanAlignment {
  /** Ancestral path of span-type:label#occurrence steps, e.g. "agent:support#0/tool:search#1". */
  path: string;
  spanType: string;
  label: string;
  a: string | null;
  b: string | null;
  changes: FieldChange[];
  deltas: DiffDeltas;
}

export interface ToolCallStep {
  spanId: string;
  toolName: string;
  arguments: string | null;
  status: string;
}

export interface DiffTotals {
  spanCount: number;
  errorCount: number;
  modelCalls: number;
  toolCalls: number;
  durationMs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface TraceDiff {
  added: SpanAlignment[];
  removed: SpanAlignment[];
  changed: SpanAlignment[];
  unchanged: SpanAlignment[];
  toolCalls: { a: ToolCallStep[]; b: ToolCallStep[] };
  totals: { a: DiffTotals; b: DiffTotals; delta: DiffTotals };
}

/** Children lists larger than this (a × b) skip the LCS pass and match by order alone. */
const MAX_LCS_CELLS = 1_000_000;

function label(span: AnalysisSpan): string {
  switch (span.spanType) {
    case 'tool':
      return span.toolName ?? span.name;
    case 'agent':
      return span.agentName ?? span.name;
    case 'llm':
    case 'embedding':
      return span.operation ?? span.spanType;
    default:
      return span.name;
  }
}

const keyOf = (span: AnalysisSpan) => `${span.spanType}:${label(span)}`;
const signatureOf = (span: AnalysisSpan) => `${keyOf(span)}\u0000${toolArguments(span)?.text ?? ''}`;

/** Index pairs of a longest common subsequence of two signature lists. */
function commonSubsequence(left: readonly string[], right: readonly string[]): [number, number][] {
  const columns = right.length + 1;
  const lengths = new Uint32Array((left.length + 1) * columns);
  for (let row = left.length - 1; row >= 0; row--) {
    for (let column = right.length - 1; column >= 0; column--) {
      lengths[row * columns + column] =
        left[row] === right[column]
          ? lengths[(row + 1) * columns + column + 1]! + 1
          : Math.max(lengths[(row + 1) * columns + column]!, lengths[row * columns + column + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  let row = 0;
  let column = 0;
  while (row < left.length && column < right.length) {
    if (left[row] === right[column]) pairs.push([row++, column++]);
    else if (lengths[(row + 1) * columns + column]! >= lengths[row * columns + column + 1]!) row++;
    else column++;
  }
  return pairs;
}

/** Pairs up children of two aligned parents; unmatched ones come back with the other side null. */
export function matchChildren<Span extends AnalysisSpan>(left: readonly Span[], right: readonly Span[]): [Span | null, Span | null][] {
  const anchors =
    left.length * right.length <= MAX_LCS_CELLS ? commonSubsequence(left.map(signatureOf), right.map(signatureOf)) : [];
  const result: [Span | null, Span | null][] = [];
  const matchGap = (leftGap: Span[], rightGap: Span[]) => {
    const pairs = new Map<Span, Span>();
    for (const sameBy of [keyOf, (span: AnalysisSpan) => span.spanType]) {
      const used = new Set(pairs.values());
      let cursor = 0;
      for (const span of leftGap) {
        if (pairs.has(span)) continue;
        for (let index = cursor; index < rightGap.length; index++) {
          const candidate = rightGap[index]!;
          if (used.has(candidate) || sameBy(candidate) !== sameBy(span)) continue;
          pairs.set(span, candidate);
          used.add(candidate);
          cursor = index + 1;
          break;
        }
      }
    }
    const paired = new Set(pairs.values());
    for (const span of leftGap) result.push([span, pairs.get(span) ?? null]);
    for (const span of rightGap) if (!paired.has(span)) result.push([null, span]);
  };
  let leftIndex = 0;
  let rightIndex = 0;
  for (const [anchorLeft, anchorRight] of [...anchors, [left.length, right.length] as [number, number]]) {
    matchGap(left.slice(leftIndex, anchorLeft), right.slice(rightIndex, anchorRight));
    if (anchorLeft < left.length && anchorRight < right.length) result.push([left[anchorLeft]!, right[anchorRight]!]);
    leftIndex = anchorLeft + 1;
    rightIndex = anchorRight + 1;
  }
  return result;
}

function changesBetween(a: AnalysisSpan, b: AnalysisSpan): FieldChange[] {
  const changes: FieldChange[] = [];
  const compare = (field: FieldChange['field'], left: string | null, right: string | null) => {
    if (left !== right) changes.push({ field, a: left, b: right });
  };
  compare('spanType', a.spanType, b.spanType);
  compare('name', a.name, b.name);
  compare('model', a.model, b.model);
  compare('status', a.status.code, b.status.code);
  compare('toolName', a.toolName, b.toolName);
  compare('agentName', a.agentName, b.agentName);
  if (a.spanType === 'tool' || b.spanType === 'tool') {
    const argumentsA = toolArguments(a)?.text ?? null;
    const argumentsB = toolArguments(b)?.text ?? null;
    if (argumentsA !== null || argumentsB !== null) compare('arguments', argumentsA, argumentsB);
  }
  return changes;
}

function spanNumbers(span: AnalysisSpan | null): DiffDeltas {
  if (span === null) return { durationMs: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
  const model = isModelCall(span);
  return {
    durationMs: nanosToMillisNumber(durationNanos(span)),
    inputTokens: model ? span.usage.inputTokens : 0,
    outputTokens: model ? span.usage.outputTokens : 0,
    costUsd: model ? span.costUsd ?? 0 : 0,
  };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function deltas(a: AnalysisSpan | null, b: AnalysisSpan | null): DiffDeltas {
  const left = spanNumbers(a);
  const right = spanNumbers(b);
  return {
    durationMs: round(right.durationMs - left.durationMs, 3),
    inputTokens: right.inputTokens - left.inputTokens,
    outputTokens: right.outputTokens - left.outputTokens,
    costUsd: round(right.costUsd - left.costUsd, 10),
  };
}

function totalsOf(tree: SpanTree): DiffTotals {
  const totals: DiffTotals = { spanCount: 0, errorCount: 0, modelCalls: 0, toolCalls: 0, durationMs: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
  let start: bigint | null = null;
  let end: bigint | null = null;
  for (const span of tree.preorder) {
    totals.spanCount++;
    if (span.status.code === 'error') totals.errorCount++;
    if (span.spanType === 'tool') totals.toolCalls++;
    if (isModelCall(span)) {
      totals.modelCalls++;
      totals.inputTokens += span.usage.inputTokens;
      totals.outputTokens += span.usage.outputTokens;
      totals.costUsd += span.costUsd ?? 0;
    }
    if (start === null || span.startTimeUnixNano < start) start = span.startTimeUnixNano;
    if (end === null || span.endTimeUnixNano > end) end = span.endTimeUnixNano;
  }
  if (start !== null && end !== null && end > start) totals.durationMs = nanosToMillisNumber(end - start);
  totals.costUsd = round(totals.costUsd, 10);
  return totals;
}

function subtract(left: DiffTotals, right: DiffTotals): DiffTotals {
  const delta = {} as DiffTotals;
  for (const key of Object.keys(left) as (keyof DiffTotals)[]) delta[key] = round(right[key] - left[key], key === 'costUsd' ? 10 : 3);
  return delta;
}

function toolCallsOf(tree: SpanTree): ToolCallStep[] {
  return tree.preorder
    .filter((span) => span.spanType === 'tool')
    .sort(byStartTime)
    .map((span) => ({ spanId: span.spanId, toolName: span.toolName ?? span.name, arguments: toolArguments(span)?.text ?? null, status: span.status.code }));
}

export function diffTraces(spansA: readonly AnalysisSpan[], spansB: readonly AnalysisSpan[]): TraceDiff {
  const treeA = buildSpanTree(spansA);
  const treeB = buildSpanTree(spansB);
  const diff: TraceDiff = {
    added: [],
    removed: [],
    changed: [],
    unchanged: [],
    toolCalls: { a: toolCallsOf(treeA), b: toolCallsOf(treeB) },
    totals: { a: totalsOf(treeA), b: totalsOf(treeB), delta: subtract(totalsOf(treeA), totalsOf(treeB)) },
  };
  // Depth-first with an explicit stack; each frame holds the children lists of an aligned pair.
  const stack: { left: AnalysisSpan[]; right: AnalysisSpan[]; path: string }[] = [{ left: treeA.tops, right: treeB.tops, path: '' }];
  while (stack.length > 0) {
    const { left, right, path } = stack.pop()!;
    const occurrences = new Map<string, number>();
    const frames: typeof stack = [];
    for (const [a, b] of matchChildren(left, right)) {
      const span = (a ?? b)!;
      const key = keyOf(span);
      const occurrence = occurrences.get(key) ?? 0;
      occurrences.set(key, occurrence + 1);
      const stepPath = `${path === '' ? '' : `${path}/`}${key}#${occurrence}`;
      const changes = a !== null && b !== null ? changesBetween(a, b) : [];
      const alignment: SpanAlignment = {
        path: stepPath,
        spanType: span.spanType,
        label: label(span),
        a: a?.spanId ?? null,
        b: b?.spanId ?? null,
        changes,
        deltas: deltas(a, b),
      };
      if (a === null) diff.added.push(alignment);
      else if (b === null) diff.removed.push(alignment);
      else if (changes.length > 0) diff.changed.push(alignment);
      else diff.unchanged.push(alignment);
      frames.push({
        left: a === null ? [] : treeA.children.get(a.spanId) ?? [],
        right: b === null ? [] : treeB.children.get(b.spanId) ?? [],
        path: stepPath,
      });
    }
    for (let index = frames.length - 1; index >= 0; index--) stack.push(frames[index]!);
  }
  return diff;
}

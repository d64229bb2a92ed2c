// The arguments of a tool call as far as a span list shows them, and the "same or nearly the
// same" comparison the tool-loop detector and the trace diff use.
//
// Limit: TraceStore.getTrace omits attributes larger than the store's threshold (DuckDB: 1 KiB),
// so long arguments are only visible through the input preview, which is cut at 240 characters.
// A cut preview is compared exactly (no fuzzy match), and a call whose arguments are unknown is
// never "the same" as another.

import { PREVIEW_MAX_CHARS } from '@cairn/model';
import type { AnalysisSpan } from './analysis-span.js';

/** Attributes that carry tool-call arguments, by dialect, in precedence order. */
const ARGUMENT_ATTRIBUTES = [
  'gen_ai.tool.call.arguments',
  'ai.toolCall.args',
  'tool.parameters',
  'input.value',
  'traceloop.entity.input',
] as const;

export interface ToolArguments {
  /** Canonical text: JSON with sorted keys when the arguments parse as JSON, else trimmed text. */
  text: string;
  /** Parsed JSON value, or the text when it is not JSON. */
  value: unknown;
  /** True when only a cut preview was available. */
  truncated: boolean;
}

function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return Object.fromEntries(entries.map(([key, inner]) => [key, canonicalize(inner)]));
  }
  return value;
}

function fromText(raw: string, truncated: boolean): ToolArguments | null {
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  if (!truncated) {
    try {
      const value = canonicalize(JSON.parse(trimmed));
      return { text: JSON.stringify(value), value, truncated };
    } catch {
      // Not JSON: compare as text.
    }
  }
  return { text: trimmed, value: trimmed, truncated };
}

/** The span's tool-call arguments, or null when the span list does not show them. */
export function toolArguments(span: AnalysisSpan): ToolArguments | null {
  for (const key of ARGUMENT_ATTRIBUTES) {
    const value = span.attributes[key];
    if (typeof value === 'string') return fromText(value, false);
  }
  if (span.spanType !== 'tool' || span.inputPreview === '') return null;
  return fromText(span.inputPreview, span.inputPreview.length >= PREVIEW_MAX_CHARS - 1);
}

function normalizeText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Levenshtein similarity 1 - distance / longer length, with two rows of memory. */
export function textSimilarity(left: string, right: string): number {
  if (left === right) return 1;
  const longer = Math.max(left.length, right.length);
  if (longer === 0) return 1;
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  let current = new Array<number>(right.length + 1).fill(0);
  for (let row = 1; row <= left.length; row++) {
    current[0] = row;
    for (let column = 1; column <= right.length; column++) {
      const substitution = previous[column - 1]! + (left[row - 1] === right[column - 1] ? 0 : 1);
      current[column] = Math.min(previous[column]! + 1, current[column - 1]! + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return 1 - previous[right.length]! / longer;
}

const MIN_FUZZY_CHARS = 12;

function digitsOf(text: string): string {
  return (text.match(/\d+/g) ?? []).join(',');
}

/**
 * Two values are nearly the same when they have the same shape and every leaf matches: numbers,
 * booleans and short strings exactly (an order id or a city differs in a few characters but is
 * a different call), long strings after case and whitespace folding or by edit similarity — but
 * never when the numbers inside them differ ("page 2" is not "page 3").
 */
function nearlyEqualValues(left: unknown, right: unknown, minSimilarity: number): boolean {
  const pending: [unknown, unknown][] = [[left, right]];
  while (pending.length > 0) {
    const [a, b] = pending.pop()!;
    if (typeof a === 'string' && typeof b === 'string') {
      const foldedA = normalizeText(a);
      const foldedB = normalizeText(b);
      if (foldedA === foldedB) continue;
      if (Math.min(foldedA.length, foldedB.length) < MIN_FUZZY_CHARS) return false;
      if (digitsOf(foldedA) !== digitsOf(foldedB)) return false;
      if (textSimilarity(foldedA, foldedB) < minSimilarity) return false;
      continue;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) return false;
      for (let index = 0; index < a.length; index++) pending.push([a[index], b[index]]);
      continue;
    }
    if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
      const keysA = Object.keys(a);
      const keysB = Object.keys(b);
      if (keysA.length !== keysB.length || keysA.some((key, index) => key !== keysB[index])) return false;
      for (const key of keysA) pending.push([(a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]]);
      continue;
    }
    if (a !== b) return false;
  }
  return true;
}

/** Same or nearly the same arguments; false when either side is unknown. */
export function sameToolArguments(left: ToolArguments | null, right: ToolArguments | null, minSimilarity: number): boolean {
  if (left === null || right === null) return false;
  if (left.text === right.text) return true;
  if (left.truncated || right.truncated) return false;
  return nearlyEqualValues(left.value, right.value, minSimilarity);
}

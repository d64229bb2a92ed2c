// Root-cause hint for a failed trace: follow the failure down from the top. At each failed span,
// step into the child that failed (status error) or returned an error-like result and ended
// earliest — the first thing that went wrong under it — until a span has no such child:
//
//   agent   ✗ |================================|
//   llm       |====|                                  ok
//   search      ✗ |===|  "error": "timeout"           <- earliest failing child: descend
//     http        ✗ |=|  503                          <- deepest: the root cause
//   llm                |=====|                        ok
//   answer              ✗ |===|                       later failure, consequence
//
// A trace without any span in status error has no root cause (error-like outputs alone do not
// make a trace failed). When the top span did not fail (the error was handled), the search starts
// at the earliest-ending failed span that has no failed ancestor.

import type { AnalysisSpan } from './analysis-span.js';
import { nearestAncestors, quote, spanTarget } from './internal/span-facts.js';
import type { SpanTree } from './span-tree.js';

export interface RootCause {
  spanId: string;
  message: string;
}

/** Plain-text results such as "Error: order not found" or a Python traceback. */
const ERROR_TEXT = /^\s*((error|exception|fatal)\b\s*[:!-]|traceback \(most recent call last\))/i;
/** JSON results with a non-empty error field: {"error": "not found"}, not {"error": null}. */
const ERROR_FIELD = /"(error|exception|err)"\s*:(?!\s*(null\b|false\b|""|\{\}|\[\]))/i;

/** An error-like result: an error type, a failing HTTP status, or an output that reads as an error. */
export function isErrorLike(span: AnalysisSpan): boolean {
  if (span.status.code === 'error') return true;
  const errorType = span.attributes['error.type'];
  if (typeof errorType === 'string' && errorType !== '') return true;
  const httpStatus = span.attributes['http.response.status_code'];
  if ((typeof httpStatus === 'bigint' || typeof httpStatus === 'number') && Number(httpStatus) >= 400) return true;
  return ERROR_TEXT.test(span.outputPreview) || ERROR_FIELD.test(span.outputPreview);
}

const endsFirst = (left: AnalysisSpan, right: AnalysisSpan) =>
  left.endTimeUnixNano < right.endTimeUnixNano ? left : right.endTimeUnixNano < left.endTimeUnixNano ? right : left;

function describe(span: AnalysisSpan): string {
  const what = `${span.spanType} ${quote(spanTarget(span))}`;
  if (span.status.code === 'error') return `${what} failed${span.status.message === '' ? '' : `: ${quote(span.status.message, 200)}`}`;
  const errorType = span.attributes['error.type'];
  if (typeof errorType === 'string' && errorType !== '') return `${what} returned error ${quote(errorType)}`;
  return `${what} returned an error-like result: ${quote(span.outputPreview, 200)}`;
}

/**
 * The earliest-ending error-like child of `span`; when no child is error-like, the earliest-ending
 * error-like descendant — wrappers (an agent around a failing tool) often do not mark themselves
 * failed, and the failure below them is still the cause.
 */
function earliestFailureBelow(tree: SpanTree, span: AnalysisSpan): AnalysisSpan | null {
  const children = tree.children.get(span.spanId) ?? [];
  let next: AnalysisSpan | null = null;
  for (const child of children) if (isErrorLike(child)) next = next === null ? child : endsFirst(next, child);
  if (next !== null) return next;
  const pending = [...children];
  while (pending.length > 0) {
    const candidate = pending.pop()!;
    if (isErrorLike(candidate)) next = next === null ? candidate : endsFirst(next, candidate);
    else pending.push(...(tree.children.get(candidate.spanId) ?? []));
  }
  return next;
}

export function findRootCause(tree: SpanTree): RootCause | null {
  const failed = tree.preorder.filter((span) => span.status.code === 'error');
  if (failed.length === 0) return null;
  const failedTops = tree.tops.filter((span) => span.status.code === 'error');
  let start: AnalysisSpan | null = null;
  let handled = false;
  if (failedTops.length > 0) {
    start = tree.primaryRoot !== null && failedTops.includes(tree.primaryRoot) ? tree.primaryRoot : failedTops.reduce(endsFirst);
  } else {
    const nearestFailed = nearestAncestors(tree, (span) => span.status.code === 'error');
    const outermost = failed.filter((span) => nearestFailed.get(span.spanId) === null);
    start = outermost.reduce(endsFirst);
    handled = true;
  }
  let current = start;
  for (;;) {
    const next = earliestFailureBelow(tree, current);
    if (next === null) break;
    current = next;
  }
  const suffix = handled ? ' (the trace\'s top span did not fail: the error was handled or not propagated)' : '';
  return { spanId: current.spanId, message: describe(current) + suffix };
}

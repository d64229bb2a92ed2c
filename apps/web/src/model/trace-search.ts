// Search within one trace: which spans match a typed query. Matches name, type, model, agent,
// tool, service, status message and the input/output previews, case-insensitively.

import type { SpanNode, SpanTree } from './span-tree.js';

function haystack(node: SpanNode): string {
  const span = node.span;
  if (span === null) return `${node.spanId} (missing span)`;
  return [
    span.name,
    span.spanId,
    span.spanType,
    span.model ?? '',
    span.agentName ?? '',
    span.toolName ?? '',
    span.serviceName,
    span.status.code === 'error' ? `error ${span.status.message}` : '',
    span.inputPreview,
    span.outputPreview,
  ].join('\n').toLowerCase();
}

/** Ids of the spans that match, in tree pre-order (the order the user steps through them). */
export function searchTrace(tree: SpanTree, query: string): string[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [];
  const matches: string[] = [];
  const stack: SpanNode[] = [];
  for (let index = tree.roots.length - 1; index >= 0; index--) stack.push(tree.roots[index]!);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (haystack(node).includes(needle)) matches.push(node.spanId);
    for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]!);
  }
  return matches;
}

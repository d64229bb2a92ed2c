// Writes the tree view (trace-tree-schemas.ts): one array per span in TREE_FIELD_NAMES order,
// serialized by a single JSON.stringify without a replacer (times are already decimal strings),
// ~50 ms for 20,000 spans. A replacer walking every value (stringifyJson, for bigint attributes)
// or per-row string templates cost several times that.

import { durationMillis, SPAN_KIND_NAMES } from '@cairn/model';
import type { TraceTreeDetail, TraceTreeRows, TreeSpan } from '@cairn/storage';
import type { ApiPlaceholderRecord } from './api-schemas.js';
import { toApiTraceSummary } from './shape-records.js';
import { TREE_FIELD_NAMES } from './trace-tree-schemas.js';

type Cell = string | number | boolean | null | [string, string][];

/** One row, cells in TREE_FIELD_NAMES order. JSON.stringify writes non-finite numbers as null. */
function treeRow(span: TreeSpan): Cell[] {
  const usage = span.usage;
  return [
    span.spanId,
    span.parentSpanId,
    span.name,
    SPAN_KIND_NAMES[span.kind] ?? 'UNSPECIFIED',
    span.spanType,
    span.serviceName,
    span.startTimeUnixNano.toString(),
    span.endTimeUnixNano.toString(),
    durationMillis(span.startTimeUnixNano, span.endTimeUnixNano),
    span.status.code,
    span.status.message,
    span.model,
    span.provider,
    span.operation,
    span.agentName,
    span.toolName,
    usage.inputTokens,
    usage.outputTokens,
    usage.cacheReadTokens,
    usage.cacheWriteTokens,
    usage.reasoningTokens,
    span.costUsd,
    span.inputPreview,
    span.outputPreview,
    span.live === true,
    span.events.length === 0 ? null : span.events.map((event): [string, string] => [event.timeUnixNano.toString(), event.name]),
  ];
}

export function traceTreeJson(tree: TraceTreeDetail, placeholders: readonly ApiPlaceholderRecord[]): string {
  return JSON.stringify({
    summary: toApiTraceSummary(tree.summary),
    placeholders,
    fields: TREE_FIELD_NAMES,
    rows: tree.spans.map(treeRow),
  });
}

/**
 * The tree view of rows a store built (TraceStore.getTraceTreeView), spliced in as they are:
 * for 20,000 spans this writes ~10 MB without parsing or serializing any row.
 */
export function traceTreeRowsJson(tree: TraceTreeRows): string {
  const head = JSON.stringify({ summary: toApiTraceSummary(tree.summary), placeholders: tree.missingParents, fields: TREE_FIELD_NAMES });
  return `${head.slice(0, -1)},"rows":[${tree.rowsJson}]}`;
}

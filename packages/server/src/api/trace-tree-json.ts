// Writes the tree view (trace-tree-schemas.ts) as JSON text directly: one template per row with
// JSON.stringify for strings only, so 20,000 spans serialize in tens of milliseconds without a
// replacer walking every value (stringifyJson's bigint handling is not needed: times are strings).

import { durationMillis, SPAN_KIND_NAMES } from '@cairn/model';
import type { TraceTreeDetail, TreeSpan } from '@cairn/storage';
import type { ApiPlaceholderRecord } from './api-schemas.js';
import { toApiTraceSummary } from './shape-records.js';
import { TREE_FIELD_NAMES } from './trace-tree-schemas.js';

const text = JSON.stringify as (value: string) => string;

function optionalText(value: string | null): string {
  return value === null ? 'null' : text(value);
}

/** JSON has no NaN or infinities; those (never expected here) become null. */
function numberCell(value: number | null): string {
  return value !== null && Number.isFinite(value) ? String(value) : 'null';
}

function eventsCell(span: TreeSpan): string {
  if (span.events.length === 0) return 'null';
  return `[${span.events.map((event) => `["${event.timeUnixNano}",${text(event.name)}]`).join(',')}]`;
}

/** One row, cells in TREE_FIELD_NAMES order. */
function treeRow(span: TreeSpan): string {
  const usage = span.usage;
  return (
    `[${text(span.spanId)},${optionalText(span.parentSpanId)},${text(span.name)},"${SPAN_KIND_NAMES[span.kind] ?? 'UNSPECIFIED'}",` +
    `${text(span.spanType)},${text(span.serviceName)},"${span.startTimeUnixNano}","${span.endTimeUnixNano}",` +
    `${numberCell(durationMillis(span.startTimeUnixNano, span.endTimeUnixNano))},"${span.status.code}",${text(span.status.message)},` +
    `${optionalText(span.model)},${optionalText(span.provider)},${optionalText(span.operation)},${optionalText(span.agentName)},${optionalText(span.toolName)},` +
    `${numberCell(usage.inputTokens)},${numberCell(usage.outputTokens)},${numberCell(usage.cacheReadTokens)},${numberCell(usage.cacheWriteTokens)},${numberCell(usage.reasoningTokens)},` +
    `${numberCell(span.costUsd)},${text(span.inputPreview)},${text(span.outputPreview)},${span.live === true},${eventsCell(span)}]`
  );
}

export function traceTreeJson(tree: TraceTreeDetail, placeholders: readonly ApiPlaceholderRecord[]): string {
  const rows = tree.spans.map(treeRow);
  return `{"summary":${JSON.stringify(toApiTraceSummary(tree.summary))},"placeholders":${JSON.stringify(placeholders)},"fields":${JSON.stringify(TREE_FIELD_NAMES)},"rows":[${rows.join(',')}]}`;
}

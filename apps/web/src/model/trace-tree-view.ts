// The trace view's data from the API's tree view (GET /traces/{id}?view=tree): rows of named
// cells back to span objects the tree, waterfall, graph and search read. Cells are looked up
// by field name once, so fields the server adds later are ignored.

import type { ApiEventMark, ApiSpan, ApiTraceDetail, ApiTraceTree, SpanType } from '../api/api-types.js';

const REQUIRED = [
  'spanId', 'parentSpanId', 'name', 'kind', 'spanType', 'serviceName', 'startTimeUnixNano', 'endTimeUnixNano',
  'durationMs', 'statusCode', 'statusMessage', 'model', 'provider', 'operation', 'agentName', 'toolName',
  'inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens', 'costUsd',
  'inputPreview', 'outputPreview', 'live', 'events',
] as const;

type Field = (typeof REQUIRED)[number];

export class TreeViewFormatError extends Error {
  override readonly name = 'TreeViewFormatError';
}

/** The tree view as the trace view's ApiTraceDetail (spans in the server's start-time order). */
export function traceDetailOfTreeView(tree: ApiTraceTree): ApiTraceDetail {
  const at = {} as Record<Field, number>;
  for (const field of REQUIRED) {
    const index = tree.fields.indexOf(field);
    if (index < 0) throw new TreeViewFormatError(`the trace's tree view has no "${field}" field`);
    at[field] = index;
  }
  const traceId = tree.summary.traceId;
  const spans: ApiSpan[] = new Array<ApiSpan>(tree.rows.length);
  for (let index = 0; index < tree.rows.length; index++) {
    const row = tree.rows[index]!;
    const cell = <T>(field: Field) => row[at[field]] as T;
    const events = cell<[string, string][] | null>('events');
    spans[index] = {
      traceId,
      spanId: cell('spanId'),
      parentSpanId: cell('parentSpanId'),
      name: cell('name'),
      kind: cell('kind'),
      spanType: cell<SpanType>('spanType'),
      serviceName: cell('serviceName'),
      startTimeUnixNano: cell('startTimeUnixNano'),
      endTimeUnixNano: cell('endTimeUnixNano'),
      durationMs: cell('durationMs'),
      status: { code: cell('statusCode'), message: cell('statusMessage') },
      model: cell('model'),
      provider: cell('provider'),
      operation: cell('operation'),
      agentName: cell('agentName'),
      toolName: cell('toolName'),
      usage: {
        inputTokens: cell('inputTokens'),
        outputTokens: cell('outputTokens'),
        cacheReadTokens: cell('cacheReadTokens'),
        cacheWriteTokens: cell('cacheWriteTokens'),
        reasoningTokens: cell('reasoningTokens'),
      },
      costUsd: cell('costUsd'),
      inputPreview: cell('inputPreview'),
      outputPreview: cell('outputPreview'),
      live: cell<boolean>('live'),
      events: events === null ? [] : events.map(([timeUnixNano, name]): ApiEventMark => ({ timeUnixNano, name })),
    };
  }
  return { summary: tree.summary, spans, placeholders: tree.placeholders };
}

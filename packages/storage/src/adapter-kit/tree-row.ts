// One row of the tree view (getTrace with { view: 'tree' }) as both adapters select it: the
// same 26 cells in the same order (their trace-tree-read.ts), decoded once here.

import type { SpanType } from '@cairn/model';
import { STATUS_CODE_NAMES } from '@cairn/model';
import type { SpanEventMark, TreeSpan } from '../trace-tree.js';

/**
 * Cells: span_id, parent_span_id, name, kind, span_type, service_name, start_ns, end_ns (decimal
 * strings), status_code, status_message, model, provider, operation, agent_name, tool_name, the
 * five token counts and cost (numbers; `number` reads the engine's form, e.g. "nan" strings),
 * input_preview, output_preview, [events: decoded by the caller], session_id, user_id.
 */
export function treeSpanOfRow(projectId: string, traceId: string, row: readonly unknown[], number: (cell: unknown) => number, events: SpanEventMark[]): TreeSpan {
  const parent = row[1] as string | null;
  const cost = row[20];
  return {
    projectId,
    traceId,
    spanId: row[0] as string,
    parentSpanId: parent === '' ? null : parent,
    name: row[2] as string,
    kind: Number(row[3]),
    spanType: row[4] as SpanType,
    serviceName: row[5] as string,
    startTimeUnixNano: BigInt(row[6] as string),
    endTimeUnixNano: BigInt(row[7] as string),
    status: { code: STATUS_CODE_NAMES[Number(row[8])] ?? 'unset', message: row[9] as string },
    model: row[10] as string | null,
    provider: row[11] as string | null,
    operation: row[12] as string | null,
    agentName: row[13] as string | null,
    toolName: row[14] as string | null,
    sessionId: row[24] as string | null,
    userId: row[25] as string | null,
    usage: {
      inputTokens: number(row[15]),
      outputTokens: number(row[16]),
      cacheReadTokens: number(row[17]),
      cacheWriteTokens: number(row[18]),
      reasoningTokens: number(row[19]),
    },
    costUsd: cost === null ? null : number(cost),
    inputPreview: row[21] as string,
    outputPreview: row[22] as string,
    events,
  };
}

function byTime(a: SpanEventMark, b: SpanEventMark): number {
  return a.timeUnixNano < b.timeUnixNano ? -1 : a.timeUnixNano > b.timeUnixNano ? 1 : 0;
}

/** Adds to each span the event marks that arrived apart from it (by span id), in time order. */
export function mergeDetachedMarks(spans: TreeSpan[], marks: ReadonlyMap<string, SpanEventMark[]>): void {
  if (marks.size === 0) return;
  for (const span of spans) {
    const extra = marks.get(span.spanId);
    // Array#sort is stable: events with equal times keep the span's own first.
    if (extra) span.events = [...span.events, ...extra].sort(byTime);
  }
}

/** (span id, time as decimal text, name) rows of detached events as marks by span id. */
export function detachedMarksOfRows(rows: readonly (readonly unknown[])[]): Map<string, SpanEventMark[]> {
  const marks = new Map<string, SpanEventMark[]>();
  for (const [spanId, time, name] of rows as [string, string, string][]) {
    const list = marks.get(spanId) ?? [];
    list.push({ timeUnixNano: BigInt(time), name });
    marks.set(spanId, list);
  }
  return marks;
}

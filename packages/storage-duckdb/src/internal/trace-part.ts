// A trace's spans arrive over several batches. Each written batch adds one partial summary row
// per trace (trace_parts); reads aggregate the parts (trace-summary-sql.ts). Token and cost
// totals count single model calls only (span types llm and embedding), so a wrapper span that
// repeats its children's usage is never counted twice.

import type { SpanRecord } from '@cairn/model';
import { traceKeyOf } from './trace-key.js';
import type { CellValue, TableColumns } from './worker-protocol.js';

/** What a trace part needs of a span (read back from its encoded row: partSpansOfRows). */
export type PartSpan = Pick<
  SpanRecord,
  | 'projectId'
  | 'traceId'
  | 'spanId'
  | 'name'
  | 'parentSpanId'
  | 'startTimeUnixNano'
  | 'endTimeUnixNano'
  | 'status'
  | 'spanType'
  | 'usage'
  | 'costUsd'
  | 'model'
  | 'agentName'
  | 'toolName'
  | 'provider'
  | 'serviceName'
  | 'sessionId'
  | 'userId'
  | 'receivedUnixNano'
>;

export interface TracePart {
  projectId: string;
  traceId: string;
  minStart: bigint;
  maxStart: bigint;
  maxEnd: bigint;
  maxReceived: bigint;
  root: PartSpan | null;
  first: PartSpan;
  spanCount: number;
  errorCount: number;
  llmCalls: number;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  models: Set<string>;
  agents: Set<string>;
  tools: Set<string>;
  services: Set<string>;
  spanTypes: Set<string>;
  providers: Set<string>;
  session: PartSpan | null;
  user: PartSpan | null;
}

function isEarlier(candidate: PartSpan, current: PartSpan | null): boolean {
  return current === null || candidate.startTimeUnixNano < current.startTimeUnixNano;
}

function newPart(span: PartSpan): TracePart {
  return {
    projectId: span.projectId,
    traceId: span.traceId,
    minStart: span.startTimeUnixNano,
    maxStart: span.startTimeUnixNano,
    maxEnd: span.endTimeUnixNano,
    maxReceived: span.receivedUnixNano,
    root: null,
    first: span,
    spanCount: 0,
    errorCount: 0,
    llmCalls: 0,
    toolCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    models: new Set(),
    agents: new Set(),
    tools: new Set(),
    services: new Set(),
    spanTypes: new Set(),
    providers: new Set(),
    session: null,
    user: null,
  };
}

function addSpan(part: TracePart, span: PartSpan): void {
  const start = span.startTimeUnixNano;
  if (start < part.minStart) part.minStart = start;
  if (start > part.maxStart) part.maxStart = start;
  if (span.endTimeUnixNano > part.maxEnd) part.maxEnd = span.endTimeUnixNano;
  if (span.receivedUnixNano > part.maxReceived) part.maxReceived = span.receivedUnixNano;
  if (span.parentSpanId === null && isEarlier(span, part.root)) part.root = span;
  if (isEarlier(span, part.first)) part.first = span;
  part.spanCount += 1;
  if (span.status.code === 'error') part.errorCount += 1;
  if (span.spanType === 'llm') part.llmCalls += 1;
  if (span.spanType === 'tool') part.toolCalls += 1;
  if (span.spanType === 'llm' || span.spanType === 'embedding') {
    part.inputTokens += span.usage.inputTokens;
    part.outputTokens += span.usage.outputTokens;
    part.costUsd += span.costUsd ?? 0;
  }
  if (span.model !== null) part.models.add(span.model);
  if (span.agentName !== null) part.agents.add(span.agentName);
  if (span.toolName !== null) part.tools.add(span.toolName);
  if (span.provider !== null) part.providers.add(span.provider);
  part.services.add(span.serviceName);
  part.spanTypes.add(span.spanType);
  if (span.sessionId !== null && isEarlier(span, part.session)) part.session = span;
  if (span.userId !== null && isEarlier(span, part.user)) part.user = span;
}

/** One part per (project, trace) of the accepted spans. */
export function buildTraceParts(spans: readonly PartSpan[]): TracePart[] {
  const parts = new Map<string, TracePart>();
  for (const span of spans) {
    const key = `${span.projectId}\u0000${span.traceId}`;
    let part = parts.get(key);
    if (!part) {
      part = newPart(span);
      parts.set(key, part);
    }
    addSpan(part, span);
  }
  return [...parts.values()];
}

/** One row in the trace_parts table's column order (schema.ts). */
export function tracePartCells(part: TracePart, batchSeq: bigint): CellValue[] {
  return [
    part.projectId,
    part.traceId,
    part.minStart,
    part.maxStart,
    part.maxEnd,
    part.root !== null,
    part.root?.name ?? null,
    part.root?.serviceName ?? null,
    part.first.serviceName,
    part.spanCount,
    part.errorCount,
    part.llmCalls,
    part.toolCalls,
    part.inputTokens,
    part.outputTokens,
    part.costUsd,
    [...part.models],
    [...part.agents],
    [...part.tools],
    [...part.services],
    [...part.spanTypes],
    [...part.providers],
    part.session?.sessionId ?? null,
    part.session?.startTimeUnixNano ?? null,
    part.user?.userId ?? null,
    part.user?.startTimeUnixNano ?? null,
    batchSeq,
    part.maxReceived,
    traceKeyOf(part.traceId),
  ];
}

export const TRACE_PART_COLUMNS = 29;

/** [trace id, min start, max start] of each trace_parts row (tracePartCells' cells 1–3). */
export function* partExtents(rows: TableColumns): Iterable<[string, bigint, bigint]> {
  const [, traceIds, minStarts, maxStarts] = rows.columns;
  if (!Array.isArray(traceIds) || !Array.isArray(minStarts) || !Array.isArray(maxStarts)) throw new Error('trace_parts rows hold cells, not column buffers');
  for (let row = 0; row < rows.rowCount; row++) yield [traceIds[row] as string, minStarts[row] as bigint, maxStarts[row] as bigint];
}
/** Position of batch_seq in tracePartCells. */
export const TRACE_PART_SEQ_COLUMN = 26;

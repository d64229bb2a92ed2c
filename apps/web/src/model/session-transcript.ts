// A session read as one conversation: each trace is a turn, the user's input and the agent's
// final answer. The input comes from the root span when the framework recorded it there, else
// from the last user message sent to the trace's first model call; the answer from the root
// span, else from the last assistant text of the last model call to finish.

import type { ApiSpan, ApiSpanDetail, ApiTraceSummary } from '../api/api-types.js';
import { isMessageList } from './chat-transcript.js';

export interface TurnSpans {
  rootSpanId: string | null;
  firstLlmSpanId: string | null;
  lastLlmSpanId: string | null;
}

function startNs(span: ApiSpan): bigint {
  return BigInt(span.startTimeUnixNano);
}

function answered(span: ApiSpan): number {
  return span.status.code === 'error' ? 0 : 1;
}

/** The spans whose payloads hold a turn's input and answer. */
export function pickTurnSpans(spans: readonly ApiSpan[]): TurnSpans {
  const ids = new Set(spans.map((span) => span.spanId));
  let root: ApiSpan | null = null;
  let firstLlm: ApiSpan | null = null;
  let lastLlm: ApiSpan | null = null;
  for (const span of spans) {
    const isRoot = span.parentSpanId === null || !ids.has(span.parentSpanId);
    if (isRoot && (root === null || startNs(span) < startNs(root))) root = span;
    if (span.spanType !== 'llm') continue;
    if (firstLlm === null || startNs(span) < startNs(firstLlm)) firstLlm = span;
    // The answer is the last call to finish; a failed call did not answer.
    const better =
      lastLlm === null ||
      answered(span) > answered(lastLlm) ||
      (answered(span) === answered(lastLlm) && BigInt(span.endTimeUnixNano) > BigInt(lastLlm.endTimeUnixNano));
    if (better) lastLlm = span;
  }
  return { rootSpanId: root?.spanId ?? null, firstLlmSpanId: firstLlm?.spanId ?? null, lastLlmSpanId: lastLlm?.spanId ?? null };
}

function messageText(payload: unknown, role: string, fromEnd: boolean): string | null {
  if (typeof payload === 'string') return payload.trim() === '' ? null : payload;
  if (!isMessageList(payload)) return null;
  const list = fromEnd ? [...payload].reverse() : payload;
  for (const message of list) {
    if (message.role !== role) continue;
    const text = message.parts
      .filter((part) => part.type === 'text')
      .map((part) => part.text)
      .join('\n')
      .trim();
    if (text !== '') return text;
  }
  return null;
}

export interface TurnPayloads {
  root: ApiSpanDetail | null;
  firstLlm: ApiSpanDetail | null;
  lastLlm: ApiSpanDetail | null;
}

export interface ConversationTurn {
  traceId: string;
  startTime: string;
  userText: string | null;
  assistantText: string | null;
  /** The trace failed (some span has status error). */
  failed: boolean;
}

export function buildConversationTurn(trace: ApiTraceSummary, payloads: TurnPayloads): ConversationTurn {
  const { root, firstLlm, lastLlm } = payloads;
  const userText =
    messageText(root?.input, 'user', true) ?? messageText(firstLlm?.input, 'user', true) ?? nonEmpty(root?.inputPreview) ?? nonEmpty(firstLlm?.inputPreview);
  const assistantText =
    messageText(root?.output, 'assistant', true) ?? messageText(lastLlm?.output, 'assistant', true) ?? nonEmpty(root?.outputPreview) ?? nonEmpty(lastLlm?.outputPreview);
  return { traceId: trace.traceId, startTime: trace.startTime, userText, assistantText, failed: trace.errorCount > 0 };
}

function nonEmpty(text: string | undefined): string | null {
  return text === undefined || text.trim() === '' ? null : text;
}

/** A session's traces in the order they ran (the API lists newest first). */
export function tracesInConversationOrder(traces: readonly ApiTraceSummary[]): ApiTraceSummary[] {
  return [...traces].sort((a, b) => {
    const left = BigInt(a.startTimeUnixNano);
    const right = BigInt(b.startTimeUnixNano);
    return left < right ? -1 : left > right ? 1 : a.traceId.localeCompare(b.traceId);
  });
}

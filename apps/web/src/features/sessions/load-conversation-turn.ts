// Loads what one turn of a session's conversation needs: the trace's span list, then the
// payloads of its root span and of its first and last model calls (only those, never the rest).

import { fetchSpanDetail, fetchTrace } from '../../api/api-client.js';
import type { ApiSpanDetail, ApiTraceSummary } from '../../api/api-types.js';
import { buildConversationTurn, pickTurnSpans, type ConversationTurn } from '../../model/session-transcript.js';

export async function loadConversationTurn(trace: ApiTraceSummary, signal: AbortSignal): Promise<ConversationTurn> {
  const detail = await fetchTrace(trace.traceId, signal);
  const picked = pickTurnSpans(detail.spans);
  const ids = [...new Set([picked.rootSpanId, picked.firstLlmSpanId, picked.lastLlmSpanId].filter((id): id is string => id !== null))];
  const details = new Map<string, ApiSpanDetail>();
  await Promise.all(ids.map(async (spanId) => details.set(spanId, await fetchSpanDetail(trace.traceId, spanId, signal))));
  const of = (spanId: string | null) => (spanId === null ? null : (details.get(spanId) ?? null));
  return buildConversationTurn(trace, { root: of(picked.rootSpanId), firstLlm: of(picked.firstLlmSpanId), lastLlm: of(picked.lastLlmSpanId) });
}

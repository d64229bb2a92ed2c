// Keeps the stored previews (what full-text search and the trace view read) in step with messages
// that arrive apart from their span as OTLP log records (gen_ai.user.message, gen_ai.choice,
// gen_ai.client.inference.operation.details…): after a write that brought either half, the
// previews of the spans concerned are derived again with those events, and changed ones are
// stored as replacement rows (span-rewrite.ts). Only batches with gen_ai.* detached events, or
// with model calls missing a preview, read anything.

import type { SpanRecord } from '@cairn/model';
import { deriveSpanContent } from '@cairn/semantic';
import type { StoredSpan, WriteBatch } from '@cairn/storage';
import type { ClickHouseSpanRewrite, SpanKey } from './span-rewrite.js';
import { spanKey } from './span-rewrite.js';

function isCandidate(span: SpanRecord): boolean {
  return (span.spanType === 'llm' || span.spanType === 'embedding') && (span.inputPreview === '' || span.outputPreview === '');
}

/** Derives the previews of the batch's affected spans again and stores the changed ones. */
export async function refreshPreviews(rewrite: ClickHouseSpanRewrite, batch: WriteBatch): Promise<void> {
  const keys = new Map<string, SpanKey>();
  for (const { projectId, traceId, spanId, event } of batch.events) {
    if (event.name.startsWith('gen_ai.')) keys.set(spanKey(projectId, traceId, spanId), { projectId, traceId, spanId });
  }
  const waiting = batch.spans.filter(isCandidate);
  if (waiting.length > 0) {
    const events = await rewrite.detachedEvents([...new Set(waiting.map((span) => span.traceId))]);
    for (const { projectId, traceId, spanId } of waiting) {
      const key = spanKey(projectId, traceId, spanId);
      if (events.get(key)?.some((event) => event.name.startsWith('gen_ai.'))) keys.set(key, { projectId, traceId, spanId });
    }
  }
  if (keys.size === 0) return;
  const changed: StoredSpan[] = [];
  for (const span of await rewrite.readByKeys([...keys.values()])) {
    const derived = deriveSpanContent(span);
    const inputPreview = derived.inputPreview === '' ? span.inputPreview : derived.inputPreview;
    const outputPreview = derived.outputPreview === '' ? span.outputPreview : derived.outputPreview;
    if (inputPreview !== span.inputPreview || outputPreview !== span.outputPreview) changed.push({ ...span, inputPreview, outputPreview });
  }
  if (changed.length > 0) await rewrite.replace(changed, null);
}

// Keeps the stored previews (what full-text search and the trace view read) in step with messages
// that arrive apart from their span as OTLP log records (gen_ai.user.message, gen_ai.choice,
// gen_ai.client.inference.operation.details…). getSpan derives the full input/output with those
// events at read time; the previews are stored, so they are derived again here, after the write
// that brought either half:
//   - a batch with gen_ai.* detached events → their spans, when stored;
//   - a batch with model calls missing a preview → those spans, when detached events exist.
// Nothing is read on ingest unless a batch has one of those, so batches of spans that carry their
// own messages (current instrumentations) cost one loop over the records.

import type { SpanRecord } from '@cairn/model';
import { deriveSpanContent } from '@cairn/semantic';
import type { WriteBatch } from '@cairn/storage';
import type { DuckDbSpanRewrite, SpanKey } from './span-rewrite.js';
import { detachedEventsOf, spanKey } from './span-rewrite.js';
import type { SqlParams } from './sql-params.js';

type Row = unknown[];
type RunSql = (sql: string, params: SqlParams) => Promise<Row[]>;

/** Spans of a batch whose previews may change once written (taken at prepare: the records may go). */
export interface PreviewCandidates {
  /** Spans that received gen_ai.* detached events in this batch. */
  withEvents: SpanKey[];
  /** Model calls of this batch without an input or output preview. */
  withoutPreview: SpanKey[];
}

function isCandidate(span: SpanRecord): boolean {
  return (span.spanType === 'llm' || span.spanType === 'embedding') && (span.inputPreview === '' || span.outputPreview === '');
}

/** The batch's candidates, or null when none of its spans needs a look. */
export function previewCandidatesOf(batch: WriteBatch): PreviewCandidates | null {
  const withEvents: SpanKey[] = [];
  for (const { projectId, traceId, spanId, event } of batch.events) {
    if (event.name.startsWith('gen_ai.')) withEvents.push({ projectId, traceId, spanId });
  }
  const withoutPreview: SpanKey[] = [];
  for (const span of batch.spans) {
    if (isCandidate(span)) withoutPreview.push({ projectId: span.projectId, traceId: span.traceId, spanId: span.spanId });
  }
  return withEvents.length > 0 || withoutPreview.length > 0 ? { withEvents, withoutPreview } : null;
}

export class DuckDbPreviewRefresh {
  constructor(
    private readonly rewrite: DuckDbSpanRewrite,
    /** A read on the writer connection (the caller holds the write turn). */
    private readonly write: RunSql,
  ) {}

  /** After the batches of these candidates were written, inside the same write turn. */
  async refresh(batches: readonly PreviewCandidates[]): Promise<void> {
    const keys = new Map<string, SpanKey>();
    const waiting: SpanKey[] = [];
    for (const candidates of batches) {
      for (const key of candidates.withEvents) keys.set(spanKey(key.projectId, key.traceId, key.spanId), key);
      waiting.push(...candidates.withoutPreview);
    }
    if (waiting.length > 0) {
      const events = await detachedEventsOf(this.write, [...new Set(waiting.map((key) => key.traceId))]);
      for (const key of waiting) {
        const id = spanKey(key.projectId, key.traceId, key.spanId);
        if (events.get(id)?.some((event) => event.name.startsWith('gen_ai.'))) keys.set(id, key);
      }
    }
    if (keys.size === 0) return;
    const previews: (SpanKey & { inputPreview: string; outputPreview: string })[] = [];
    for (const span of await this.rewrite.readByKeys([...keys.values()])) {
      const derived = deriveSpanContent(span);
      const inputPreview = derived.inputPreview === '' ? span.inputPreview : derived.inputPreview;
      const outputPreview = derived.outputPreview === '' ? span.outputPreview : derived.outputPreview;
      if (inputPreview === span.inputPreview && outputPreview === span.outputPreview) continue;
      previews.push({ projectId: span.projectId, traceId: span.traceId, spanId: span.spanId, inputPreview, outputPreview });
    }
    await this.rewrite.updatePreviews(previews);
  }
}

// `cairn renormalize`: re-applies the current normalizer (NORMALIZER_VERSION) to stored spans
// from their raw attributes, so improved dialect rules and prices reach data already stored.

import type { WireSpan } from '@cairn/model';
import type { PricingContext } from '@cairn/semantic';
import { demoteToWrapper, demoteWrappingModelCalls, isDemotedWrapper, NORMALIZER_VERSION, normalizeSpan } from '@cairn/semantic';
import type { StoredSpan, TraceStore } from '@cairn/storage';
import type { CommandIo } from '../rewrite-options.js';
import { parseRewriteOptions } from '../rewrite-options.js';

const BATCH_SPANS = 1_000;

export async function renormalize(args: string[], io: CommandIo): Promise<number> {
  const options = await parseRewriteOptions(args, io, false);
  const store = await io.openStore(options.config);
  try {
    const summary = await renormalizeSpans(store, options);
    io.stdout(
      `spans scanned: ${summary.scanned}\n` +
        `re-normalized to version ${NORMALIZER_VERSION}: ${summary.changed}` +
        (options.dryRun ? ' (dry run: nothing written)\n' : `, ${summary.updated} updated\n`),
    );
    return 0;
  } finally {
    await store.close();
  }
}

export interface RenormalizeSummary {
  scanned: number;
  /** Spans whose semantic fields differ under the current normalizer. */
  changed: number;
  updated: number;
}

/**
 * Normalizes stored spans again from their raw fields. Spans already at NORMALIZER_VERSION are
 * skipped unless `all` (e.g. to apply new custom prices, though `prices recompute` is cheaper).
 */
export async function renormalizeSpans(
  store: Pick<TraceStore, 'scanSpans' | 'updateSpanSemantics'>,
  options: { projectId?: string; fromUnixNano: bigint; toUnixNano: bigint; pricing: PricingContext; dryRun: boolean; all: boolean },
): Promise<RenormalizeSummary> {
  const summary: RenormalizeSummary = { scanned: 0, changed: 0, updated: 0 };
  const scan = store.scanSpans({
    projectId: options.projectId,
    fromUnixNano: options.fromUnixNano,
    toUnixNano: options.toUnixNano,
    normalizerVersionBelow: options.all ? undefined : NORMALIZER_VERSION,
    batchSize: BATCH_SPANS,
  });
  for await (const batch of scan) {
    const records: StoredSpan[] = [];
    for (const span of batch) {
      summary.scanned++;
      const { input: _input, output: _output, ...record } = normalizeSpan(wireSpanOf(span), {
        projectId: span.projectId,
        receivedUnixNano: span.receivedUnixNano,
        pricing: options.pricing,
      });
      // One span alone cannot tell it wraps a nested model call: keep the store's demotion, and
      // find nested pairs within the batch (spans stored before the rule existed).
      if (isDemotedWrapper(span) && (record.spanType === 'llm' || record.spanType === 'embedding')) demoteToWrapper(record);
      records.push(record);
    }
    demoteWrappingModelCalls(records);
    const changed = records.filter((record, index) => !sameSemantics(batch[index]!, record));
    summary.changed += changed.length;
    if (!options.dryRun && changed.length > 0) summary.updated += (await store.updateSpanSemantics(changed, NORMALIZER_VERSION)).updated;
  }
  return summary;
}

/** The raw half of a stored span, field by field (a spread would carry the old semantics along). */
function wireSpanOf(span: StoredSpan): WireSpan {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    traceState: span.traceState,
    flags: span.flags,
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    attributes: span.attributes,
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events,
    droppedEventsCount: span.droppedEventsCount,
    links: span.links,
    droppedLinksCount: span.droppedLinksCount,
    // The status as sent: the stored one may be the semantic layer's (Langfuse level=ERROR).
    status: span.rawStatus ?? span.status,
    resource: span.resource,
    scope: span.scope,
  };
}

/** Compares every field but the raw ones (which are the same objects) by value. */
function sameSemantics(stored: StoredSpan, fresh: StoredSpan): boolean {
  const keys = new Set([...Object.keys(stored), ...Object.keys(fresh)]);
  for (const key of keys) {
    const a = (stored as unknown as Record<string, unknown>)[key];
    const b = (fresh as unknown as Record<string, unknown>)[key];
    if (a === b) continue;
    if (JSON.stringify(a, bigintText) !== JSON.stringify(b, bigintText)) return false;
  }
  return true;
}

function bigintText(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

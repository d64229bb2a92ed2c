// Lets a store keep a span's input/output as "derive again from the raw attributes" instead of a
// second copy of the message text: on the ingest path the canonical messages repeat the
// gen_ai.*.messages attributes almost byte for byte, so storing both doubles the bytes every
// span costs to encode, append, log and compress. Reads derive them again (~10–20 µs per span).

import type { SpanRecord, WireSpan } from '@cairn/model';
import { isMarkedDerived } from './internal/derived-records.js';
import { normalizeSpan } from './normalize-span.js';

export interface SpanContentValues {
  input: unknown;
  output: unknown;
  /** Previews of the derived input/output: with detached events merged in they can be newer than the stored ones. */
  inputPreview: string;
  outputPreview: string;
}

/**
 * True when `record` is a SpanRecord returned by normalizeSpan (not a copy), so its input and
 * output equal deriveSpanContent(record) as long as its attributes and events are not changed.
 */
export function hasDerivedContent(record: SpanRecord): boolean {
  return isMarkedDerived(record);
}

const DERIVE_CONTEXT = { projectId: '', receivedUnixNano: 0n };

/**
 * The canonical input/output normalizeSpan gives a span with these attributes and events. Pass
 * the span with its detached events (OTLP log records merged in at read time) to get the
 * messages those carry: for legacy gen_ai.*.message / gen_ai.choice records and the
 * gen_ai.client.inference.operation.details records the span itself has none.
 */
export function deriveSpanContent(span: WireSpan): SpanContentValues {
  const record = normalizeSpan(span, DERIVE_CONTEXT);
  return { input: record.input, output: record.output, inputPreview: record.inputPreview, outputPreview: record.outputPreview };
}

// The optional semantic fields of a span (added to SpanSemantics after the stores' columns were
// laid out) as one compact JSON text, so a store keeps them in a single column and returns them
// exactly: a field absent from the record stays absent, null stays null.
//
// Format: a JSON object of the present fields. `"~":1` means "every field not listed is present
// with its default" ([] or null) — what normalizeSpan gives most spans — so the common record
// encodes to the constant `{"~":1}` without JSON.stringify, and a model call to a few bytes more.
// Non-finite numbers (JSON has none) are written as strings "NaN", "Infinity", "-Infinity".

import type { SpanRecord, SpanSemantics } from '@cairn/model';

type ExtraKey =
  | 'finishReasons'
  | 'timeToFirstTokenMs'
  | 'promptName'
  | 'promptVersion'
  | 'agentId'
  | 'errorType'
  | 'retrievalDocuments'
  | 'tags'
  | 'rawStatus'
  | 'costProvenance';

export type SemanticExtras = Pick<SpanSemantics, ExtraKey>;

/** The optional fields and their defaults: [] for lists, null for the rest. */
const DEFAULTS: Readonly<Record<ExtraKey, 'list' | 'null'>> = {
  finishReasons: 'list',
  timeToFirstTokenMs: 'null',
  promptName: 'null',
  promptVersion: 'null',
  agentId: 'null',
  errorType: 'null',
  retrievalDocuments: 'null',
  tags: 'list',
  rawStatus: 'null',
  costProvenance: 'null',
};

export const SEMANTIC_EXTRA_KEYS = Object.keys(DEFAULTS) as readonly ExtraKey[];

const ALL_DEFAULT = '{"~":1}';

function isDefault(key: ExtraKey, value: unknown): boolean {
  return DEFAULTS[key] === 'list' ? Array.isArray(value) && value.length === 0 : value === null;
}

function finiteNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

/** The span's optional semantic fields as stored text, or null when it has none of them. */
export function encodeSemanticExtras(span: Partial<SemanticExtras>): string | null {
  // Most spans (all but model calls, retrievals and tagged ones): plain property reads, no loop.
  if (
    span.rawStatus === null &&
    span.costProvenance === null &&
    span.retrievalDocuments === null &&
    span.finishReasons?.length === 0 &&
    span.tags?.length === 0 &&
    span.timeToFirstTokenMs === null &&
    span.promptName === null &&
    span.promptVersion === null &&
    span.agentId === null &&
    span.errorType === null
  ) {
    return ALL_DEFAULT;
  }
  let present = 0;
  let changed: Record<string, unknown> | null = null;
  for (const key of SEMANTIC_EXTRA_KEYS) {
    const value = span[key];
    if (value === undefined) continue;
    present += 1;
    if (!isDefault(key, value)) (changed ??= {})[key] = value;
  }
  if (present === 0) return null;
  if (present === SEMANTIC_EXTRA_KEYS.length) {
    if (changed === null) return ALL_DEFAULT;
    // A replacer makes JSON.stringify several times slower: only when a number needs it.
    return `{"~":1,${JSON.stringify(changed, hasNonFinite(span) ? finiteNumbers : undefined).slice(1)}`;
  }
  const listed: Record<string, unknown> = {};
  for (const key of SEMANTIC_EXTRA_KEYS) if (span[key] !== undefined) listed[key] = span[key];
  return JSON.stringify(listed, hasNonFinite(span) ? finiteNumbers : undefined);
}

/** The only numbers among the fields: time to first token and document scores. */
function hasNonFinite(span: Partial<SemanticExtras>): boolean {
  const ttft = span.timeToFirstTokenMs;
  if (typeof ttft === 'number' && !Number.isFinite(ttft)) return true;
  return span.retrievalDocuments?.some((document) => typeof document.score === 'number' && !Number.isFinite(document.score)) ?? false;
}

function numberOf(value: unknown): number | null {
  return typeof value === 'string' ? Number(value) : (value as number | null);
}

/**
 * Sets the fields stored by encodeSemanticExtras on `span` (text, or the already parsed object).
 * null / '' (nothing stored) leaves the span as it is.
 */
export function applySemanticExtras(span: Partial<SpanRecord>, stored: string | Record<string, unknown> | null): void {
  if (stored === null || stored === '') return;
  const fields = typeof stored === 'string' ? (JSON.parse(stored) as Record<string, unknown>) : stored;
  const target = span as Record<string, unknown>;
  if (fields['~'] === 1) {
    for (const key of SEMANTIC_EXTRA_KEYS) target[key] = DEFAULTS[key] === 'list' ? [] : null;
  }
  for (const key of SEMANTIC_EXTRA_KEYS) {
    const value = fields[key];
    if (value === undefined) continue;
    target[key] = value;
  }
  if (typeof fields.timeToFirstTokenMs === 'string') target.timeToFirstTokenMs = numberOf(fields.timeToFirstTokenMs);
  const documents = target.retrievalDocuments as { score: unknown }[] | null | undefined;
  if (Array.isArray(documents)) for (const document of documents) if (typeof document.score === 'string') document.score = numberOf(document.score);
}

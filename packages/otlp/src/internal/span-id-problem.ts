// Why a span's ids make it unusable. OTLP requires a 16-byte trace id and an 8-byte span id,
// neither all zeros; the parent is empty (or, leniently, all zeros) for a root.

/** Appended where the likely cause is an OTLP logs body posted to the traces endpoint. */
export const LOGS_ON_TRACES_HINT = 'is this a logs request sent to /v1/traces?';

export const ZERO_TRACE_ID = '0'.repeat(32);
export const ZERO_SPAN_ID = '0'.repeat(16);

/**
 * Why a span's ids make it unusable, or null when they are fine. Lengths are in bytes; an id is
 * given as its hex (or null when the field had the wrong length and was not converted).
 */
export function spanIdProblem(
  traceIdBytes: number,
  traceId: string | null,
  spanIdBytes: number,
  spanId: string | null,
  parentBytes: number,
): string | null {
  if (traceIdBytes === 0 && spanIdBytes === 0) return `has no trace id and no span id (${LOGS_ON_TRACES_HINT})`;
  if (traceIdBytes !== 16) return `trace id must be 16 bytes, got ${traceIdBytes}`;
  if (traceId === ZERO_TRACE_ID) return 'trace id is all zeros';
  if (spanIdBytes !== 8) return `span id must be 8 bytes, got ${spanIdBytes}`;
  if (spanId === ZERO_SPAN_ID) return 'span id is all zeros';
  if (parentBytes !== 0 && parentBytes !== 8) return `parent span id must be empty or 8 bytes, got ${parentBytes}`;
  return null;
}

/** A short label for rejection messages: `resourceSpans[0].scopeSpans[1].spans[2] "name"`. */
export function spanLabel(resourceIndex: number, scopeIndex: number, spanIndex: number, name: string): string {
  const shownName = name.length > 60 ? `${name.slice(0, 57)}...` : name;
  return `resourceSpans[${resourceIndex}].scopeSpans[${scopeIndex}].spans[${spanIndex}] ${JSON.stringify(shownName)}`;
}

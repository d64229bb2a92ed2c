// The ids a reported model name is looked up under, most specific first. Only spellings of the
// same model are derived (qualifiers, dated snapshots); never a shorter prefix, so
// "gpt-4o-mini" can not fall back to "gpt-4o" and an unknown model stays unknown.

export type ModelMatchKind = 'exact' | 'qualified' | 'snapshot';

export interface ModelIdCandidate {
  id: string;
  kind: ModelMatchKind;
}

/** Routing prefixes: "us.anthropic." (Bedrock inference profiles), "anthropic." (Bedrock ids). */
const BEDROCK_PREFIX = /^(?:[a-z]{2,4}\.)?anthropic\./;
/** Bedrock version suffix, e.g. "-v2:0". */
const BEDROCK_VERSION = /-v\d+:\d+$/;
/**
 * Snapshot suffixes that name a dated build of the same model at the same price:
 * OpenAI "-2024-08-06", Anthropic "-20250514", Vertex "@20241022", Gemini "-001", "-latest".
 */
const SNAPSHOT_SUFFIXES: readonly RegExp[] = [/-\d{4}-\d{2}-\d{2}$/, /-\d{8}$/, /@\d{8}$/, /-\d{3}$/, /-latest$/];

export function modelIdCandidates(model: string): ModelIdCandidate[] {
  const exact = model.trim().toLowerCase();
  const candidates: ModelIdCandidate[] = [{ id: exact, kind: 'exact' }];
  // "openai/gpt-4o", "models/gemini-2.5-pro", "publishers/google/models/…", Bedrock ARNs.
  const slash = exact.lastIndexOf('/');
  const qualified = (slash >= 0 ? exact.slice(slash + 1) : exact).replace(BEDROCK_PREFIX, '').replace(BEDROCK_VERSION, '');
  if (qualified !== exact && qualified !== '') candidates.push({ id: qualified, kind: 'qualified' });
  for (const suffix of SNAPSHOT_SUFFIXES) {
    const base = qualified.replace(suffix, '');
    if (base !== qualified && base !== '') {
      candidates.push({ id: base, kind: 'snapshot' });
      break;
    }
  }
  return candidates;
}

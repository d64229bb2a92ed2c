// Mapping explain: for one span, which source attribute produced each canonical field, which
// dialect's value lost to a higher-precedence one, which attributes no rule reads, which fields a
// span of its type is expected to have but does not, and which values were unusable. It re-runs
// the dialects with notes on (dialects/run-dialects.ts has the same precedence) — never on the
// ingest path, so ingest pays nothing for it.

import type { SpanRecord, SpanStatus, SpanType, TokenUsage, WireSpan } from '@cairn/model';
import type { CanonicalField, DialectFields, ExtractNotes, SpanContent } from '../dialect.js';
import { dialectHints } from '../dialects/dialect-hints.js';
import { DIALECTS, extractSafely } from '../dialects/run-dialects.js';
import { normalizeSpan } from '../normalize-span.js';
import { NORMALIZER_VERSION } from '../normalizer-version.js';
import { EXPECTED_FIELDS } from './expected-fields.js';

export interface ExplainedField {
  field: CanonicalField | 'status';
  /** The canonical value (input/output and documents summarized). */
  value: unknown;
  /** Dialect that supplied it (`general` for generic attributes, `pricing` for computed cost). */
  dialect: string;
  /** Attribute keys (`prefix.*` for flattened lists), `event <name>`, or `span name`. */
  sources: string[];
}

export interface OverriddenValue {
  field: CanonicalField;
  dialect: string;
  value: unknown;
  sources: string[];
  /** The dialect whose value was kept instead. */
  keptFrom: string;
}

export interface ExplainProblem {
  /** Attribute key (or dialect) the problem is about. */
  source: string;
  dialect: string;
  message: string;
}

/** What explainSpan returns: plain JSON (no bigint, no undefined). */
export interface SpanExplanation {
  normalizerVersion: number;
  spanType: SpanType;
  /** True when the type came from a guess (e.g. a model + provider without an operation). */
  spanTypeGuessed: boolean;
  /** Dialects that recognised the span, in precedence order. */
  dialects: string[];
  fields: ExplainedField[];
  /** Values a lower-precedence dialect found that differ from the kept one (mixed dialects). */
  overridden: OverriddenValue[];
  /** Why reported tokens/cost are not counted on this span, or null. */
  notCounted: string | null;
  /** Attribute keys that no dialect reads (kept raw in `attributes`). */
  ignoredAttributes: string[];
  /** Fields expected for this span type that it did not carry. */
  missing: CanonicalField[];
  problems: ExplainProblem[];
}

/** Caps so one pathological span cannot make the explanation huge. */
const MAX_LISTED = 200;
const MAX_VALUE_CHARS = 200;

const FIELD_ORDER: readonly CanonicalField[] = [
  'spanType',
  'operation',
  'model',
  'requestModel',
  'provider',
  'agentName',
  'agentId',
  'toolName',
  'toolCallId',
  'sessionId',
  'userId',
  'usage.inputTokens',
  'usage.outputTokens',
  'usage.cacheReadTokens',
  'usage.cacheWriteTokens',
  'usage.reasoningTokens',
  'costUsd',
  'input',
  'output',
  'finishReasons',
  'timeToFirstTokenMs',
  'promptName',
  'promptVersion',
  'errorType',
  'retrievalDocuments',
  'tags',
  'errorStatusMessage',
];

const EXPLAIN_CONTEXT = { projectId: '', receivedUnixNano: 0n };

interface DialectRun {
  name: string;
  fields: DialectFields;
  sources: Map<CanonicalField, string[]>;
}

export function explainSpan(span: WireSpan): SpanExplanation {
  const record = normalizeSpan(span, EXPLAIN_CONTEXT);
  const hints = dialectHints(span);
  const problems: ExplainProblem[] = [];
  const used = new Set<string>();
  const runs: DialectRun[] = [];
  for (const dialect of DIALECTS) {
    const name = dialect.name ?? 'general';
    const sources = new Map<CanonicalField, string[]>();
    const notes: ExtractNotes = {
      source(field, source) {
        const list = sources.get(field);
        if (list === undefined) sources.set(field, [source]);
        else if (!list.includes(source)) list.push(source);
        used.add(source);
      },
      problem(source, message) {
        if (problems.length < MAX_LISTED) problems.push({ source, dialect: name, message });
        used.add(source);
      },
    };
    const fields = extractSafely(dialect, span, hints, notes);
    if (fields !== undefined) runs.push({ name, fields, sources });
  }

  const fields: ExplainedField[] = [];
  const overridden: OverriddenValue[] = [];
  const typeWinner = runs.find((run) => run.fields.spanType !== undefined && run.fields.spanTypeIsGuess !== true);
  const guessWinner = runs.find((run) => run.fields.spanType !== undefined && run.fields.spanTypeIsGuess === true);
  for (const field of FIELD_ORDER) {
    const winner = field === 'spanType' ? (typeWinner ?? guessWinner) : runs.find((run) => fieldValue(run.fields, field) !== undefined);
    if (winner === undefined) continue;
    const kept = summarize(field, fieldValue(winner.fields, field));
    fields.push({ field, value: finalValue(record, field, kept), dialect: winner.name, sources: winner.sources.get(field) ?? [] });
    for (const run of runs) {
      if (run === winner || overridden.length >= MAX_LISTED) continue;
      if (field === 'spanType' && run.fields.spanTypeIsGuess === true && winner !== guessWinner) continue;
      const value = fieldValue(run.fields, field);
      if (value === undefined) continue;
      const summary = summarize(field, value);
      if (JSON.stringify(summary) !== JSON.stringify(kept)) {
        overridden.push({ field, dialect: run.name, value: summary, sources: run.sources.get(field) ?? [], keptFrom: winner.name });
      }
    }
  }
  addPricing(record, fields);
  if (record.rawStatus) fields.push({ field: 'status', value: statusValue(record.status), dialect: 'langfuse', sources: ['langfuse.observation.level'] });

  return {
    normalizerVersion: NORMALIZER_VERSION,
    spanType: record.spanType,
    spanTypeGuessed: typeWinner === undefined && guessWinner !== undefined,
    dialects: record.dialects,
    fields,
    overridden,
    notCounted: notCountedReason(record, runs),
    ignoredAttributes: ignoredKeys(span, used),
    missing: missingFields(record),
    problems,
  };
}

function fieldValue(fields: DialectFields, field: CanonicalField): unknown {
  if (field.startsWith('usage.')) return fields.usage?.[field.slice(6) as keyof TokenUsage];
  return fields[field as Exclude<CanonicalField, `usage.${string}`>];
}

/** Input/output and document lists are summarized; long strings cut. */
function summarize(field: CanonicalField, value: unknown): unknown {
  if (field === 'input' || field === 'output') {
    const content = value as SpanContent;
    if (content.kind === 'messages') return { messages: content.messages.length, roles: content.messages.map((message) => message.role).slice(0, 20) };
    const raw = content.value;
    const type = Array.isArray(raw) ? 'array' : raw === null ? 'null' : typeof raw;
    return typeof raw === 'string' ? { value: type, chars: raw.length } : { value: type };
  }
  if (field === 'retrievalDocuments' && Array.isArray(value)) return { documents: value.length };
  if (typeof value === 'string' && value.length > MAX_VALUE_CHARS) return `${value.slice(0, MAX_VALUE_CHARS)}…`;
  return value;
}

/** The record's value where normalizeSpan post-processes the merged one (usage on non-calls). */
function finalValue(record: SpanRecord, field: CanonicalField, kept: unknown): unknown {
  if (field.startsWith('usage.')) return record.hasUsage ? record.usage[field.slice(6) as keyof TokenUsage] : kept;
  if (field === 'spanType') return record.spanType;
  if (field === 'costUsd') return record.costUsd;
  return kept;
}

function addPricing(record: SpanRecord, fields: ExplainedField[]): void {
  const provenance = record.costProvenance;
  if (provenance === undefined || provenance === null || provenance.source === 'app') return;
  const existing = fields.find((entry) => entry.field === 'costUsd');
  const source = provenance.source === 'table' || provenance.source === 'custom' ? `${provenance.source} price ${provenance.priceId ?? ''} (table ${provenance.priceTableVersion ?? '?'})` : provenance.source;
  if (existing === undefined) fields.push({ field: 'costUsd', value: record.costUsd, dialect: 'pricing', sources: [source] });
}

function statusValue(status: SpanStatus): unknown {
  return { code: status.code, message: status.message };
}

function notCountedReason(record: SpanRecord, runs: DialectRun[]): string | null {
  if (record.spanType === 'llm' || record.spanType === 'embedding') return null;
  const reported = runs.some((run) => run.fields.usage !== undefined);
  return reported ? `token counts on a ${record.spanType} span are not counted: only llm and embedding spans (single model calls) count, so wrappers do not count their calls twice` : null;
}

function ignoredKeys(span: WireSpan, used: Set<string>): string[] {
  const prefixes: string[] = [];
  for (const source of used) {
    if (source.endsWith('.*')) prefixes.push(source.slice(0, -1));
    else if (source.endsWith(' (guess)')) used.add(source.slice(0, -8));
  }
  const ignored: string[] = [];
  for (const key of Object.keys(span.attributes)) {
    if (used.has(key) || prefixes.some((prefix) => key.startsWith(prefix))) continue;
    ignored.push(key);
    if (ignored.length >= MAX_LISTED) break;
  }
  return ignored;
}

function missingFields(record: SpanRecord): CanonicalField[] {
  const missing: CanonicalField[] = [];
  for (const field of EXPECTED_FIELDS[record.spanType]) {
    if (field.startsWith('usage.')) {
      if (!record.hasUsage) missing.push(field);
      continue;
    }
    const value = (record as unknown as Record<string, unknown>)[field];
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) missing.push(field);
  }
  return missing;
}

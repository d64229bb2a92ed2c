// The dialects in precedence order and the merge of their findings: for every field the first
// dialect that found a value wins, except that a declared span type (an operation, a kind, an
// observation type) beats any guessed one. Used by normalizeSpan (no notes) and explainSpan.

import type { SpanType, WireSpan } from '@cairn/model';
import type { Dialect, DialectFields, ExtractNotes } from '../dialect.js';
import { cairnConventionsDialect } from './cairn-conventions.js';
import { dialectHints } from './dialect-hints.js';
import { genAiDialect } from './gen-ai.js';
import { generalContextDialect } from './general-context.js';
import { langfuseDialect } from './langfuse.js';
import { mastraDialect } from './mastra.js';
import { openInferenceDialect } from './open-inference.js';
import { traceloopDialect } from './traceloop.js';
import { vercelAiDialect } from './vercel-ai.js';

/**
 * Explicit, app-chosen vocabularies first (Langfuse observation attributes, Cairn's own
 * `cairn.span.type`, Mastra's span types that know its step structure), then the OTel GenAI
 * conventions, OpenInference, the Vercel AI SDK, Traceloop, and generic attributes last.
 */
export const DIALECTS: readonly Dialect[] = [
  langfuseDialect,
  cairnConventionsDialect,
  mastraDialect,
  genAiDialect,
  openInferenceDialect,
  vercelAiDialect,
  traceloopDialect,
  generalContextDialect,
];

export interface MergedFindings {
  fields: DialectFields;
  spanType: SpanType;
  /** Names of the dialects that recognised the span, in precedence order. */
  dialects: string[];
}

export function runDialects(span: WireSpan): MergedFindings {
  const hints = dialectHints(span);
  const merged: DialectFields = {};
  let guessedType: SpanType | undefined;
  const dialects: string[] = [];
  for (const dialect of DIALECTS) {
    const fields = extractSafely(dialect, span, hints);
    if (fields === undefined) continue;
    if (dialect.name !== null) dialects.push(dialect.name);
    if (fields.spanTypeIsGuess === true) guessedType ??= fields.spanType;
    else merged.spanType ??= fields.spanType;
    mergeInto(merged, fields);
  }
  return { fields: merged, spanType: merged.spanType ?? guessedType ?? 'other', dialects };
}

/**
 * A dialect that throws on some odd span loses its fields for that span instead of the span
 * being rejected: the raw attributes are stored either way and can be normalized again.
 */
export function extractSafely(dialect: Dialect, span: WireSpan, hints: number, notes?: ExtractNotes): DialectFields | undefined {
  try {
    return dialect.detect(span, hints) ? dialect.extract(span, notes) : undefined;
  } catch (error) {
    notes?.problem(`dialect ${dialect.name ?? 'general'}`, `threw ${String(error)}; its fields were dropped`);
    return undefined;
  }
}

// Field by field rather than a loop over keys: this runs for every ingested span.
function mergeInto(merged: DialectFields, fields: DialectFields): void {
  merged.model ??= fields.model;
  merged.requestModel ??= fields.requestModel;
  merged.provider ??= fields.provider;
  merged.operation ??= fields.operation;
  merged.agentName ??= fields.agentName;
  merged.agentId ??= fields.agentId;
  merged.toolName ??= fields.toolName;
  merged.toolCallId ??= fields.toolCallId;
  merged.sessionId ??= fields.sessionId;
  merged.userId ??= fields.userId;
  merged.costUsd ??= fields.costUsd;
  merged.input ??= fields.input;
  merged.output ??= fields.output;
  merged.finishReasons ??= fields.finishReasons;
  merged.timeToFirstTokenMs ??= fields.timeToFirstTokenMs;
  merged.promptName ??= fields.promptName;
  merged.promptVersion ??= fields.promptVersion;
  merged.errorType ??= fields.errorType;
  merged.retrievalDocuments ??= fields.retrievalDocuments;
  merged.tags ??= fields.tags;
  merged.errorStatusMessage ??= fields.errorStatusMessage;
  if (fields.usage !== undefined) merged.usage = merged.usage === undefined ? fields.usage : { ...fields.usage, ...merged.usage };
}

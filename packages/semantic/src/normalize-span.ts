// WireSpan → SpanRecord: runs every dialect that recognises the span, merges their findings by
// precedence, applies the count-once rule to tokens and cost, and writes the previews.

import type { SpanRecord, SpanType, TokenUsage, WireSpan } from '@cairn/model';
import type { Dialect, DialectFields } from './dialect.js';
import { genAiDialect } from './dialects/gen-ai.js';
import { generalContextDialect } from './dialects/general-context.js';
import { openInferenceDialect } from './dialects/open-inference.js';
import { markDerived } from './internal/derived-records.js';
import { inputPreview, outputPreview } from './internal/previews.js';

export interface NormalizeContext {
  projectId: string;
  /** When the server accepted the span (ns). */
  receivedUnixNano: bigint;
}

/**
 * Precedence order: for every field the first dialect that found a value wins, except that a
 * declared span type (gen_ai.operation.name, openinference.span.kind) beats any guessed one.
 */
const DIALECTS: readonly Dialect[] = [genAiDialect, openInferenceDialect, generalContextDialect];

/** Span types that are one model call: the only ones whose tokens and cost are counted. */
const MODEL_CALL_TYPES: ReadonlySet<SpanType> = new Set<SpanType>(['llm', 'embedding']);

const UNKNOWN_SERVICE = 'unknown_service';

export function normalizeSpan(span: WireSpan, context: NormalizeContext): SpanRecord {
  const merged: DialectFields = {};
  let guessedType: SpanType | undefined;
  const dialects: string[] = [];
  for (const dialect of DIALECTS) {
    const fields = extractSafely(dialect, span);
    if (fields === undefined) continue;
    if (dialect.name !== null) dialects.push(dialect.name);
    if (fields.spanTypeIsGuess === true) guessedType ??= fields.spanType;
    else merged.spanType ??= fields.spanType;
    mergeInto(merged, fields);
  }

  const spanType = merged.spanType ?? guessedType ?? 'other';
  // Agents and chains often repeat the totals of the calls they wrap; counting those too would
  // count every token twice. Their raw attributes still carry the numbers.
  const isModelCall = MODEL_CALL_TYPES.has(spanType);
  const usage = isModelCall ? merged.usage : undefined;

  // Every WireSpan field is copied by name, not spread: on Node 20 `{ ...span, more }` costs
  // ~7 µs per span (measured), a literal ~0.1 µs, and all records share one object shape. The
  // SpanRecord type makes the compiler flag any WireSpan field added later and missing here.
  return markDerived({
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
    status: span.status,
    resource: span.resource,
    scope: span.scope,
    projectId: context.projectId,
    serviceName: serviceNameOf(span),
    receivedUnixNano: context.receivedUnixNano,
    spanType,
    model: merged.model ?? null,
    requestModel: merged.requestModel ?? null,
    provider: merged.provider ?? null,
    operation: merged.operation ?? null,
    agentName: merged.agentName ?? null,
    toolName: merged.toolName ?? null,
    toolCallId: merged.toolCallId ?? null,
    sessionId: merged.sessionId ?? null,
    userId: merged.userId ?? null,
    usage: fullUsage(usage),
    hasUsage: usage !== undefined,
    costUsd: isModelCall ? (merged.costUsd ?? null) : null,
    input: contentValue(merged.input),
    output: contentValue(merged.output),
    inputPreview: inputPreview(merged.input),
    outputPreview: outputPreview(merged.output),
    dialects,
  });
}

/**
 * A dialect that throws on some odd span loses its fields for that span instead of the span
 * being rejected: the raw attributes are stored either way and can be normalized again.
 */
function extractSafely(dialect: Dialect, span: WireSpan): DialectFields | undefined {
  try {
    return dialect.detect(span) ? dialect.extract(span) : undefined;
  } catch {
    return undefined;
  }
}

function mergeInto(merged: DialectFields, fields: DialectFields): void {
  merged.model ??= fields.model;
  merged.requestModel ??= fields.requestModel;
  merged.provider ??= fields.provider;
  merged.operation ??= fields.operation;
  merged.agentName ??= fields.agentName;
  merged.toolName ??= fields.toolName;
  merged.toolCallId ??= fields.toolCallId;
  merged.sessionId ??= fields.sessionId;
  merged.userId ??= fields.userId;
  merged.costUsd ??= fields.costUsd;
  merged.input ??= fields.input;
  merged.output ??= fields.output;
  if (fields.usage !== undefined) merged.usage = merged.usage === undefined ? fields.usage : { ...fields.usage, ...merged.usage };
}

function fullUsage(usage: Partial<TokenUsage> | undefined): TokenUsage {
  return {
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cacheReadTokens: usage?.cacheReadTokens ?? 0,
    cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
    reasoningTokens: usage?.reasoningTokens ?? 0,
  };
}

function contentValue(content: DialectFields['input']): unknown {
  if (content === undefined) return null;
  return content.kind === 'messages' ? content.messages : content.value;
}

function serviceNameOf(span: WireSpan): string {
  const name = span.resource.attributes['service.name'];
  return typeof name === 'string' && name !== '' ? name : UNKNOWN_SERVICE;
}

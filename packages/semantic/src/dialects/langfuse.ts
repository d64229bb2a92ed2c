// Langfuse SDK v4 / v5 OTel attributes: `langfuse.observation.*` (type, model, usage and cost
// detail maps as JSON, input/output, level, prompt, completion start) and `langfuse.trace.*`.
// `level=ERROR` marks the span failed even when its OTel status is unset.

import type { AttributeMap, SpanType, TokenUsage, WireSpan } from '@cairn/model';
import type { Dialect, DialectFields, ExtractNotes, SpanContent } from '../dialect.js';
import { isRecord, parseAttributeValue } from '../internal/attribute-readers.js';
import { toMessageList } from '../internal/canonical-messages.js';
import { HINT_LANGFUSE } from './dialect-hints.js';
import { countValue, describeValue, firstText, firstTextList, isoTimeToNanos, textValue } from './dialect-readers.js';

const OBSERVATION_SPAN_TYPES = new Map<string, SpanType>([
  ['generation', 'llm'],
  ['embedding', 'embedding'],
  ['agent', 'agent'],
  ['tool', 'tool'],
  ['chain', 'chain'],
  ['retriever', 'retrieval'],
  ['guardrail', 'guardrail'],
  ['evaluator', 'evaluator'],
]);
/** Generic observation types: no opinion on the span type. */
const GENERIC_TYPES: ReadonlySet<string> = new Set(['span', 'event']);

/** usage_details keys per count, in Langfuse's own coalescing order. */
const USAGE_DETAIL_KEYS: ReadonlyArray<readonly [keyof TokenUsage, readonly string[]]> = [
  ['inputTokens', ['input', 'prompt_tokens', 'input_tokens', 'prompt']],
  ['outputTokens', ['output', 'completion_tokens', 'output_tokens', 'completion']],
  ['cacheReadTokens', ['cache_read_input_tokens', 'input_cached_tokens', 'cache_read_tokens', 'input_cache_read', 'cache_read']],
  ['cacheWriteTokens', ['cache_creation_input_tokens', 'input_cache_creation', 'cache_write_tokens', 'cache_write']],
  ['reasoningTokens', ['reasoning_tokens', 'output_reasoning_tokens', 'output_reasoning', 'reasoning']],
];

const PREFIX = 'langfuse.observation.';

export const langfuseDialect: Dialect = {
  name: 'langfuse',

  detect(_span: WireSpan, hints: number): boolean {
    return (hints & HINT_LANGFUSE) !== 0;
  },

  extract(span: WireSpan, notes?: ExtractNotes): DialectFields {
    const attributes = span.attributes;
    const level = textValue(attributes[`${PREFIX}level`]);
    const spanType = spanTypeOf(attributes, notes);
    // Langfuse names a tool observation by its span name; it has no tool-name attribute.
    if (spanType === 'tool') notes?.source('toolName', 'span name');
    return {
      spanType,
      toolName: spanType === 'tool' && span.name !== '' ? span.name : undefined,
      model: firstText(attributes, [`${PREFIX}model.name`], 'model', notes),
      sessionId: firstText(attributes, ['langfuse.session.id'], 'sessionId', notes),
      userId: firstText(attributes, ['langfuse.user.id'], 'userId', notes),
      tags: firstTextList(attributes, ['langfuse.trace.tags', 'langfuse.tags'], 'tags', notes),
      promptName: firstText(attributes, [`${PREFIX}prompt.name`], 'promptName', notes),
      promptVersion: firstText(attributes, [`${PREFIX}prompt.version`], 'promptVersion', notes),
      usage: usageOf(attributes, notes),
      costUsd: costOf(attributes, notes),
      input: contentOf(attributes, 'input', notes),
      output: contentOf(attributes, 'output', notes),
      timeToFirstTokenMs: timeToFirstToken(span, notes),
      errorStatusMessage: level?.toUpperCase() === 'ERROR' ? errorMessage(attributes, notes) : undefined,
    };
  },
};

function spanTypeOf(attributes: AttributeMap, notes?: ExtractNotes): SpanType | undefined {
  const type = textValue(attributes[`${PREFIX}type`])?.toLowerCase();
  if (type === undefined || GENERIC_TYPES.has(type)) return undefined;
  const spanType = OBSERVATION_SPAN_TYPES.get(type);
  if (spanType === undefined) notes?.problem(`${PREFIX}type`, `unknown observation type ${describeValue(type)}`);
  else notes?.source('spanType', `${PREFIX}type`);
  return spanType;
}

/** A JSON map attribute as a record, or undefined (reported) when it is not one. */
function jsonMap(attributes: AttributeMap, key: string, notes?: ExtractNotes): Record<string, unknown> | undefined {
  const raw = attributes[key];
  if (raw === undefined) return undefined;
  const value = parseAttributeValue(raw);
  if (isRecord(value)) return value;
  notes?.problem(key, `expected a JSON object, got ${describeValue(value)}`);
  return undefined;
}

function usageOf(attributes: AttributeMap, notes?: ExtractNotes): Partial<TokenUsage> | undefined {
  const key = `${PREFIX}usage_details`;
  const details = jsonMap(attributes, key, notes);
  if (details === undefined) return undefined;
  let usage: Partial<TokenUsage> | undefined;
  for (const [field, names] of USAGE_DETAIL_KEYS) {
    for (const name of names) {
      const raw = details[name];
      if (raw === undefined) continue;
      const count = typeof raw === 'number' || typeof raw === 'string' ? countValue(raw) : undefined;
      if (count === undefined) {
        notes?.problem(`${key}.${name}`, `expected a token count, got ${describeValue(raw)}`);
        continue;
      }
      (usage ??= {})[field] = count;
      notes?.source(`usage.${field}`, `${key}.${name}`);
      break;
    }
  }
  return usage;
}

/** cost_details.total, else the sum of the listed costs (USD). */
function costOf(attributes: AttributeMap, notes?: ExtractNotes): number | undefined {
  const key = `${PREFIX}cost_details`;
  const details = jsonMap(attributes, key, notes);
  if (details === undefined) return undefined;
  const total = typeof details.total === 'number' ? details.total : undefined;
  if (total !== undefined && total >= 0) {
    notes?.source('costUsd', `${key}.total`);
    return total;
  }
  let sum = 0;
  let any = false;
  for (const value of Object.values(details)) {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
      sum += value;
      any = true;
    }
  }
  if (any) notes?.source('costUsd', `${key} (sum)`);
  return any ? sum : undefined;
}

function contentOf(attributes: AttributeMap, side: 'input' | 'output', notes?: ExtractNotes): SpanContent | undefined {
  const key = `${PREFIX}${side}`;
  const raw = attributes[key];
  if (raw === undefined) return undefined;
  notes?.source(side, key);
  const value = parseAttributeValue(raw);
  // A message list, {messages: […]}, or one message object ({role, content}).
  const listed = isRecord(value) ? (Array.isArray(value.messages) ? value.messages : typeof value.role === 'string' ? [value] : value) : value;
  const messages = toMessageList(listed, side === 'input' ? 'user' : 'assistant');
  return messages === undefined ? { kind: 'value', value } : { kind: 'messages', messages };
}

function timeToFirstToken(span: WireSpan, notes?: ExtractNotes): number | undefined {
  const key = `${PREFIX}completion_start_time`;
  const raw = span.attributes[key];
  if (raw === undefined) return undefined;
  const start = isoTimeToNanos(raw);
  if (start === undefined || start < span.startTimeUnixNano - 1_000_000n) {
    notes?.problem(key, `expected an ISO time after the span start, got ${describeValue(raw)}`);
    return undefined;
  }
  notes?.source('timeToFirstTokenMs', key);
  // The ISO text has millisecond precision; a start up to 1 ms "before" the span is rounding.
  return start <= span.startTimeUnixNano ? 0 : Number(start - span.startTimeUnixNano) / 1e6;
}

function errorMessage(attributes: AttributeMap, notes?: ExtractNotes): string {
  notes?.source('errorStatusMessage', `${PREFIX}level`);
  return textValue(attributes[`${PREFIX}status_message`]) ?? '';
}

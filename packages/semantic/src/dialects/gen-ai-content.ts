// Input and output of a gen_ai span, from the current attributes or the legacy forms.
//
// Precedence, input:  gen_ai.tool.call.arguments (tool spans: the raw value)
//                   ▸ gen_ai.system_instructions + gen_ai.input.messages (≥1.37, span attributes)
//                   ▸ the same on a `gen_ai.client.inference.operation.details` event
//                   ▸ legacy events gen_ai.{system,user,assistant,tool}.message, in event order
//                   ▸ gen_ai.prompt (attribute, or on a `gen_ai.content.prompt` event; ≤1.26)
//                   ▸ gen_ai.retrieval.query.text
// output:             gen_ai.tool.call.result ▸ gen_ai.retrieval.documents ▸ gen_ai.output.messages
//                   ▸ details event ▸ legacy gen_ai.choice events ▸ gen_ai.completion.
// Message JSON is parsed once; strings that are not valid JSON are kept as they are.

import type { AttributeMap, AttributeValue, CanonicalMessage, SpanEvent } from '@cairn/model';
import { toApiValue } from '@cairn/model';
import type { SpanContent } from '../dialect.js';
import { isRecord, parseAttributeValue, parseJsonText } from '../internal/attribute-readers.js';
import { isMessageLike, toCanonicalMessage, toMessageList, toParts } from '../internal/canonical-messages.js';

const DETAILS_EVENT = 'gen_ai.client.inference.operation.details';

/** Default role of each legacy per-message event (the body's `role` wins when present). */
const LEGACY_INPUT_EVENTS = new Map<string, string>([
  ['gen_ai.system.message', 'system'],
  ['gen_ai.user.message', 'user'],
  ['gen_ai.assistant.message', 'assistant'],
  ['gen_ai.tool.message', 'tool'],
]);

export interface GenAiContent {
  input: SpanContent | undefined;
  output: SpanContent | undefined;
}

export function extractGenAiContent(attributes: AttributeMap, events: readonly SpanEvent[]): GenAiContent {
  const found = events.length > 0 ? scanEvents(events) : NO_EVENTS;
  return {
    input:
      rawValue(attributes['gen_ai.tool.call.arguments']) ??
      currentInput(attributes) ??
      (found.details === undefined ? undefined : currentInput(found.details)) ??
      (found.inputMessages.length > 0 ? { kind: 'messages', messages: found.inputMessages } : undefined) ??
      promptContent(attributes['gen_ai.prompt'] ?? found.prompt, 'user') ??
      rawValue(attributes['gen_ai.retrieval.query.text']),
    output:
      rawValue(attributes['gen_ai.tool.call.result']) ??
      rawValue(attributes['gen_ai.retrieval.documents']) ??
      currentOutput(attributes) ??
      (found.details === undefined ? undefined : currentOutput(found.details)) ??
      (found.choices.length > 0 ? { kind: 'messages', messages: found.choices } : undefined) ??
      promptContent(attributes['gen_ai.completion'] ?? found.completion, 'assistant'),
  };
}

interface EventFindings {
  details: AttributeMap | undefined;
  inputMessages: CanonicalMessage[];
  choices: CanonicalMessage[];
  prompt: AttributeValue | undefined;
  completion: AttributeValue | undefined;
}

const NO_EVENTS: EventFindings = Object.freeze({
  details: undefined,
  inputMessages: [],
  choices: [],
  prompt: undefined,
  completion: undefined,
});

function scanEvents(events: readonly SpanEvent[]): EventFindings {
  const found: EventFindings = { details: undefined, inputMessages: [], choices: [], prompt: undefined, completion: undefined };
  for (const event of events) {
    const name = event.name;
    if (!name.startsWith('gen_ai.')) continue;
    const attributes = event.attributes;
    const legacyRole = LEGACY_INPUT_EVENTS.get(name);
    if (legacyRole !== undefined) found.inputMessages.push(toCanonicalMessage(eventBody(attributes), legacyRole));
    else if (name === 'gen_ai.choice') found.choices.push(toCanonicalMessage(eventBody(attributes), 'assistant'));
    else if (name === DETAILS_EVENT) found.details ??= attributes;
    else if (name === 'gen_ai.content.prompt') found.prompt ??= attributes['gen_ai.prompt'];
    else if (name === 'gen_ai.content.completion') found.completion ??= attributes['gen_ai.completion'];
  }
  return found;
}

/**
 * The body of a legacy event. As a log record bridged onto the span it sits in a `body`
 * attribute (a kvlist or JSON text); as a span event its fields are the event's attributes.
 */
function eventBody(attributes: AttributeMap): Record<string, unknown> {
  const body = attributes.body;
  if (body !== undefined) {
    const value = parseAttributeValue(body);
    return isRecord(value) ? value : { content: value };
  }
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(attributes)) {
    const value = attributes[key]!;
    // Span event attributes cannot nest, so these arrive as JSON text.
    fields[key] = (key === 'message' || key === 'tool_calls') && typeof value === 'string' ? parseJsonText(value) : toApiValue(value);
  }
  return fields;
}

function currentInput(attributes: AttributeMap): SpanContent | undefined {
  const messagesValue = attributes['gen_ai.input.messages'];
  const instructionsValue = attributes['gen_ai.system_instructions'];
  if (messagesValue === undefined && instructionsValue === undefined) return undefined;
  const system = instructionsValue === undefined ? undefined : systemMessage(instructionsValue);
  if (messagesValue === undefined) return system === undefined ? undefined : { kind: 'messages', messages: [system] };
  const parsed = parseAttributeValue(messagesValue);
  const messages = toMessageList(parsed, 'user');
  if (messages === undefined) return { kind: 'value', value: parsed };
  if (system !== undefined) messages.unshift(system);
  return { kind: 'messages', messages };
}

function currentOutput(attributes: AttributeMap): SpanContent | undefined {
  const value = attributes['gen_ai.output.messages'];
  if (value === undefined) return undefined;
  const parsed = parseAttributeValue(value);
  const messages = toMessageList(parsed, 'assistant');
  return messages === undefined ? { kind: 'value', value: parsed } : { kind: 'messages', messages };
}

/** `gen_ai.system_instructions`: a list of parts (JSON or structured), or plain text. */
function systemMessage(value: AttributeValue): CanonicalMessage | undefined {
  const parts = toParts(parseAttributeValue(value));
  return parts.length === 0 ? undefined : { role: 'system', parts };
}

/** `gen_ai.prompt` / `gen_ai.completion`: message JSON, one message, or plain text. */
function promptContent(value: AttributeValue | undefined, role: string): SpanContent | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = parseAttributeValue(value);
  const messages = toMessageList(parsed, role);
  if (messages !== undefined) return { kind: 'messages', messages };
  if (typeof parsed === 'string') return { kind: 'messages', messages: [{ role, parts: [{ type: 'text', text: parsed }] }] };
  if (isRecord(parsed) && isMessageLike(parsed)) return { kind: 'messages', messages: [toCanonicalMessage(parsed, role)] };
  return { kind: 'value', value: parsed };
}

function rawValue(value: AttributeValue | undefined): SpanContent | undefined {
  return value === undefined ? undefined : { kind: 'value', value: parseAttributeValue(value) };
}

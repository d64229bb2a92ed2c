// Input and output of a gen_ai span, from the current attributes or the legacy forms.
//
// Precedence, input:  gen_ai.tool.call.arguments (tool spans: the raw value)
//                   ▸ gen_ai.system_instructions + gen_ai.input.messages (≥1.37, span attributes;
//                     when the span has only the instructions, the messages of a details event
//                     follow them — the Responses API instrumentation splits them so)
//                   ▸ the same on a `gen_ai.client.inference.operation.details` event
//                   ▸ legacy events gen_ai.{system,user,assistant,tool}.message, in event order
//                   ▸ gen_ai.prompt (attribute, or on a `gen_ai.content.prompt` event; ≤1.26)
//                   ▸ gen_ai.retrieval.query.text
// output:             gen_ai.tool.call.result ▸ gen_ai.retrieval.documents ▸ gen_ai.output.messages
//                   ▸ details event ▸ legacy gen_ai.choice events ▸ gen_ai.completion.
// Instrumentations send inputs and outputs as two details events (or log records merged in as
// events at read time); each side is read from the first event that carries it.
// Message JSON is parsed once; strings that are not valid JSON are kept as they are.

import type { AttributeMap, AttributeValue, CanonicalMessage, SpanEvent } from '@cairn/model';
import { toApiValue } from '@cairn/model';
import type { SpanContent } from '../dialect.js';
import { isRecord, parseAttributeValue, parseJsonText } from '../internal/attribute-readers.js';
import { isMessageLike, toCanonicalMessage, toMessageList, toParts } from '../internal/canonical-messages.js';
import { plainTextMessages } from '../internal/plain-text-messages.js';

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
  /** Where input/output came from, for explain (constant strings: free on the hot path). */
  inputSource: string | undefined;
  outputSource: string | undefined;
}

const DETAILS_SOURCE = `event ${DETAILS_EVENT}`;

export function extractGenAiContent(attributes: AttributeMap, events: readonly SpanEvent[]): GenAiContent {
  const found = events.length > 0 ? scanEvents(events) : NO_EVENTS;
  const [input, inputSource] = inputOf(attributes, found);
  const [output, outputSource] = outputOf(attributes, found);
  return { input, output, inputSource, outputSource };
}

type Found = [SpanContent | undefined, string | undefined];
const NOTHING: Found = [undefined, undefined];

function inputOf(attributes: AttributeMap, found: EventFindings): Found {
  let content = rawValue(attributes['gen_ai.tool.call.arguments']);
  if (content !== undefined) return [content, 'gen_ai.tool.call.arguments'];
  content = currentInput(attributes, found.detailsInput);
  if (content !== undefined) return [content, 'gen_ai.input.messages'];
  if (found.detailsInput !== undefined) {
    content = currentInput(found.detailsInput, undefined);
    if (content !== undefined) return [content, DETAILS_SOURCE];
  }
  if (found.inputMessages.length > 0) return [{ kind: 'messages', messages: found.inputMessages }, 'event gen_ai.*.message'];
  content = promptContent(attributes['gen_ai.prompt'] ?? found.prompt, 'user');
  if (content !== undefined) return [content, 'gen_ai.prompt'];
  content = rawValue(attributes['gen_ai.retrieval.query.text']);
  return content === undefined ? NOTHING : [content, 'gen_ai.retrieval.query.text'];
}

function outputOf(attributes: AttributeMap, found: EventFindings): Found {
  let content = rawValue(attributes['gen_ai.tool.call.result']);
  if (content !== undefined) return [content, 'gen_ai.tool.call.result'];
  content = rawValue(attributes['gen_ai.retrieval.documents']);
  if (content !== undefined) return [content, 'gen_ai.retrieval.documents'];
  content = currentOutput(attributes);
  if (content !== undefined) return [content, 'gen_ai.output.messages'];
  if (found.detailsOutput !== undefined) {
    content = currentOutput(found.detailsOutput);
    if (content !== undefined) return [content, DETAILS_SOURCE];
  }
  if (found.choices.length > 0) return [{ kind: 'messages', messages: found.choices }, 'event gen_ai.choice'];
  content = promptContent(attributes['gen_ai.completion'] ?? found.completion, 'assistant');
  return content === undefined ? NOTHING : [content, 'gen_ai.completion'];
}

interface EventFindings {
  /** The first details event with input messages or instructions, and the first with output messages. */
  detailsInput: AttributeMap | undefined;
  detailsOutput: AttributeMap | undefined;
  inputMessages: CanonicalMessage[];
  choices: CanonicalMessage[];
  prompt: AttributeValue | undefined;
  completion: AttributeValue | undefined;
}

const NO_EVENTS: EventFindings = Object.freeze({
  detailsInput: undefined,
  detailsOutput: undefined,
  inputMessages: [],
  choices: [],
  prompt: undefined,
  completion: undefined,
});

function scanEvents(events: readonly SpanEvent[]): EventFindings {
  const found: EventFindings = { detailsInput: undefined, detailsOutput: undefined, inputMessages: [], choices: [], prompt: undefined, completion: undefined };
  for (const event of events) {
    const name = event.name;
    if (!name.startsWith('gen_ai.')) continue;
    const attributes = event.attributes;
    const legacyRole = LEGACY_INPUT_EVENTS.get(name);
    if (legacyRole !== undefined) found.inputMessages.push(toCanonicalMessage(eventBody(attributes), legacyRole));
    else if (name === 'gen_ai.choice') found.choices.push(toCanonicalMessage(eventBody(attributes), 'assistant'));
    else if (name === DETAILS_EVENT) {
      if (attributes['gen_ai.input.messages'] !== undefined || attributes['gen_ai.system_instructions'] !== undefined) found.detailsInput ??= attributes;
      if (attributes['gen_ai.output.messages'] !== undefined) found.detailsOutput ??= attributes;
    }
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

/**
 * Instructions and messages from one attribute map. When the map has the instructions only,
 * `fallback` (a details event) supplies the messages; if those already open with a system
 * message it is the same instruction text, so it is not added twice.
 */
function currentInput(attributes: AttributeMap, fallback: AttributeMap | undefined): SpanContent | undefined {
  const instructionsValue = attributes['gen_ai.system_instructions'];
  let messagesValue = attributes['gen_ai.input.messages'];
  const fromFallback = messagesValue === undefined && instructionsValue !== undefined && fallback !== undefined;
  if (fromFallback) messagesValue = fallback['gen_ai.input.messages'];
  if (messagesValue === undefined && instructionsValue === undefined) return undefined;
  const system = instructionsValue === undefined ? undefined : systemMessage(instructionsValue);
  if (messagesValue === undefined) return system === undefined ? undefined : { kind: 'messages', messages: [system] };
  let messages = typeof messagesValue === 'string' ? plainTextMessages(messagesValue) : undefined;
  if (messages === undefined) {
    const parsed = parseAttributeValue(messagesValue);
    messages = toMessageList(parsed, 'user');
    if (messages === undefined) return { kind: 'value', value: parsed };
  }
  if (system !== undefined && !(fromFallback && messages[0]?.role === 'system')) messages.unshift(system);
  return { kind: 'messages', messages };
}

function currentOutput(attributes: AttributeMap): SpanContent | undefined {
  const value = attributes['gen_ai.output.messages'];
  if (value === undefined) return undefined;
  const plain = typeof value === 'string' ? plainTextMessages(value) : undefined;
  if (plain !== undefined) return { kind: 'messages', messages: plain };
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

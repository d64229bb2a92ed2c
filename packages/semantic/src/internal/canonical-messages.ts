// Converts message JSON in the shapes instrumentations emit into the contract's canonical form
// [{ role, parts: [text | tool_call | tool_result] }]. Understood: OTel GenAI parts
// ({type:'text',content}, tool_call, tool_call_response with `response` or `result`), the
// OpenAI-style {role, content, tool_calls} used by the legacy gen_ai events and gen_ai.prompt,
// and choice wrappers {message, finish_reason}. Any other part becomes a text part holding its
// JSON, marked opaque so previews skip it.

import type { CanonicalMessage, MessagePart } from '@cairn/model';
import { stringifyJson } from '@cairn/model';
import { idText, isRecord, parseJsonText } from './attribute-readers.js';

const opaqueParts = new WeakSet<MessagePart>();

/** True for a text part that holds the JSON of a part type the canonical form has no name for. */
export function isOpaquePart(part: MessagePart): boolean {
  return opaqueParts.has(part);
}

/**
 * The canonical messages of a list whose every item is an object, else undefined (the value is
 * not a message list and is kept as it is).
 */
export function toMessageList(value: unknown, defaultRole: string): CanonicalMessage[] | undefined {
  if (!Array.isArray(value)) return undefined;
  for (const item of value) if (!isRecord(item)) return undefined;
  return (value as Record<string, unknown>[]).map((item) => toCanonicalMessage(item, defaultRole));
}

/** True when an object looks like one message (or a choice wrapping one). */
export function isMessageLike(value: Record<string, unknown>): boolean {
  return value.role !== undefined || value.parts !== undefined || value.content !== undefined || isRecord(value.message);
}

export function toCanonicalMessage(raw: Record<string, unknown>, defaultRole: string): CanonicalMessage {
  // A choice ({index, finish_reason, message}) carries its message one level down.
  const source = isRecord(raw.message) && raw.parts === undefined && raw.content === undefined ? raw.message : raw;
  const role = typeof source.role === 'string' && source.role !== '' ? source.role : defaultRole;
  if (Array.isArray(source.parts)) return { role, parts: toParts(source.parts) };

  const toolCallId = role === 'tool' ? idText(source.tool_call_id ?? source.id) : null;
  const parts: MessagePart[] =
    toolCallId !== null && source.content !== undefined
      ? [{ type: 'tool_result', id: toolCallId, result: source.content }]
      : toParts(source.content);
  const toolCalls = typeof source.tool_calls === 'string' ? parseJsonText(source.tool_calls) : source.tool_calls;
  if (Array.isArray(toolCalls)) {
    for (const call of toolCalls) parts.push(isRecord(call) ? toolCallPart(call) : opaquePart(call));
  }
  return { role, parts };
}

/** Parts of a `content` or `parts` value: a string, one part, or a list of parts. */
export function toParts(content: unknown): MessagePart[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (Array.isArray(content)) return content.map(toPart);
  return [toPart(content)];
}

function toPart(item: unknown): MessagePart {
  if (typeof item === 'string') return { type: 'text', text: item };
  if (!isRecord(item)) return opaquePart(item);
  switch (item.type) {
    case 'text':
    case 'input_text':
    case 'output_text':
    case undefined: {
      const text = typeof item.content === 'string' ? item.content : item.text;
      return typeof text === 'string' ? { type: 'text', text } : opaquePart(item);
    }
    case 'tool_call':
    case 'function_call':
    case 'tool_use':
      return toolCallPart(item);
    case 'tool_call_response':
    case 'tool_result':
    case 'function_call_output':
      return {
        type: 'tool_result',
        id: idText(item.id ?? item.tool_use_id ?? item.call_id),
        // The OTel schema names the field `response`; its registry example says `result`.
        result: item.response ?? item.result ?? item.output ?? item.content ?? null,
      };
    default:
      return opaquePart(item);
  }
}

/** OTel {id, name, arguments}, OpenAI {id, function: {name, arguments}}, Anthropic {id, name, input}. */
function toolCallPart(call: Record<string, unknown>): MessagePart {
  const nested = isRecord(call.function) ? call.function : call;
  const name = typeof nested.name === 'string' ? nested.name : typeof call.name === 'string' ? call.name : '';
  const rawArguments = nested.arguments ?? call.arguments ?? call.input ?? null;
  return {
    type: 'tool_call',
    id: idText(call.id ?? call.call_id),
    name,
    arguments: typeof rawArguments === 'string' ? parseJsonText(rawArguments) : rawArguments,
  };
}

function opaquePart(item: unknown): MessagePart {
  const part: MessagePart = { type: 'text', text: typeof item === 'string' ? item : (stringifyJson(item) ?? String(item)) };
  opaqueParts.add(part);
  return part;
}

// Input and output of Vercel AI SDK (≤6, and v7's LegacyOpenTelemetry) spans:
//   input:  ai.toolCall.args ▸ ai.prompt.messages ▸ ai.prompt ({system, prompt, messages}) ▸ ai.value(s)
//   output: ai.toolCall.result ▸ ai.response.text + ai.response.toolCalls ▸ ai.response.object
//           ▸ legacy ai.result.text / ai.result.toolCalls / ai.result.object
// AI SDK message parts ({type:'tool-call', toolCallId, toolName, input|args},
// {type:'tool-result', toolCallId, output|result}) are rewritten to the OTel part shapes first.

import type { AttributeMap, CanonicalMessage, MessagePart } from '@cairn/model';
import type { ExtractNotes, SpanContent } from '../dialect.js';
import { idText, isRecord, parseAttributeValue } from '../internal/attribute-readers.js';
import { toCanonicalMessage, toMessageList } from '../internal/canonical-messages.js';
import { describeValue, textValue } from './dialect-readers.js';

export function vercelInput(attributes: AttributeMap, notes?: ExtractNotes): SpanContent | undefined {
  const args = attributes['ai.toolCall.args'] ?? attributes['ai.toolCall.input'];
  if (args !== undefined) {
    notes?.source('input', attributes['ai.toolCall.args'] !== undefined ? 'ai.toolCall.args' : 'ai.toolCall.input');
    return { kind: 'value', value: parseAttributeValue(args) };
  }
  const messagesValue = attributes['ai.prompt.messages'];
  if (messagesValue !== undefined) {
    const messages = vercelMessages(parseAttributeValue(messagesValue), 'user');
    if (messages !== undefined) {
      notes?.source('input', 'ai.prompt.messages');
      return { kind: 'messages', messages };
    }
    notes?.problem('ai.prompt.messages', `expected a JSON message list, got ${describeValue(messagesValue)}; kept raw`);
  }
  const promptValue = attributes['ai.prompt'];
  if (promptValue !== undefined) {
    notes?.source('input', 'ai.prompt');
    return promptContent(parseAttributeValue(promptValue));
  }
  const embedded = attributes['ai.values'] ?? attributes['ai.value'];
  if (embedded !== undefined) {
    notes?.source('input', attributes['ai.values'] !== undefined ? 'ai.values' : 'ai.value');
    return { kind: 'value', value: parseAttributeValue(embedded) };
  }
  return undefined;
}

export function vercelOutput(attributes: AttributeMap, notes?: ExtractNotes): SpanContent | undefined {
  const result = attributes['ai.toolCall.result'] ?? attributes['ai.toolCall.output'];
  if (result !== undefined) {
    notes?.source('output', attributes['ai.toolCall.result'] !== undefined ? 'ai.toolCall.result' : 'ai.toolCall.output');
    return { kind: 'value', value: parseAttributeValue(result) };
  }
  for (const prefix of ['ai.response.', 'ai.result.']) {
    const text = textValue(attributes[`${prefix}text`]);
    const callsValue = attributes[`${prefix}toolCalls`];
    if (text === undefined && callsValue === undefined) continue;
    const parts: MessagePart[] = text === undefined ? [] : [{ type: 'text', text }];
    if (text !== undefined) notes?.source('output', `${prefix}text`);
    if (callsValue !== undefined) {
      const calls = parseAttributeValue(callsValue);
      if (Array.isArray(calls)) {
        notes?.source('output', `${prefix}toolCalls`);
        for (const call of calls) parts.push(...toCanonicalMessage({ role: 'assistant', parts: [vercelPart(call)] }, 'assistant').parts);
      } else notes?.problem(`${prefix}toolCalls`, `expected a JSON list of tool calls, got ${describeValue(calls)}`);
    }
    return { kind: 'messages', messages: [{ role: 'assistant', parts }] };
  }
  const object = attributes['ai.response.object'] ?? attributes['ai.result.object'];
  if (object === undefined) return undefined;
  notes?.source('output', attributes['ai.response.object'] !== undefined ? 'ai.response.object' : 'ai.result.object');
  return { kind: 'value', value: parseAttributeValue(object) };
}

/** `ai.prompt`: {system?, prompt?, messages?} JSON, or plain text (one user message). */
function promptContent(value: unknown): SpanContent {
  if (typeof value === 'string') return { kind: 'messages', messages: [{ role: 'user', parts: [{ type: 'text', text: value }] }] };
  if (!isRecord(value)) return { kind: 'value', value };
  const messages: CanonicalMessage[] = [];
  if (typeof value.system === 'string' && value.system !== '') messages.push({ role: 'system', parts: [{ type: 'text', text: value.system }] });
  const listed = vercelMessages(value.messages, 'user');
  if (listed !== undefined) messages.push(...listed);
  else if (typeof value.prompt === 'string') messages.push({ role: 'user', parts: [{ type: 'text', text: value.prompt }] });
  else if (Array.isArray(value.prompt)) messages.push(...(vercelMessages(value.prompt, 'user') ?? []));
  return messages.length > 0 ? { kind: 'messages', messages } : { kind: 'value', value };
}

/** AI SDK messages → canonical; content is a string or a list of AI SDK parts. */
function vercelMessages(value: unknown, defaultRole: string): CanonicalMessage[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const rewritten = value.map((message) =>
    isRecord(message) && Array.isArray(message.content) ? { ...message, content: undefined, parts: message.content.map(vercelPart) } : message,
  );
  return toMessageList(rewritten, defaultRole);
}

/** One AI SDK part (or tool call of ai.response.toolCalls) in the OTel part shape. */
function vercelPart(part: unknown): unknown {
  if (!isRecord(part)) return part;
  switch (part.type) {
    case 'tool-call':
    case undefined:
      if (part.toolName === undefined) return part;
      return { type: 'tool_call', id: idText(part.toolCallId), name: part.toolName, arguments: part.input ?? part.args ?? null };
    case 'tool-result': {
      const output = part.output ?? part.result ?? null;
      // v5+ wraps results: {type: 'json' | 'text' | 'error-text' …, value}.
      const response = isRecord(output) && typeof output.type === 'string' && 'value' in output ? output.value : output;
      return { type: 'tool_call_response', id: idText(part.toolCallId), response };
    }
    default:
      return part;
  }
}

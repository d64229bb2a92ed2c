// Turns a span's input and output payloads into the chat transcript the detail panel shows:
// canonical messages (system, user, assistant, tool) with tool calls and tool results, or a
// single raw block when the payload is not a message list.

import type { ApiMessage, ApiMessagePart } from '../api/api-types.js';

export type TranscriptEntry =
  | { kind: 'message'; role: string; parts: ApiMessagePart[]; fromOutput: boolean }
  | { kind: 'raw'; label: 'input' | 'output'; value: unknown };

function isMessagePart(value: unknown): value is ApiMessagePart {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'text' || type === 'tool_call' || type === 'tool_result';
}

export function isMessageList(value: unknown): value is ApiMessage[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (item) =>
        typeof item === 'object' &&
        item !== null &&
        typeof (item as { role?: unknown }).role === 'string' &&
        Array.isArray((item as { parts?: unknown }).parts) &&
        ((item as { parts: unknown[] }).parts).every(isMessagePart),
    )
  );
}

function entriesOf(value: unknown, label: 'input' | 'output'): TranscriptEntry[] {
  if (value === null || value === undefined || value === '') return [];
  if (isMessageList(value)) return value.map((message) => ({ kind: 'message', role: message.role, parts: message.parts, fromOutput: label === 'output' }));
  return [{ kind: 'raw', label, value }];
}

export function buildTranscript(input: unknown, output: unknown): TranscriptEntry[] {
  return [...entriesOf(input, 'input'), ...entriesOf(output, 'output')];
}

/** Tool arguments and results often arrive as JSON text; show them as a tree when they parse. */
export function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}

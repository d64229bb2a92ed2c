// Converts what users and provider clients pass around into the OTel GenAI message JSON
// (`[{ role, parts: [{ type: 'text', content } | { type: 'tool_call', … } | …] }]`).

export interface GenAiPart {
  type: string;
  [key: string]: unknown;
}
export interface GenAiMessage {
  role: string;
  parts: GenAiPart[];
  finish_reason?: string;
  name?: string;
}

/** JSON text of `value`, or `String(value)` when it cannot be serialized (cycles, bigint). */
export function toJsonText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    // Without a replacer V8 takes its fast path; only a bigint (TypeError) needs the slow one.
    return JSON.stringify(value) ?? String(value);
  } catch {
    try {
      return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item)) ?? String(value);
    } catch {
      return String(value);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parts of one message's `content`: a string, OpenAI/Anthropic content blocks, or anything else. */
export function contentParts(content: unknown): GenAiPart[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return [{ type: 'text', content }];
  if (!Array.isArray(content)) return [{ type: 'text', content: toJsonText(content) }];
  return content.map((block): GenAiPart => {
    if (!isRecord(block)) return { type: 'text', content: toJsonText(block) };
    const text = block.text ?? block.content;
    if ((block.type === 'text' || block.type === 'input_text' || block.type === 'output_text') && typeof text === 'string') return { type: 'text', content: text };
    if (block.type === 'tool_use') return { type: 'tool_call', id: block.id, name: block.name, arguments: block.input };
    if (block.type === 'tool_result') return { type: 'tool_call_response', id: block.tool_use_id, response: block.content };
    if (block.type === 'thinking' && typeof block.thinking === 'string') return { type: 'reasoning', content: block.thinking };
    return { ...block, type: typeof block.type === 'string' ? block.type : 'unknown' };
  });
}

/**
 * Messages from a chat-style list (`{ role, content, tool_calls?, tool_call_id? }`), a plain string
 * (one message of `defaultRole`) or any other value (one text part holding its JSON).
 */
export function toMessages(value: unknown, defaultRole: string): GenAiMessage[] {
  if (typeof value === 'string') return [{ role: defaultRole, parts: [{ type: 'text', content: value }] }];
  if (Array.isArray(value) && value.every((item) => isRecord(item) && typeof item.role === 'string')) {
    return (value as Record<string, unknown>[]).map((message) => {
      if (Array.isArray(message.parts)) return message as unknown as GenAiMessage;
      const parts = contentParts(message.content);
      if (Array.isArray(message.tool_calls)) {
        for (const call of message.tool_calls as Record<string, unknown>[]) {
          const fn = isRecord(call.function) ? call.function : {};
          parts.push({ type: 'tool_call', id: call.id, name: fn.name, arguments: parseMaybeJson(fn.arguments) });
        }
      }
      if (message.role === 'tool' && typeof message.tool_call_id === 'string') {
        return { role: 'tool', parts: [{ type: 'tool_call_response', id: message.tool_call_id, response: typeof message.content === 'string' ? message.content : message.content }] };
      }
      return { role: message.role as string, parts };
    });
  }
  return [{ role: defaultRole, parts: [{ type: 'text', content: toJsonText(value) }] }];
}

/** JSON text parsed when it is an object or array, else the value as it was. */
export function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}

// OpenInference's flattened message lists → canonical messages:
//   llm.input_messages.<i>.message.role | .content | .name | .tool_call_id
//     .message.contents.<j>.message_content.type | .text      (multi-part content)
//     .message.tool_calls.<k>.tool_call.id | .function.name | .function.arguments
// and `retrieval.documents.<i>.document.id | .score | .content` (also reranker documents).

import type { AttributeMap, AttributeValue, CanonicalMessage, MessagePart, RetrievalDocument } from '@cairn/model';
import { toApiValue } from '@cairn/model';
import type { ExtractNotes } from '../dialect.js';
import { parseJsonText } from '../internal/attribute-readers.js';
import { toCanonicalMessage } from '../internal/canonical-messages.js';
import type { FlatItem } from './dialect-readers.js';
import { attributeEntries, contentPreview, flattenedList, numberValue, textValue } from './dialect-readers.js';

/** Canonical messages of `prefix.<i>.message.*`, or undefined when no such key exists. */
export function flattenedMessages(attributes: AttributeMap, prefix: string, defaultRole: string, notes?: ExtractNotes): CanonicalMessage[] | undefined {
  const items = flattenedList(attributeEntries(attributes), prefix, notes);
  if (items.length === 0) return undefined;
  return items.map((item) => messageOf(item, defaultRole));
}

function messageOf(item: FlatItem, defaultRole: string): CanonicalMessage {
  const role = textValue(item.get('message.role')) ?? defaultRole;
  const toolCallId = textValue(item.get('message.tool_call_id'));
  const contentValue = item.get('message.content');
  const parts: MessagePart[] = [];
  if (role === 'tool' && toolCallId !== undefined) {
    parts.push({ type: 'tool_result', id: toolCallId, result: contentValue === undefined ? null : valueOf(contentValue) });
  } else if (contentValue !== undefined) {
    // Some instrumentations put a JSON list of parts in `content`; toCanonicalMessage reads both.
    parts.push(...toCanonicalMessage({ role, content: valueOf(contentValue) }, role).parts);
  }
  for (const content of flattenedList(item.entries(), 'message.contents.')) {
    // Image parts (message_content.image.image.url) have no canonical form; they stay raw.
    const text = textValue(content.get('message_content.text'));
    if (text !== undefined) parts.push({ type: 'text', text });
  }
  for (const call of flattenedList(item.entries(), 'message.tool_calls.')) {
    const argumentsValue = call.get('tool_call.function.arguments');
    parts.push({
      type: 'tool_call',
      id: textValue(call.get('tool_call.id')) ?? null,
      name: textValue(call.get('tool_call.function.name')) ?? '',
      arguments: argumentsValue === undefined ? null : valueOf(argumentsValue),
    });
  }
  return { role, parts };
}

/** Documents of `prefix.<i>.document.*` (retrieval.documents., reranker.output_documents.). */
export function flattenedDocuments(attributes: AttributeMap, prefix: string, notes?: ExtractNotes): RetrievalDocument[] | undefined {
  const items = flattenedList(attributeEntries(attributes), prefix, notes);
  if (items.length === 0) return undefined;
  return items.map((item) => {
    const score = numberValue(item.get('document.score'));
    const content = item.get('document.content');
    return {
      id: textValue(item.get('document.id')) ?? null,
      score: score ?? null,
      contentPreview: content === undefined ? null : contentPreview(toApiValue(content)),
    };
  });
}

function valueOf(value: AttributeValue): unknown {
  return typeof value === 'string' ? parseJsonText(value) : toApiValue(value);
}

// Traceloop / OpenLLMetry: `traceloop.span.kind` (workflow, task, agent, tool), `traceloop.entity.*`,
// association properties, `llm.request.type`, and the flattened messages it wrote until its
// 2026 move to gen_ai.input.messages: gen_ai.prompt.<i>.{role, content, tool_call_id,
// tool_calls.<k>.{id, name, arguments}} and gen_ai.completion.<i>.{…, finish_reason}.
// Token counts use gen_ai.usage.* (read by the gen_ai dialect, underscore cache keys included).
// Its LangChain tool spans name the tool only in the ToolMessage output (traceloop-langchain.ts).

import type { AttributeMap, AttributeValue, CanonicalMessage, SpanType, WireSpan } from '@cairn/model';
import { toApiValue } from '@cairn/model';
import type { Dialect, DialectFields, ExtractNotes, SpanContent } from '../dialect.js';
import { parseAttributeValue, parseJsonText } from '../internal/attribute-readers.js';
import { toCanonicalMessage, toMessageList } from '../internal/canonical-messages.js';
import { HINT_GEN_AI_FLAT, HINT_TRACELOOP } from './dialect-hints.js';
import type { FlatItem } from './dialect-readers.js';
import { attributeEntries, describeValue, firstText, flattenedList, textValue } from './dialect-readers.js';
import { langChainToolMessage } from './traceloop-langchain.js';

const KIND_SPAN_TYPES = new Map<string, SpanType>([
  ['workflow', 'chain'],
  ['task', 'chain'],
  ['agent', 'agent'],
  ['tool', 'tool'],
]);

/** `llm.request.type` names the model call and beats the entity kind. */
const REQUEST_TYPE_SPAN_TYPES = new Map<string, SpanType>([
  ['chat', 'llm'],
  ['completion', 'llm'],
  ['embedding', 'embedding'],
  ['rerank', 'reranker'],
]);

export const traceloopDialect: Dialect = {
  name: 'traceloop',

  detect(_span: WireSpan, hints: number): boolean {
    return (hints & (HINT_TRACELOOP | HINT_GEN_AI_FLAT)) !== 0;
  },

  extract(span: WireSpan, notes?: ExtractNotes): DialectFields {
    const attributes = span.attributes;
    const requestType = firstText(attributes, ['llm.request.type'], 'operation', notes);
    const kind = textValue(attributes['traceloop.span.kind']);
    const spanType = spanTypeOf(requestType, kind, notes);
    const entityName = textValue(attributes['traceloop.entity.name']);
    const prompts = flattenedList(attributeEntries(attributes), 'gen_ai.prompt.', notes);
    const completions = flattenedList(attributeEntries(attributes), 'gen_ai.completion.', notes);
    if (kind === 'agent' && entityName !== undefined) notes?.source('agentName', 'traceloop.entity.name');
    if (kind === 'tool' && entityName !== undefined) notes?.source('toolName', 'traceloop.entity.name');
    const toolMessage = kind === 'tool' ? {} : langChainToolMessage(attributes, notes);
    return {
      spanType,
      operation: requestType,
      agentName: kind === 'agent' ? entityName : undefined,
      toolName: kind === 'tool' ? entityName : toolMessage.toolName,
      toolCallId: toolMessage.toolCallId,
      sessionId: firstText(attributes, ['traceloop.association.properties.session_id', 'traceloop.association.properties.sessionId'], 'sessionId', notes),
      userId: firstText(attributes, ['traceloop.association.properties.user_id', 'traceloop.association.properties.userId'], 'userId', notes),
      promptName: firstText(attributes, ['traceloop.prompt.key'], 'promptName', notes),
      promptVersion: firstText(attributes, ['traceloop.prompt.version', 'traceloop.prompt.version_name'], 'promptVersion', notes),
      input: flatContent(prompts, 'gen_ai.prompt.*', 'user', 'input', notes) ?? entityValue(attributes, 'traceloop.entity.input', 'input', notes),
      output: flatContent(completions, 'gen_ai.completion.*', 'assistant', 'output', notes) ?? entityValue(attributes, 'traceloop.entity.output', 'output', notes),
      finishReasons: finishReasonsOf(attributes, completions, notes),
    };
  },
};

function spanTypeOf(requestType: string | undefined, kind: string | undefined, notes?: ExtractNotes): SpanType | undefined {
  if (requestType !== undefined) {
    const type = REQUEST_TYPE_SPAN_TYPES.get(requestType);
    if (type !== undefined) {
      notes?.source('spanType', 'llm.request.type');
      return type;
    }
    notes?.problem('llm.request.type', `unknown request type ${describeValue(requestType)}`);
  }
  if (kind === undefined) return undefined;
  const type = KIND_SPAN_TYPES.get(kind);
  if (type !== undefined) notes?.source('spanType', 'traceloop.span.kind');
  else notes?.problem('traceloop.span.kind', `unknown span kind ${describeValue(kind)}`);
  return type;
}

function flatContent(items: FlatItem[], source: string, defaultRole: string, side: 'input' | 'output', notes?: ExtractNotes): SpanContent | undefined {
  if (items.length === 0) return undefined;
  notes?.source(side, source);
  return { kind: 'messages', messages: items.map((item) => flatMessage(item, defaultRole)) };
}

/** One flattened message, rebuilt as the OpenAI shape toCanonicalMessage reads. */
function flatMessage(item: FlatItem, defaultRole: string): CanonicalMessage {
  const role = textValue(item.get('role')) ?? defaultRole;
  const content = item.get('content');
  const toolCalls = flattenedList(item.entries(), 'tool_calls.').map((call) => ({
    id: textValue(call.get('id')) ?? null,
    function: { name: textValue(call.get('name')) ?? '', arguments: valueOf(call.get('arguments')) },
  }));
  const message: Record<string, unknown> = { role, content: content === undefined ? undefined : valueOf(content), tool_calls: toolCalls };
  const toolCallId = textValue(item.get('tool_call_id'));
  if (toolCallId !== undefined) message.tool_call_id = toolCallId;
  return toCanonicalMessage(message, defaultRole);
}

/** `traceloop.entity.input/output`: JSON (often `{"args": […], "kwargs": {…}}`) or text. */
function entityValue(attributes: AttributeMap, key: string, side: 'input' | 'output', notes?: ExtractNotes): SpanContent | undefined {
  const raw = attributes[key];
  if (raw === undefined) return undefined;
  notes?.source(side, key);
  const value = parseAttributeValue(raw);
  const messages = toMessageList(value, side === 'input' ? 'user' : 'assistant');
  return messages === undefined ? { kind: 'value', value } : { kind: 'messages', messages };
}

function finishReasonsOf(attributes: AttributeMap, completions: FlatItem[], notes?: ExtractNotes): string[] | undefined {
  const single = textValue(attributes['gen_ai.response.finish_reason']);
  if (single !== undefined) {
    notes?.source('finishReasons', 'gen_ai.response.finish_reason');
    return [single];
  }
  let reasons: string[] | undefined;
  for (const item of completions) {
    const reason = textValue(item.get('finish_reason'));
    if (reason !== undefined && !(reasons ??= []).includes(reason)) reasons.push(reason);
  }
  if (reasons !== undefined) notes?.source('finishReasons', 'gen_ai.completion.*.finish_reason');
  return reasons;
}

function valueOf(value: AttributeValue | undefined): unknown {
  if (value === undefined) return null;
  return typeof value === 'string' ? parseJsonText(value) : toApiValue(value);
}

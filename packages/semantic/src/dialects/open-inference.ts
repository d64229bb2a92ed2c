// OpenInference (Arize Phoenix; the OpenAI, LangChain, LlamaIndex, OpenAI Agents … instrumentations):
// `openinference.span.kind`, `llm.*` model / provider / token counts / flattened messages,
// `input.value` / `output.value`, `tool.*`, `embedding.*`, `reranker.*`, `retrieval.documents.*`.

import type { AttributeMap, SpanType, TokenUsage, WireSpan } from '@cairn/model';
import type { Dialect, DialectFields, ExtractNotes, SpanContent } from '../dialect.js';
import { isRecord, parseAttributeValue, parseJsonText } from '../internal/attribute-readers.js';
import { toMessageList } from '../internal/canonical-messages.js';
import { canonicalProviderName } from '../internal/provider-name.js';
import { HINT_OPEN_INFERENCE } from './dialect-hints.js';
import { describeValue, firstAmount, firstCount, firstText, firstTextList, textValue } from './dialect-readers.js';
import { flattenedDocuments, flattenedMessages } from './open-inference-messages.js';
import { metadataFields, outputResponseModel, useMetadata } from './open-inference-metadata.js';

const KIND_KEY = 'openinference.span.kind';

const KIND_SPAN_TYPES = new Map<string, SpanType>([
  ['LLM', 'llm'],
  ['EMBEDDING', 'embedding'],
  ['TOOL', 'tool'],
  ['AGENT', 'agent'],
  ['CHAIN', 'chain'],
  ['RETRIEVER', 'retrieval'],
  ['RERANKER', 'reranker'],
  ['GUARDRAIL', 'guardrail'],
  ['EVALUATOR', 'evaluator'],
  // A prompt-template render: a step of the pipeline, not a model call.
  ['PROMPT', 'chain'],
]);

/** OpenInference `llm.provider` / `llm.system` values that name a host, not a gen_ai provider. */
const PROVIDER_ALIASES = new Map<string, string>([
  ['aws', 'aws.bedrock'],
  ['amazon', 'aws.bedrock'],
  ['google', 'gcp.gen_ai'],
  ['azure', 'azure.ai.openai'],
]);

const USAGE_KEYS: ReadonlyArray<readonly [keyof TokenUsage, readonly string[]]> = [
  ['inputTokens', ['llm.token_count.prompt']],
  ['outputTokens', ['llm.token_count.completion']],
  ['cacheReadTokens', ['llm.token_count.prompt_details.cache_read']],
  ['cacheWriteTokens', ['llm.token_count.prompt_details.cache_write']],
  ['reasoningTokens', ['llm.token_count.completion_details.reasoning']],
];

const RESPONSE_MODEL_KEYS = ['llm.response.model_name'];
const MODEL_KEYS = ['llm.model_name', 'embedding.model_name', 'reranker.model_name'];
const REQUEST_MODEL_KEYS = ['llm.request.model_name'];
const PROVIDER_KEYS = ['llm.provider', 'llm.system'];

export const openInferenceDialect: Dialect = {
  name: 'openinference',

  detect(_span: WireSpan, hints: number): boolean {
    return (hints & HINT_OPEN_INFERENCE) !== 0;
  },

  extract(span: WireSpan, notes?: ExtractNotes): DialectFields {
    const attributes = span.attributes;
    const kindText = firstText(attributes, [KIND_KEY], 'spanType', notes);
    const spanType = kindText === undefined ? undefined : KIND_SPAN_TYPES.get(kindText.toUpperCase());
    if (kindText !== undefined && spanType === undefined) notes?.problem(KIND_KEY, `unknown span kind ${describeValue(kindText)}`);
    const providerText = firstText(attributes, PROVIDER_KEYS, 'provider', notes);
    const isTool = spanType === 'tool';
    const retrieved = flattenedDocuments(attributes, 'retrieval.documents.', notes);
    const documents = retrieved ?? flattenedDocuments(attributes, 'reranker.output_documents.', notes);
    if (documents !== undefined) notes?.source('retrievalDocuments', retrieved !== undefined ? 'retrieval.documents.*' : 'reranker.output_documents.*');
    const metadata = metadataFields(attributes, notes);
    const provider = providerText ?? useMetadata(metadata, 'provider', notes);
    // session.id / user.id themselves are read by the general context dialect and win.
    const hasSession = attributes['session.id'] !== undefined;
    const hasUser = attributes['user.id'] !== undefined;
    return {
      spanType,
      model:
        firstText(attributes, RESPONSE_MODEL_KEYS, 'model', notes) ??
        (spanType === 'llm' ? outputResponseModel(attributes, notes) : undefined) ??
        firstText(attributes, MODEL_KEYS, 'model', notes),
      requestModel: firstText(attributes, REQUEST_MODEL_KEYS, 'requestModel', notes) ?? invocationModel(attributes, notes) ?? useMetadata(metadata, 'requestModel', notes),
      provider: provider === undefined ? undefined : (PROVIDER_ALIASES.get(provider.toLowerCase()) ?? canonicalProviderName(provider)),
      sessionId: hasSession ? undefined : useMetadata(metadata, 'sessionId', notes),
      userId: hasUser ? undefined : useMetadata(metadata, 'userId', notes),
      agentName: firstText(attributes, ['agent.name'], 'agentName', notes) ?? nameOfKind(span, spanType, 'agent', 'agentName', notes),
      toolName: firstText(attributes, ['tool.name'], 'toolName', notes) ?? nameOfKind(span, spanType, 'tool', 'toolName', notes),
      toolCallId: firstText(attributes, ['tool_call.id', 'tool.id'], 'toolCallId', notes),
      usage: usageOf(attributes, notes),
      costUsd: firstAmount(attributes, ['llm.cost.total'], 'costUsd', notes),
      input: inputOf(attributes, isTool, notes),
      output: outputOf(attributes, documents, notes),
      finishReasons: firstTextList(attributes, ['llm.finish_reason'], 'finishReasons', notes) ?? outputFinishReasons(attributes),
      promptName: firstText(attributes, ['prompt.id'], 'promptName', notes),
      promptVersion: firstText(attributes, ['llm.prompt_template.version'], 'promptVersion', notes),
      retrievalDocuments: documents,
      tags: firstTextList(attributes, ['tag.tags'], 'tags', notes),
    };
  },
};

/**
 * OpenInference's own helpers (`traceTool` / `traceAgent` of @arizeai/openinference-core, also
 * `withSpan` with a kind) name the span after the tool or agent and set no `tool.name` /
 * `agent.name`: for a TOOL or AGENT span without them the span name is the tool's or agent's.
 */
function nameOfKind(span: WireSpan, spanType: SpanType | undefined, kind: SpanType, field: 'agentName' | 'toolName', notes?: ExtractNotes): string | undefined {
  if (spanType !== kind || span.name === '') return undefined;
  notes?.source(field, 'span name');
  return span.name;
}

function usageOf(attributes: AttributeMap, notes?: ExtractNotes): Partial<TokenUsage> | undefined {
  let usage: Partial<TokenUsage> | undefined;
  for (const [field, keys] of USAGE_KEYS) {
    const count = firstCount(attributes, keys, `usage.${field}`, notes);
    if (count !== undefined) (usage ??= {})[field] = count;
  }
  return usage;
}

/** `llm.invocation_parameters` is JSON text of the request settings, `model` among them. */
function invocationModel(attributes: AttributeMap, notes?: ExtractNotes): string | undefined {
  const value = attributes['llm.invocation_parameters'];
  if (typeof value !== 'string') return undefined;
  const parsed = parseJsonText(value);
  if (!isRecord(parsed)) {
    notes?.problem('llm.invocation_parameters', 'not a JSON object');
    return undefined;
  }
  if (typeof parsed.model !== 'string' || parsed.model === '') return undefined;
  notes?.source('requestModel', 'llm.invocation_parameters');
  return parsed.model;
}

/** Messages first; `input.value` (JSON per `input.mime_type`, else text) otherwise. */
function inputOf(attributes: AttributeMap, isTool: boolean, notes?: ExtractNotes): SpanContent | undefined {
  const messages = flattenedMessages(attributes, 'llm.input_messages.', 'user', notes);
  if (messages !== undefined) {
    notes?.source('input', 'llm.input_messages.*');
    return { kind: 'messages', messages };
  }
  const value = ioValue(attributes, 'input', notes) ?? (isTool ? ioValueOf(attributes, 'tool.parameters', undefined, 'input', notes) : undefined);
  if (value !== undefined) return value;
  const query = textValue(attributes['reranker.query']);
  if (query === undefined) return undefined;
  notes?.source('input', 'reranker.query');
  return { kind: 'value', value: query };
}

function outputOf(attributes: AttributeMap, documents: DialectFields['retrievalDocuments'], notes?: ExtractNotes): SpanContent | undefined {
  const messages = flattenedMessages(attributes, 'llm.output_messages.', 'assistant', notes);
  if (messages !== undefined) {
    notes?.source('output', 'llm.output_messages.*');
    return { kind: 'messages', messages };
  }
  const value = ioValue(attributes, 'output', notes);
  if (value !== undefined || documents === undefined) return value;
  notes?.source('output', 'retrieval.documents.*');
  return { kind: 'value', value: documents };
}

function ioValue(attributes: AttributeMap, side: 'input' | 'output', notes?: ExtractNotes): SpanContent | undefined {
  return ioValueOf(attributes, `${side}.value`, attributes[`${side}.mime_type`], side, notes);
}

/**
 * A generic I/O value. JSON (by mime type, or text that parses as an object or array) that is a
 * message list, or an OpenAI request with `messages`, becomes canonical messages.
 */
function ioValueOf(attributes: AttributeMap, key: string, mimeType: unknown, side: 'input' | 'output', notes?: ExtractNotes): SpanContent | undefined {
  const raw = attributes[key];
  if (raw === undefined) return undefined;
  notes?.source(side, key);
  const value = parseAttributeValue(raw);
  if (mimeType === 'application/json' && typeof raw === 'string' && value === raw && raw.trim() !== '') {
    notes?.problem(key, `${side}.mime_type is application/json but the value is not valid JSON; kept as text`);
  }
  const messages = toMessageList(value, side === 'input' ? 'user' : 'assistant');
  return messages === undefined ? { kind: 'value', value } : { kind: 'messages', messages };
}

/** `llm.output_messages.<i>.message.finish_reason`, when an instrumentation writes it per message. */
function outputFinishReasons(attributes: AttributeMap): string[] | undefined {
  let reasons: string[] | undefined;
  for (let index = 0; index < 64; index++) {
    const reason = textValue(attributes[`llm.output_messages.${index}.message.finish_reason`]);
    if (reason === undefined) break;
    if (!(reasons ??= []).includes(reason)) reasons.push(reason);
  }
  return reasons;
}

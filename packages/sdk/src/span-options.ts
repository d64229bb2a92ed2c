// Options of each typed span and how they become a span name, kind and attributes (the
// conventions listed in docs/sdk.md). Pure: no OpenTelemetry calls here.

import { createHash } from 'node:crypto';
import { SpanKind, type Attributes, type Link } from '@opentelemetry/api';
import * as names from './internal/attribute-names.js';
import type { SpanType } from './span-type.js';

interface CommonOptions {
  /** Overrides the conventional span name. */
  spanName?: string;
  attributes?: Attributes;
  /** Spans this one was caused by but is not part of (see `linkTo`). */
  links?: Link[];
}

/** A prompt from a prompt registry: name, version and a hash of its template. */
export interface PromptReference {
  name: string;
  version?: string | number;
  /** The template text; only its SHA-256 (first 16 hex digits) is recorded. */
  template?: string;
}

export interface AgentOptions extends CommonOptions { name: string; id?: string; description?: string; version?: string }
export interface LlmOptions extends CommonOptions {
  model: string;
  provider: string;
  operation?: 'chat' | 'text_completion' | 'generate_content';
  prompt?: PromptReference;
}
export interface ToolOptions extends CommonOptions { name: string; callId?: string; description?: string; toolType?: 'function' | 'extension' | 'datastore' }
export interface RetrievalOptions extends CommonOptions { dataSource?: string }
export interface EmbeddingOptions extends CommonOptions { model: string; provider: string }
export interface RerankerOptions extends CommonOptions { model?: string; provider?: string }
export interface GuardrailOptions extends CommonOptions { name: string }
export interface EvaluationOptions extends CommonOptions { name: string }
export interface VoiceOptions extends CommonOptions {
  operation: 'capture' | 'transcribe' | 'synthesize';
  model?: string;
  provider?: string;
  codec?: string;
  sampleRateHz?: number;
  language?: string;
  /** Recognition confidence, 0..1 (can also be set later with `setAttribute`). */
  confidence?: number;
}
export interface ChainOptions extends CommonOptions { name: string }

export interface SpanSpec {
  /** `other` for transport spans (HTTP, messaging) that are no agent step. */
  type: SpanType | 'other';
  name: string;
  kind: SpanKind;
  attributes: Attributes;
  links?: Link[];
}

// Hot path: every typed span builds its attributes here. One object, filled key by key — object
// spread of attribute maps with `undefined` values costs V8 microseconds per span.
function spec(type: SpanType, name: string, kind: SpanKind, attributes: Attributes, common: CommonOptions): SpanSpec {
  const merged: Attributes = {};
  merged[names.CAIRN_SPAN_TYPE] = type;
  copyDefined(merged, attributes);
  if (common.attributes !== undefined) copyDefined(merged, common.attributes);
  return { type, name: common.spanName ?? name, kind, attributes: merged, links: common.links };
}

function copyDefined(target: Attributes, source: Attributes): void {
  const keys = Object.keys(source);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    const value = source[key];
    if (value !== undefined) target[key] = value;
  }
}

export function promptAttributes(prompt: PromptReference): Attributes {
  return {
    [names.PROMPT_NAME]: prompt.name,
    [names.CAIRN_PROMPT_VERSION]: prompt.version === undefined ? undefined : String(prompt.version),
    [names.CAIRN_PROMPT_TEMPLATE_HASH]: prompt.template === undefined ? undefined : templateHash(prompt.template),
  };
}

export function templateHash(template: string): string {
  return createHash('sha256').update(template).digest('hex').slice(0, 16);
}

export const agentSpec = (options: AgentOptions): SpanSpec =>
  spec('agent', `invoke_agent ${options.name}`, SpanKind.INTERNAL, {
    [names.OPERATION]: 'invoke_agent', [names.AGENT_NAME]: options.name, [names.AGENT_ID]: options.id,
    'gen_ai.agent.description': options.description, 'gen_ai.agent.version': options.version,
  }, options);

export const llmSpec = (options: LlmOptions): SpanSpec => {
  const operation = options.operation ?? 'chat';
  const attributes: Attributes = { [names.OPERATION]: operation, [names.PROVIDER]: options.provider, [names.REQUEST_MODEL]: options.model };
  if (options.prompt) copyDefined(attributes, promptAttributes(options.prompt));
  return spec('llm', `${operation} ${options.model}`, SpanKind.CLIENT, attributes, options);
};

export const toolSpec = (options: ToolOptions): SpanSpec =>
  spec('tool', `execute_tool ${options.name}`, SpanKind.INTERNAL, {
    [names.OPERATION]: 'execute_tool', [names.TOOL_NAME]: options.name, [names.TOOL_CALL_ID]: options.callId,
    'gen_ai.tool.description': options.description, [names.TOOL_TYPE]: options.toolType ?? 'function',
  }, options);

export const retrievalSpec = (options: RetrievalOptions): SpanSpec =>
  spec('retrieval', options.dataSource ? `retrieval ${options.dataSource}` : 'retrieval', SpanKind.CLIENT, {
    [names.OPERATION]: 'retrieval', [names.DATA_SOURCE_ID]: options.dataSource,
  }, options);

export const embeddingSpec = (options: EmbeddingOptions): SpanSpec =>
  spec('embedding', `embeddings ${options.model}`, SpanKind.CLIENT, {
    [names.OPERATION]: 'embeddings', [names.PROVIDER]: options.provider, [names.REQUEST_MODEL]: options.model,
  }, options);

export const rerankerSpec = (options: RerankerOptions): SpanSpec =>
  spec('reranker', options.model ? `rerank ${options.model}` : 'rerank', SpanKind.CLIENT, {
    [names.OPERATION]: 'rerank', [names.PROVIDER]: options.provider, [names.REQUEST_MODEL]: options.model,
  }, options);

// GenAI has no operation for guardrails and evaluators; the OpenInference kind is what Cairn's
// semantic layer classifies them by today.
export const guardrailSpec = (options: GuardrailOptions): SpanSpec =>
  spec('guardrail', `guardrail ${options.name}`, SpanKind.INTERNAL, { [names.OPENINFERENCE_KIND]: 'GUARDRAIL', 'cairn.guardrail.name': options.name }, options);

export const evaluationSpec = (options: EvaluationOptions): SpanSpec =>
  spec('evaluator', `evaluation ${options.name}`, SpanKind.INTERNAL, { [names.OPENINFERENCE_KIND]: 'EVALUATOR', [names.EVALUATION_NAME]: options.name }, options);

export const voiceSpec = (options: VoiceOptions): SpanSpec =>
  spec('voice', `voice.${options.operation}${options.model ? ` ${options.model}` : ''}`, SpanKind.INTERNAL, {
    // Not gen_ai.request.model: a model with a provider and no operation would be classified as an LLM call.
    [names.CAIRN_VOICE_OPERATION]: options.operation, 'cairn.voice.provider': options.provider, 'cairn.voice.model': options.model,
    [names.CAIRN_VOICE_CODEC]: options.codec, [names.CAIRN_VOICE_SAMPLE_RATE]: options.sampleRateHz,
    [names.CAIRN_VOICE_LANGUAGE]: options.language, [names.CAIRN_VOICE_CONFIDENCE]: options.confidence,
  }, options);

export const chainSpec = (options: ChainOptions): SpanSpec =>
  spec('chain', `invoke_workflow ${options.name}`, SpanKind.INTERNAL, { [names.OPERATION]: 'invoke_workflow', [names.WORKFLOW_NAME]: options.name }, options);

/** A step inside a chain or agent: a chain span without the workflow operation. */
export const stepSpec = (options: ChainOptions): SpanSpec =>
  spec('chain', options.name, SpanKind.INTERNAL, { [names.OPENINFERENCE_KIND]: 'CHAIN' }, options);

// Mastra (`@mastra/otel-exporter`, scope `@mastra/otel`): `mastra.span.type` names Mastra's own
// span types next to the gen_ai.* attributes it also writes. It decides the type where gen_ai
// cannot: its model_step / model_chunk spans sit under the model_generation span that carries
// the usage, and its older exporter names operations `agent.run`, `tool.execute`, `workflow.run`.
// Inputs and outputs of non-model spans travel as `mastra.<type>.input/output` (current) or
// `input` / `output` and `gen_ai.tool.input/output` (older exporter).
// Mastra's built-in telemetry (@mastra/core ≤0.x, no exporter) is read too: `mastra.operationId`
// mastra.stream.aisdk.doStream (a model call; aisdk.model.*, stream.usage.*, stream.prompt.*,
// stream.response.*), mastra.stream.toolCall (stream.toolCall.*), mastra.stream / agent.generate /
// agent.stream (the agent; `componentName`), workflow.* steps (chain).

import type { AttributeMap, SpanType, WireSpan } from '@cairn/model';
import type { Dialect, DialectFields, ExtractNotes, SpanContent } from '../dialect.js';
import { parseAttributeValue } from '../internal/attribute-readers.js';
import { toMessageList } from '../internal/canonical-messages.js';
import { HINT_MASTRA } from './dialect-hints.js';
import { llmExecutionFields, MASTRA_LLM_EXECUTION_SPAN } from './mastra-llm-execution.js';
import { canonicalProviderName } from '../internal/provider-name.js';
import { countValue, describeValue, firstAmount, firstText, firstTextList, isoTimeToNanos, textValue } from './dialect-readers.js';

const SPAN_TYPES = new Map<string, SpanType>([
  ['agent_run', 'agent'],
  ['model_generation', 'llm'],
  ['llm_generation', 'llm'],
  // Steps and chunks of one generation: the generation span carries model and usage.
  ['model_step', 'chain'],
  ['model_chunk', 'chain'],
  ['llm_chunk', 'chain'],
  ['tool_call', 'tool'],
  ['mcp_tool_call', 'tool'],
  ['provider_tool_call', 'tool'],
  ['rag_embedding', 'embedding'],
  ['workflow_run', 'chain'],
  ['workflow_step', 'chain'],
  ['workflow_conditional', 'chain'],
  ['workflow_conditional_eval', 'chain'],
  ['workflow_parallel', 'chain'],
  ['workflow_loop', 'chain'],
  ['workflow_sleep', 'chain'],
  ['workflow_wait_event', 'chain'],
  ['processor_run', 'chain'],
  ['generic', 'other'],
]);

export const mastraDialect: Dialect = {
  name: 'mastra',

  detect(_span: WireSpan, hints: number): boolean {
    return (hints & HINT_MASTRA) !== 0;
  },

  extract(span: WireSpan, notes?: ExtractNotes): DialectFields {
    const attributes = span.attributes;
    if (attributes['mastra.span.type'] === undefined) return legacyFields(span, notes);
    const typeText = textValue(attributes['mastra.span.type'])?.toLowerCase();
    const spanType = typeText === undefined ? undefined : SPAN_TYPES.get(typeText);
    if (spanType !== undefined) notes?.source('spanType', 'mastra.span.type');
    else if (typeText !== undefined) notes?.problem('mastra.span.type', `unknown Mastra span type ${describeValue(typeText)}`);
    const ioType = typeText ?? '';
    return {
      spanType,
      agentId: firstText(attributes, ['agent.id'], 'agentId', notes),
      input: content(attributes, [`mastra.${ioType}.input`, 'gen_ai.tool.input', 'input'], 'input', notes),
      output: content(attributes, [`mastra.${ioType}.output`, 'gen_ai.tool.output', 'output'], 'output', notes),
      timeToFirstTokenMs: timeToFirstToken(span, notes),
    };
  },
};

function content(attributes: AttributeMap, keys: readonly string[], side: 'input' | 'output', notes?: ExtractNotes): SpanContent | undefined {
  for (const key of keys) {
    const raw = attributes[key];
    if (raw === undefined) continue;
    notes?.source(side, key);
    const value = parseAttributeValue(raw);
    const messages = toMessageList(value, side === 'input' ? 'user' : 'assistant');
    return messages === undefined ? { kind: 'value', value } : { kind: 'messages', messages };
  }
  return undefined;
}

function timeToFirstToken(span: WireSpan, notes?: ExtractNotes): number | undefined {
  const start = isoTimeToNanos(span.attributes['mastra.completion_start_time']);
  if (start === undefined) return undefined;
  notes?.source('timeToFirstTokenMs', 'mastra.completion_start_time');
  return start <= span.startTimeUnixNano ? 0 : Number(start - span.startTimeUnixNano) / 1e6;
}

const LEGACY_OPERATIONS = new Map<string, SpanType>([
  ['mastra.stream.aisdk.doStream', 'llm'],
  ['mastra.generate.aisdk.doStream', 'llm'],
  ['mastra.generate.aisdk.doGenerate', 'llm'],
  ['mastra.stream.toolCall', 'tool'],
  ['mastra.stream', 'agent'],
  ['mastra.generate', 'agent'],
  ['agent.generate', 'agent'],
  ['agent.stream', 'agent'],
]);

/**
 * The doStream span of Mastra's agentic loop (0.2x) is opened once for all the loop's model calls
 * and never gets usage; the calls are its llm-execution steps. Only a doStream span that reports
 * usage (older releases: one span per call) is a model call.
 */
const LOOP_MODEL_SPANS: ReadonlySet<string> = new Set(['mastra.stream.aisdk.doStream', 'mastra.generate.aisdk.doStream']);

function legacyFields(span: WireSpan, notes?: ExtractNotes): DialectFields {
  const attributes = span.attributes;
  if (span.name === MASTRA_LLM_EXECUTION_SPAN) return llmExecutionFields(span, notes);
  const operation = firstText(attributes, ['mastra.operationId'], 'operation', notes) ?? span.name;
  let spanType = LEGACY_OPERATIONS.get(operation) ?? (operation.startsWith('workflow.') ? 'chain' : undefined);
  if (spanType === 'llm' && LOOP_MODEL_SPANS.has(operation) && attributes['stream.usage.inputTokens'] === undefined && attributes['stream.usage.outputTokens'] === undefined) {
    spanType = 'chain';
    notes?.problem('mastra.operationId', `${operation} without stream.usage.* wraps every model call of the agentic loop; the calls are its ${MASTRA_LLM_EXECUTION_SPAN} spans`);
  }
  if (spanType !== undefined) notes?.source('spanType', attributes['mastra.operationId'] !== undefined ? 'mastra.operationId' : 'span name');
  const isAgent = spanType === 'agent';
  const isModelCall = spanType === 'llm';
  const providerText = firstText(attributes, ['aisdk.model.provider'], 'provider', notes);
  const inputTokens = countOf(attributes, 'stream.usage.inputTokens', 'inputTokens', notes);
  const outputTokens = countOf(attributes, 'stream.usage.outputTokens', 'outputTokens', notes);
  return {
    spanType,
    operation: attributes['mastra.operationId'] === undefined ? undefined : operation,
    agentName: isAgent ? firstText(attributes, ['componentName'], 'agentName', notes) : undefined,
    model: firstText(attributes, ['aisdk.model.id'], 'model', notes),
    requestModel: firstText(attributes, ['aisdk.model.id'], 'requestModel', notes),
    provider: providerText === undefined ? undefined : canonicalProviderName(providerText),
    toolName: firstText(attributes, ['stream.toolCall.toolName'], 'toolName', notes),
    toolCallId: firstText(attributes, ['stream.toolCall.toolCallId'], 'toolCallId', notes),
    usage: inputTokens === undefined && outputTokens === undefined ? undefined : { inputTokens, outputTokens },
    input: content(attributes, ['stream.toolCall.args', 'stream.prompt.messages', `${span.name}.argument.0`], 'input', notes),
    output: content(attributes, ['stream.toolCall.result', 'stream.response.text', `${span.name}.result`], 'output', notes),
    finishReasons: firstTextList(attributes, ['stream.response.finishReason'], 'finishReasons', notes),
    timeToFirstTokenMs: isModelCall ? firstAmount(attributes, ['stream.response.msToFirstChunk'], 'timeToFirstTokenMs', notes) : undefined,
  };
}

function countOf(attributes: AttributeMap, key: string, field: 'inputTokens' | 'outputTokens', notes?: ExtractNotes): number | undefined {
  const count = countValue(attributes[key]);
  if (count !== undefined) notes?.source(`usage.${field}`, key);
  return count;
}

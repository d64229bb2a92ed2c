// Mastra's agentic loop (@mastra/core 0.2x built-in telemetry, `agent.stream` / `agent.generate`)
// runs each call to the model as the `llm-execution` step of its `executionWorkflow`. That step's
// span is the only per-call record: the call's usage, response model, provider and finish reason
// live inside the JSON of its `.result` attribute, and the request body inside `.result` too.
// (The loop's `mastra.stream.aisdk.doStream` span is opened once for every call and never gets
// usage; `mastra.stream` carries the last call's usage; `agent.stream.result` the run total.)
//
//   agent.stream ─ mastra.stream ─ mastra.stream.aisdk.doStream       (loop: no usage)
//                └ workflow.agentic-loop.step.executionWorkflow
//                   └ workflow.executionWorkflow.execute
//                      └ workflow.executionWorkflow.step.llm-execution ← one per model call
//
// The other steps (add-response-to-messagelist, llmExecutionMappingStep, the loop step) repeat the
// same output JSON; they stay chains, so the usage is counted once.

import type { CanonicalMessage, MessagePart, TokenUsage, WireSpan } from '@cairn/model';
import type { DialectFields, ExtractNotes } from '../dialect.js';
import { idText, isRecord, parseJsonText } from '../internal/attribute-readers.js';
import { toMessageList } from '../internal/canonical-messages.js';
import { canonicalProviderName } from '../internal/provider-name.js';
import { describeValue } from './dialect-readers.js';

/** The span name of one model call in Mastra's agentic loop. */
export const MASTRA_LLM_EXECUTION_SPAN = 'workflow.executionWorkflow.step.llm-execution';

const RESULT_KEY = `${MASTRA_LLM_EXECUTION_SPAN}.result`;

/** AI SDK v5 usage names (Mastra's `output.usage`) → canonical counts. */
const USAGE_KEYS: readonly (readonly [string, keyof TokenUsage])[] = [
  ['inputTokens', 'inputTokens'],
  ['outputTokens', 'outputTokens'],
  ['cachedInputTokens', 'cacheReadTokens'],
  ['reasoningTokens', 'reasoningTokens'],
];

/** The fields of an llm-execution step span: always a model call, with what its result JSON says. */
export function llmExecutionFields(span: WireSpan, notes?: ExtractNotes): DialectFields {
  notes?.source('spanType', 'span name');
  const raw = span.attributes[RESULT_KEY];
  const result = typeof raw === 'string' ? parseJsonText(raw) : undefined;
  if (!isRecord(result)) {
    if (raw !== undefined) notes?.problem(RESULT_KEY, `expected the step result as JSON, got ${describeValue(raw)}`);
    return { spanType: 'llm', operation: 'chat' };
  }
  const at = (path: string) => `${RESULT_KEY} → ${path}`;
  const metadata = isRecord(result.metadata) ? result.metadata : {};
  const modelMetadata = isRecord(metadata.modelMetadata) ? metadata.modelMetadata : {};
  const output = isRecord(result.output) ? result.output : {};
  const stepResult = isRecord(result.stepResult) ? result.stepResult : {};

  const fields: DialectFields = { spanType: 'llm', operation: 'chat' };
  const usage = usageOf(output.usage, at('output.usage'), notes);
  if (usage !== undefined) fields.usage = usage;
  const responseModel = text(metadata.modelId) ?? text(isRecord(metadata.body) ? metadata.body.model : undefined);
  if (responseModel !== undefined) {
    fields.model = responseModel;
    notes?.source('model', at('metadata.modelId'));
  }
  const requestModel = text(modelMetadata.modelId);
  if (requestModel !== undefined) {
    fields.requestModel = requestModel;
    notes?.source('requestModel', at('metadata.modelMetadata.modelId'));
    if (fields.model === undefined) fields.model = requestModel;
  }
  const provider = text(modelMetadata.modelProvider);
  if (provider !== undefined) {
    fields.provider = canonicalProviderName(provider);
    notes?.source('provider', at('metadata.modelMetadata.modelProvider'));
  }
  const reason = text(stepResult.reason);
  if (reason !== undefined) {
    fields.finishReasons = [reason];
    notes?.source('finishReasons', at('stepResult.reason'));
  }
  const input = requestMessages(metadata.request);
  if (input !== undefined) {
    fields.input = { kind: 'messages', messages: input };
    notes?.source('input', at('metadata.request.body'));
  }
  const answer = outputMessage(output);
  if (answer !== undefined) {
    fields.output = { kind: 'messages', messages: [answer] };
    notes?.source('output', at('output'));
  }
  return fields;
}

function usageOf(value: unknown, path: string, notes?: ExtractNotes): Partial<TokenUsage> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    notes?.problem(path, `expected an object of token counts, got ${describeValue(value)}`);
    return undefined;
  }
  const usage: Partial<TokenUsage> = {};
  let found = false;
  for (const [key, field] of USAGE_KEYS) {
    const count = value[key];
    if (count === undefined || count === null) continue;
    if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) {
      notes?.problem(`${path}.${key}`, `expected a token count, got ${describeValue(count)}`);
      continue;
    }
    usage[field] = Math.round(count);
    notes?.source(`usage.${field}`, `${path}.${key}`);
    found = true;
  }
  return found ? usage : undefined;
}

/** The messages of the provider request body Mastra kept (`{"model":…,"messages":[…]}` as text). */
function requestMessages(request: unknown): CanonicalMessage[] | undefined {
  if (!isRecord(request)) return undefined;
  const body = typeof request.body === 'string' ? parseJsonText(request.body) : request.body;
  return isRecord(body) ? toMessageList(body.messages, 'user') : undefined;
}

function outputMessage(output: Record<string, unknown>): CanonicalMessage | undefined {
  const parts: MessagePart[] = [];
  const answer = text(output.text);
  if (answer !== undefined) parts.push({ type: 'text', text: answer });
  if (Array.isArray(output.toolCalls)) {
    for (const call of output.toolCalls) {
      if (!isRecord(call)) continue;
      const id = idText(call.toolCallId) ?? '';
      const name = text(call.toolName) ?? '';
      parts.push({ type: 'tool_call', id, name, arguments: call.args ?? call.input ?? null });
    }
  }
  return parts.length === 0 ? undefined : { role: 'assistant', parts };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

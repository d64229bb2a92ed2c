// Callback-style helpers, one per span type: `agent('planner', async (span) => …)`. Each runs the
// callback inside a new span (through `recordSpan`) and returns what the callback returns.

import type { CairnSpan } from './cairn-span.js';
import { recordSpan } from './internal/record-span.js';
import * as specs from './span-options.js';

type Body<T> = (span: CairnSpan) => T;
const named = <O extends { name: string }>(options: O | string): O => (typeof options === 'string' ? ({ name: options } as O) : options);

export const agent = <T>(options: specs.AgentOptions | string, fn: Body<T>): T => recordSpan(specs.agentSpec(named(options)), fn);
export const llm = <T>(options: specs.LlmOptions, fn: Body<T>): T => recordSpan(specs.llmSpec(options), fn);
export const tool = <T>(options: specs.ToolOptions | string, fn: Body<T>): T => recordSpan(specs.toolSpec(named(options)), fn);
export const retrieval = <T>(options: specs.RetrievalOptions, fn: Body<T>): T => recordSpan(specs.retrievalSpec(options), fn);
export const embedding = <T>(options: specs.EmbeddingOptions, fn: Body<T>): T => recordSpan(specs.embeddingSpec(options), fn);
export const reranker = <T>(options: specs.RerankerOptions, fn: Body<T>): T => recordSpan(specs.rerankerSpec(options), fn);
export const guardrail = <T>(options: specs.GuardrailOptions | string, fn: Body<T>): T => recordSpan(specs.guardrailSpec(named(options)), fn);
export const evaluation = <T>(options: specs.EvaluationOptions | string, fn: Body<T>): T => recordSpan(specs.evaluationSpec(named(options)), fn);
export const voice = <T>(options: specs.VoiceOptions, fn: Body<T>): T => recordSpan(specs.voiceSpec(options), fn);
export const chain = <T>(options: specs.ChainOptions | string, fn: Body<T>): T => recordSpan(specs.chainSpec(named(options)), fn);
export const step = <T>(options: specs.ChainOptions | string, fn: Body<T>): T => recordSpan(specs.stepSpec(named(options)), fn);

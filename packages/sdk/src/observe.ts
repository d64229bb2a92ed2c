// `observe(fn, options)` wraps a function so every call is a typed span; arguments become the
// span's input and the (resolved) return value its output, unless turned off.

import type { CairnSpan } from './cairn-span.js';
import { recordSpan } from './internal/record-span.js';
import * as specs from './span-options.js';

export type ObserveOptions = { captureInput?: boolean; captureOutput?: boolean } & (
  | ({ type: 'agent' } & specs.AgentOptions)
  | ({ type: 'llm' } & specs.LlmOptions)
  | ({ type: 'tool' } & specs.ToolOptions)
  | ({ type: 'retrieval' } & specs.RetrievalOptions)
  | ({ type: 'embedding' } & specs.EmbeddingOptions)
  | ({ type: 'reranker' } & specs.RerankerOptions)
  | ({ type: 'guardrail' } & specs.GuardrailOptions)
  | ({ type: 'evaluator' } & specs.EvaluationOptions)
  | ({ type: 'voice' } & specs.VoiceOptions)
  | ({ type: 'chain' } & specs.ChainOptions)
  | ({ type: 'step' } & specs.ChainOptions)
);

export function specFor(options: ObserveOptions): specs.SpanSpec {
  switch (options.type) {
    case 'agent': return specs.agentSpec(options);
    case 'llm': return specs.llmSpec(options);
    case 'tool': return specs.toolSpec(options);
    case 'retrieval': return specs.retrievalSpec(options);
    case 'embedding': return specs.embeddingSpec(options);
    case 'reranker': return specs.rerankerSpec(options);
    case 'guardrail': return specs.guardrailSpec(options);
    case 'evaluator': return specs.evaluationSpec(options);
    case 'voice': return specs.voiceSpec(options);
    case 'chain': return specs.chainSpec(options);
    case 'step': return specs.stepSpec(options);
  }
}

/** Returns `fn` wrapped: same parameters, same `this`, same return value (streams included). */
export function observe<A extends unknown[], R>(fn: (this: unknown, ...args: A) => R, options: ObserveOptions): (...args: A) => R {
  const spec = specFor(options);
  const captureInput = options.captureInput ?? true;
  const captureOutput = options.captureOutput ?? true;
  return function observed(this: unknown, ...args: A): R {
    let handle: CairnSpan | undefined;
    return recordSpan(
      spec,
      (span) => {
        handle = span;
        if (captureInput && args.length > 0) span.setInput(args.length === 1 ? args[0] : args);
        return fn.apply(this, args);
      },
      { value: (value) => captureOutput && value !== undefined && handle?.setOutput(value) },
    );
  };
}

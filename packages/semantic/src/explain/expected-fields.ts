// Which canonical fields a span of each type is expected to have: what explain lists as
// "missing" when the span did not carry it (a hint to fix instrumentation, not an error).

import type { SpanType } from '@cairn/model';
import type { CanonicalField } from '../dialect.js';

const MODEL_CALL: readonly CanonicalField[] = ['model', 'provider', 'usage.inputTokens', 'usage.outputTokens', 'input', 'output'];

export const EXPECTED_FIELDS: Readonly<Record<SpanType, readonly CanonicalField[]>> = {
  llm: MODEL_CALL,
  embedding: ['model', 'provider', 'usage.inputTokens', 'input'],
  tool: ['toolName', 'input', 'output'],
  agent: ['agentName', 'input', 'output'],
  retrieval: ['input', 'retrievalDocuments'],
  reranker: ['model', 'input', 'output'],
  chain: [],
  guardrail: ['input', 'output'],
  evaluator: ['input', 'output'],
  voice: ['model', 'provider'],
  memory: ['operation'],
  other: [],
};

// The kinds of agent step the typed helpers create; each maps to a Cairn `spanType`.

export const SPAN_TYPES = ['agent', 'llm', 'tool', 'retrieval', 'embedding', 'reranker', 'guardrail', 'evaluator', 'voice', 'chain'] as const;
export type SpanType = (typeof SPAN_TYPES)[number];

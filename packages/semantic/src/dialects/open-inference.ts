// OpenInference (Arize Phoenix): for now only `openinference.span.kind`, which declares the span
// type. Its flattened messages, token counts and tool fields come with the multi-dialect work.

import type { SpanType, WireSpan } from '@cairn/model';
import type { Dialect, DialectFields } from '../dialect.js';

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
]);

function spanTypeOf(span: WireSpan): SpanType | undefined {
  const kind = span.attributes[KIND_KEY];
  return typeof kind === 'string' ? KIND_SPAN_TYPES.get(kind.toUpperCase()) : undefined;
}

export const openInferenceDialect: Dialect = {
  name: 'openinference',

  detect(span: WireSpan): boolean {
    return spanTypeOf(span) !== undefined;
  },

  extract(span: WireSpan): DialectFields {
    return { spanType: spanTypeOf(span) };
  },
};

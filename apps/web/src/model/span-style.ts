// How each span type looks: a short badge label and a colour token (CSS variables in
// styles.css, with light and dark values).

import type { SpanType } from '../api/api-types.js';

export interface SpanTypeStyle {
  label: string;
  /** Name of the CSS colour variable, e.g. 'llm' → var(--type-llm). */
  colour: string;
  description: string;
}

const STYLES: Record<SpanType, SpanTypeStyle> = {
  agent: { label: 'AGT', colour: 'agent', description: 'Agent' },
  llm: { label: 'LLM', colour: 'llm', description: 'LLM call' },
  embedding: { label: 'EMB', colour: 'embedding', description: 'Embedding' },
  tool: { label: 'TL', colour: 'tool', description: 'Tool call' },
  retrieval: { label: 'RET', colour: 'retrieval', description: 'Retrieval' },
  reranker: { label: 'RRK', colour: 'retrieval', description: 'Reranker' },
  chain: { label: 'CH', colour: 'chain', description: 'Chain' },
  guardrail: { label: 'GRD', colour: 'guardrail', description: 'Guardrail' },
  evaluator: { label: 'EVL', colour: 'guardrail', description: 'Evaluator' },
  voice: { label: 'VOX', colour: 'other', description: 'Voice' },
  memory: { label: 'MEM', colour: 'chain', description: 'Memory' },
  other: { label: '•', colour: 'other', description: 'Span' },
};

export function spanTypeStyle(type: SpanType | null): SpanTypeStyle {
  return type === null ? { label: '?', colour: 'missing', description: 'Missing span' } : (STYLES[type] ?? STYLES.other);
}

/** Left offset and width of a waterfall bar, in percent of the trace duration (min width so 0 ms spans stay visible). */
export function barGeometry(startMs: number, durationMs: number, traceDurationMs: number): { leftPercent: number; widthPercent: number } {
  if (traceDurationMs <= 0) return { leftPercent: 0, widthPercent: 100 };
  const leftPercent = Math.min(100, Math.max(0, (startMs / traceDurationMs) * 100));
  const widthPercent = Math.max(0.15, Math.min(100 - leftPercent, (durationMs / traceDurationMs) * 100));
  return { leftPercent, widthPercent };
}

// A small, fixed set of traces with distinct properties, so every trace-list filter and sort
// has a known answer.

import type { SpanRecord } from '@cairn/model';
import type { TraceStore } from '../trace-store.js';
import { buildAgentTrace, buildSpanRecord, nextTraceId } from './span-builder.js';
import { NS_PER_HOUR, NS_PER_MINUTE, T0 } from './harness.js';

export interface Catalog {
  /** Agent trace: support-agent, gpt-4o-mini/openai, agent support, tool create_replacement_order, session s-1. */
  agent: SpanRecord[];
  /** Second trace of session s-1, later. */
  agentLater: SpanRecord[];
  /** RAG trace: search-api, claude-sonnet-4/anthropic, one error, typed attributes, session s-2. */
  rag: SpanRecord[];
  /** One long embedding call: indexer service, no session. */
  embedding: SpanRecord[];
  /** gpt-4o-mini trace that started two hours before the window. */
  old: SpanRecord[];
}

export const CATALOG_FROM = T0;
export const CATALOG_TO = T0 + NS_PER_HOUR;

function ragTrace(): SpanRecord[] {
  const traceId = nextTraceId();
  const start = T0 + 2n * NS_PER_MINUTE;
  const common = { traceId, serviceName: 'search-api', sessionId: 's-2', userId: 'u-2' };
  const root = buildSpanRecord({
    ...common,
    spanType: 'chain',
    name: 'RAG Query',
    startTimeUnixNano: start,
    endTimeUnixNano: start + 3_000_000_000n,
    attributes: { 'tenant.id': 'acme', 'retry.count': 3n, 'cache.hit': true, 'score': 0.75 },
  });
  const retrieval = buildSpanRecord({
    ...common,
    spanType: 'retrieval',
    name: 'vector search',
    parentSpanId: root.spanId,
    startTimeUnixNano: start + 10_000_000n,
    endTimeUnixNano: start + 400_000_000n,
    status: { code: 'error', message: 'index shard unavailable' },
  });
  const llm = buildSpanRecord({
    ...common,
    spanType: 'llm',
    name: 'chat claude-sonnet-4',
    parentSpanId: root.spanId,
    model: 'claude-sonnet-4',
    requestModel: 'claude-sonnet-4',
    provider: 'anthropic',
    startTimeUnixNano: start + 500_000_000n,
    endTimeUnixNano: start + 2_900_000_000n,
    usage: { inputTokens: 3000, outputTokens: 700, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
    costUsd: 0.0195,
    inputPreview: 'Where is the Eiffel Tower?',
    outputPreview: 'It is in Paris, on the Champ de Mars.',
  });
  return [root, retrieval, llm];
}

function embeddingTrace(): SpanRecord[] {
  const start = T0 + 3n * NS_PER_MINUTE;
  return [
    buildSpanRecord({
      spanType: 'embedding',
      name: 'embeddings text-embedding-3-small',
      serviceName: 'indexer',
      model: 'text-embedding-3-small',
      requestModel: 'text-embedding-3-small',
      provider: 'openai',
      operation: 'embeddings',
      startTimeUnixNano: start,
      endTimeUnixNano: start + 9_000_000_000n,
      usage: { inputTokens: 8000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
      costUsd: 0.00016,
      input: null,
      output: null,
      inputPreview: '',
      outputPreview: '',
    }),
  ];
}

export function buildCatalog(): Catalog {
  return {
    agent: buildAgentTrace({ startUnixNano: T0 + NS_PER_MINUTE, sessionId: 's-1', userId: 'u-1' }),
    agentLater: buildAgentTrace({ startUnixNano: T0 + 10n * NS_PER_MINUTE, sessionId: 's-1', userId: 'u-1', llmCalls: 1 }),
    rag: ragTrace(),
    embedding: embeddingTrace(),
    old: buildAgentTrace({ startUnixNano: T0 - 2n * NS_PER_HOUR, sessionId: 's-old' }),
  };
}

export async function writeCatalog(store: TraceStore, catalog: Catalog): Promise<void> {
  const all = [...catalog.agent, ...catalog.agentLater, ...catalog.rag, ...catalog.embedding, ...catalog.old];
  await store.write({ spans: all.slice(0, 7), events: [] });
  await store.write({ spans: all.slice(7), events: [] });
}

export function traceIdOf(spans: SpanRecord[]): string {
  return spans[0]!.traceId;
}

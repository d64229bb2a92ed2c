// Types of the analytics reads and writes of a TraceStore: dashboard metrics, persisted findings
// and the instrumentation-quality statistics. Plain data; the adapters compute them in SQL.

import type { SpanRecord } from '@cairn/model';
import type { TraceQuery } from './trace-store.js';

/** The trace-list filters without paging: which traces an aggregation looks at. */
export type TraceFilter = Omit<TraceQuery, 'sort' | 'limit' | 'cursor'>;

export const METRICS_GROUP_BY = ['model', 'provider', 'agent', 'tool', 'promptVersion', 'service', 'user'] as const;
export type MetricsGroupBy = (typeof METRICS_GROUP_BY)[number];

/**
 * Raw attributes read as the prompt version, first match wins, while SpanRecord.promptVersion is
 * not a stored column yet (the semantic layer derives it from the same keys).
 */
export const PROMPT_VERSION_ATTRIBUTES: readonly string[] = [
  'gen_ai.prompt.version',
  'cairn.prompt.version',
  'ai.prompt_version',
  'traceloop.prompt.version',
  'langfuse.observation.prompt.version',
  'llm.prompt_template.version',
];

/**
 * Dashboard aggregation. Spans count when they *start* in [fromUnixNano, toUnixNano); with any
 * trace filter set, only spans of traces the trace list would return for the same filters.
 *
 * What a row counts (`calls`, `errors`, latency percentiles) depends on the dimension:
 *   model, provider, promptVersion, service, user → model calls (span type llm / embedding);
 *   tool → tool spans; agent → agent spans (invocations).
 * Tokens and cost always sum single model calls only (never an agent or trace total, so nothing
 * is counted twice): under `agent` each model call counts for its own agent name, else its
 * parent when that is an agent span, else the innermost agent span of its trace enclosing its
 * start in time (key null when none does). `user` is the trace's user.
 */
export interface MetricsQuery extends TraceFilter {
  groupBy: MetricsGroupBy;
  /** Time-bucket width (UTC-aligned); absent: one row per key over the whole window. */
  bucketNanos?: bigint;
}

export interface MetricsRow {
  /** The group's value; null when the spans had none (no model, outside any agent …). */
  key: string | null;
  /** Bucket start, or null without bucketNanos. */
  bucketUnixNano: bigint | null;
  calls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Latency percentiles of the counted calls in milliseconds; null when there were none. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** One detector finding as persisted (kind is a @cairn/analysis FindingKind; storage does not depend on it). */
export interface StoredFinding {
  kind: string;
  spanIds: string[];
  message: string;
}

/** The analysis of one trace as last persisted; a new record replaces the trace's previous one. */
export interface TraceFindingsRecord {
  projectId: string;
  traceId: string;
  /** The trace's start, so windowed counts need not aggregate the trace again. */
  traceStartUnixNano: bigint;
  analysisVersion: number;
  /** Greatest received time of the spans the analysis saw; later spans make the trace due again. */
  receivedThroughUnixNano: bigint;
  analyzedUnixNano: bigint;
  findings: StoredFinding[];
}

export interface DueTracesQuery {
  /** Only traces with a span received at or after this time are looked at (bounds the scan). */
  receivedSinceUnixNano: bigint;
  /** A trace is quiet when its newest span was received before this time. */
  quietBeforeUnixNano: bigint;
  /** Traces analyzed by another version are due again. */
  analysisVersion: number;
  limit: number;
}

export interface DueTrace {
  projectId: string;
  traceId: string;
  /** Greatest received time of the trace's spans (to store as receivedThroughUnixNano). */
  lastReceivedUnixNano: bigint;
}

/** The session traces near some analyzed traces (TraceStore.listSessionTraces). */
export interface SessionTracesQuery {
  projectId: string;
  sessionIds: readonly string[];
  /** Traces that end before this time or start after toUnixNano are left out. */
  fromUnixNano: bigint;
  toUnixNano: bigint;
}

/** What the cross-trace checks read of a session peer's span (TraceStore.getSpanStructures). */
export type SpanStructure = Pick<SpanRecord, 'traceId' | 'spanId' | 'parentSpanId' | 'name' | 'kind' | 'spanType' | 'startTimeUnixNano' | 'endTimeUnixNano'>;

export interface FindingCount {
  kind: string;
  /** Traces with at least one finding of this kind. */
  traces: number;
}

/** Window of the instrumentation-quality statistics: spans starting in it. */
export interface QualityQuery {
  projectId: string;
  fromUnixNano: bigint;
  toUnixNano: bigint;
  /** A span at least this long without children is monolithic. */
  monolithicMinDurationMs: number;
}

/** A count with one trace to look at; exampleTraceId null when count is 0. */
export interface CountWithExample {
  count: number;
  exampleTraceId: string | null;
  exampleSpanName: string | null;
}

/**
 * RE2 pattern (DuckDB and ClickHouse both use RE2) of the parts of a span name that are ids:
 * UUIDs, hex runs of 12+ characters, digit runs. Each match becomes `{id}` in a NamePattern.
 */
export const SPAN_NAME_ID_REGEX = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{12,}|[0-9]+';

/** Span names of one service that become one pattern once ids and numbers are masked. */
export interface NamePattern {
  /** The name with digit runs, hex ids and UUIDs replaced by `{id}`. */
  pattern: string;
  distinctNames: number;
  spans: number;
  exampleName: string;
  exampleTraceId: string;
}

export interface ServiceQualityStats {
  service: string;
  spans: number;
  traces: number;
  /** Patterns with at least 2 distinct names, most distinct first (at most 20 per service). */
  namePatterns: NamePattern[];
  modelCalls: number;
  modelCallsWithoutModel: CountWithExample;
  modelCallsWithoutTokens: CountWithExample;
  modelCallsWithoutPromptVersion: CountWithExample;
  /** Spans other than model calls, at least monolithicMinDurationMs long, with no child span. */
  monolithicSpans: CountWithExample;
  /** Spans whose parent is not stored in their trace. */
  orphanSpans: CountWithExample;
  /** Traces (by their first root's service) with more than one root span. */
  multiRootTraces: CountWithExample;
}

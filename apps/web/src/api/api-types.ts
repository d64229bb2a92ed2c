// The query API's records as the viewer reads them (docs/api.md, GET /api/v1/openapi.json).
// Kept by hand so the browser bundle depends on no server package; fields the UI does not use
// are left out.

export type SpanType =
  | 'agent'
  | 'llm'
  | 'embedding'
  | 'tool'
  | 'retrieval'
  | 'reranker'
  | 'chain'
  | 'guardrail'
  | 'evaluator'
  | 'voice'
  | 'memory'
  | 'other';

export interface ApiTraceSummary {
  traceId: string;
  rootName: string;
  serviceName: string;
  startTime: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  llmCallCount: number;
  toolCallCount: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  models: string[];
  agents: string[];
  sessionId: string | null;
  userId: string | null;
  hasRoot: boolean;
}

export interface ApiTokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

export interface ApiSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string;
  spanType: SpanType;
  serviceName: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  /** Absent in the tree view (GET /traces/{id}?view=tree); the span detail has it. */
  startTime?: string;
  durationMs: number;
  status: { code: 'unset' | 'ok' | 'error'; message: string };
  model: string | null;
  provider: string | null;
  operation: string | null;
  agentName: string | null;
  toolName: string | null;
  /** Absent in the tree view; the trace summary and the span detail have them. */
  sessionId?: string | null;
  userId?: string | null;
  usage: ApiTokenUsage;
  costUsd: number | null;
  inputPreview: string;
  outputPreview: string;
  /** The span's events as the tree view lists them (times and names, for the waterfall's ticks). */
  events?: ApiEventMark[];
  /** True while the span runs: a live record whose end time is when the SDK last reported it. */
  live?: boolean;
}

/** GET /api/v1/live: a span running now. */
export interface ApiLiveSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  spanType: SpanType;
  serviceName: string;
  agentName: string | null;
  toolName: string | null;
  model: string | null;
  startTime: string;
  startTimeUnixNano: string;
  lastSeenTime: string;
  elapsedMs: number;
}

export type ApiMessagePart =
  | { type: 'text'; text: string }
  | { type: 'tool_call'; id: string | null; name: string; arguments: unknown }
  | { type: 'tool_result'; id: string | null; result: unknown };

export interface ApiMessage {
  role: string;
  parts: ApiMessagePart[];
}

export interface ApiSpanEvent {
  timeUnixNano: string;
  time: string;
  name: string;
  attributes: Record<string, unknown>;
}

export interface ApiSpanLink {
  traceId: string;
  spanId: string;
  attributes: Record<string, unknown>;
}

/** An event as the tree view lists it: when and what; the span detail has its attributes. */
export interface ApiEventMark {
  timeUnixNano: string;
  name: string;
}

/** GET /api/v1/traces/{id}?view=tree: one row per span, cells named by `fields`. */
export interface ApiTraceTree {
  summary: ApiTraceSummary;
  placeholders: ApiPlaceholder[];
  fields: string[];
  rows: unknown[][];
}

/** GET /api/v1/attributes: attribute keys, or the most frequent values of a key or filter field. */
export interface ApiAttributeCatalog {
  key: string | null;
  field: string | null;
  entries: { value: string; count: number }[];
  sampledSpans: number;
}

export interface ApiSpanDetail extends ApiSpan {
  startTime: string;
  sessionId: string | null;
  userId: string | null;
  attributes: Record<string, unknown>;
  resource: { attributes: Record<string, unknown> };
  scope: { name: string; version: string };
  events: ApiSpanEvent[];
  links: ApiSpanLink[];
  input: unknown;
  output: unknown;
  requestModel: string | null;
  toolCallId: string | null;
  hasUsage: boolean;
  dialects: string[];
}

export interface ApiPlaceholder {
  spanId: string;
  childSpanIds: string[];
}

export interface ApiTraceDetail {
  summary: ApiTraceSummary;
  spans: ApiSpan[];
  placeholders: ApiPlaceholder[];
}

export interface ApiPage<Item> {
  items: Item[];
  nextCursor: string | null;
}

export interface ApiSessionSummary {
  sessionId: string;
  traceCount: number;
  firstSeen: string;
  lastSeen: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface ApiSessionDetail {
  session: ApiSessionSummary;
  traces: ApiTraceSummary[];
}

export type ApiFindingKind = 'tool_loop' | 'straggler' | 'retry_storm' | 'handoff_ping_pong' | 'context_blowup' | 'broken_trace';

export interface ApiFinding {
  kind: ApiFindingKind | (string & {});
  /** The spans involved, in time order. */
  spanIds: string[];
  message: string;
}

/** GET /api/v1/traces/{traceId}/analysis (servers without it answer 404). */
export interface ApiTraceAnalysis {
  traceId: string;
  /** Span ids on the critical path, root first. */
  criticalPath: string[];
  findings: ApiFinding[];
  /** null unless some span failed. */
  rootCause: { spanId: string; message: string } | null;
}

export type ApiMetricsGroupBy = 'model' | 'provider' | 'agent' | 'tool' | 'promptVersion' | 'service' | 'user';
export type ApiMetricsInterval = '1m' | '1h' | '1d';

/** One group (and time bucket) of GET /api/v1/metrics. */
export interface ApiMetricsRow {
  key: string | null;
  /** ISO start of the bucket; only with interval. */
  bucket?: string;
  bucketUnixNano?: string;
  calls: number;
  errors: number;
  errorRate: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface ApiMetrics {
  groupBy: ApiMetricsGroupBy;
  interval: ApiMetricsInterval | null;
  fromUnixNano: string;
  toUnixNano: string;
  rows: ApiMetricsRow[];
}

/** GET /api/v1/findings: traces per persisted finding kind. */
export interface ApiFindingCounts {
  counts: { kind: ApiFindingKind; traces: number }[];
}

export interface ApiQualityIssue {
  kind: string;
  severity: 'warning' | 'info';
  count: number;
  exampleTraceId: string | null;
  exampleSpanName: string | null;
  message: string;
  fix: string;
}

/** GET /api/v1/quality. */
export interface ApiQualityReport {
  fromUnixNano: string;
  toUnixNano: string;
  services: { service: string; spans: number; traces: number; modelCalls: number; issues: ApiQualityIssue[] }[];
}

export interface ApiDiffDeltas {
  durationMs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface ApiSpanAlignment {
  path: string;
  spanType: string;
  label: string;
  a: string | null;
  b: string | null;
  changes: { field: string; a: string | null; b: string | null }[];
  deltas: ApiDiffDeltas;
}

export interface ApiToolCallStep {
  spanId: string;
  toolName: string;
  arguments: string | null;
  status: string;
}

export interface ApiDiffTotals {
  spanCount: number;
  errorCount: number;
  modelCalls: number;
  toolCalls: number;
  durationMs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** GET /api/v1/diff?a=&b=. */
export interface ApiTraceDiff {
  a: string;
  b: string;
  added: ApiSpanAlignment[];
  removed: ApiSpanAlignment[];
  changed: ApiSpanAlignment[];
  unchanged: ApiSpanAlignment[];
  toolCalls: { a: ApiToolCallStep[]; b: ApiToolCallStep[] };
  totals: { a: ApiDiffTotals; b: ApiDiffTotals; delta: ApiDiffTotals };
}

// The canonical span: what every dialect is normalized into and what every store keeps.
// Times are integer nanoseconds since the epoch as bigint — never a JS number (2^53 < 1.8e18).

import type { AttributeMap } from './attributes.js';

export const SPAN_TYPES = [
  'agent',
  'llm',
  'embedding',
  'tool',
  'retrieval',
  'reranker',
  'chain',
  'guardrail',
  'evaluator',
  'voice',
  'memory',
  'other',
] as const;
export type SpanType = (typeof SPAN_TYPES)[number];

/** OTLP SpanKind names, indexed by their wire number. */
export const SPAN_KIND_NAMES = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
export type SpanKindName = (typeof SPAN_KIND_NAMES)[number];

/** OTLP StatusCode names, indexed by their wire number. */
export const STATUS_CODE_NAMES = ['unset', 'ok', 'error'] as const;
export type StatusCodeName = (typeof STATUS_CODE_NAMES)[number];

export interface SpanStatus {
  code: StatusCodeName;
  message: string;
}

export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: AttributeMap;
  droppedAttributesCount: number;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: AttributeMap;
  droppedAttributesCount: number;
  flags: number;
}

export interface Resource {
  attributes: AttributeMap;
  droppedAttributesCount: number;
  schemaUrl: string;
}

export interface InstrumentationScope {
  name: string;
  version: string;
  attributes: AttributeMap;
  schemaUrl: string;
}

/** A span as it came off the wire (protobuf, JSON or gRPC), before any semantics. */
export interface WireSpan {
  /** 32 lowercase hex characters, never all zeros. */
  traceId: string;
  /** 16 lowercase hex characters, never all zeros. */
  spanId: string;
  /** null for a root span. */
  parentSpanId: string | null;
  traceState: string;
  flags: number;
  name: string;
  /** OTLP SpanKind number 0..5. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: AttributeMap;
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  status: SpanStatus;
  /** Shared by every span of the same ResourceSpans; do not mutate. */
  resource: Resource;
  /** Shared by every span of the same ScopeSpans; do not mutate. */
  scope: InstrumentationScope;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

export const EMPTY_USAGE: Readonly<TokenUsage> = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
});

/**
 * A message in the contract's canonical form. `input` and `output` of a span are a list of
 * these when the source carried messages, or the raw value otherwise.
 */
export interface CanonicalMessage {
  role: string;
  parts: MessagePart[];
}

export type MessagePart =
  | { type: 'text'; text: string }
  | { type: 'tool_call'; id: string | null; name: string; arguments: unknown }
  | { type: 'tool_result'; id: string | null; result: unknown };

/**
 * How a model call's cost was decided: `app` — the instrumented app sent the amount;
 * `table` — computed from the bundled price table; `custom` — from the project's own prices;
 * `unknown_model` — usage but no price for this model; `no_usage` — no token counts to price.
 */
export type CostSource = 'app' | 'table' | 'custom' | 'unknown_model' | 'no_usage';

export interface CostProvenance {
  source: CostSource;
  /** Version of the price table that priced the span (`table`, `custom`), else null. */
  priceTableVersion: string | null;
  /** Id of the price entry that matched (`table`, `custom`), else null. */
  priceId: string | null;
  /** Pricing tier applied, e.g. "over_200k_input"; null for base prices. */
  tier: string | null;
}

/** The canonical fields the semantic layer derives from the raw attributes. */
export interface SpanSemantics {
  spanType: SpanType;
  /** Response model when known, else request model. */
  model: string | null;
  requestModel: string | null;
  provider: string | null;
  operation: string | null;
  agentName: string | null;
  toolName: string | null;
  toolCallId: string | null;
  sessionId: string | null;
  userId: string | null;
  /** Token counts of this span itself (only single model calls carry them). */
  usage: TokenUsage;
  /** True when the span reported any token count. */
  hasUsage: boolean;
  costUsd: number | null;
  /**
   * Where costUsd came from (the app, a price table and its version, or why there is none).
   * Set on every llm/embedding span normalized by NORMALIZER_VERSION ≥ 2, null on other spans;
   * absent on records read from a store that does not persist it yet.
   */
  costProvenance?: CostProvenance | null;
  /** Canonical messages or the raw input value; null when the span carried none. */
  input: unknown;
  output: unknown;
  /** Short single-line texts for lists and search (at most PREVIEW_MAX_CHARS). */
  inputPreview: string;
  outputPreview: string;
  /** Attribute dialects the span was recognised in, e.g. ["gen_ai"]. */
  dialects: string[];
  // Added by the multi-dialect semantic layer (NORMALIZER_VERSION 2). Optional so records built
  // before it (and stores that do not persist them yet) still type-check; normalizeSpan always
  // sets every one of them.
  /** Why the model stopped, as reported (e.g. ["stop"], ["tool_calls"]); [] when not reported. */
  finishReasons?: string[];
  /** Time to the first streamed token/chunk in milliseconds; null when not reported. */
  timeToFirstTokenMs?: number | null;
  promptName?: string | null;
  promptVersion?: string | null;
  agentId?: string | null;
  /** Error class (`error.type`, a tool `error_code`, an exception type); null when none. */
  errorType?: string | null;
  /** Documents a retrieval or reranker span returned, in order; null when it reported none. */
  retrievalDocuments?: RetrievalDocument[] | null;
  /** Trace/span tags (Langfuse, OpenInference `tag.tags`, Vercel metadata), deduplicated. */
  tags?: string[];
  /**
   * The status as sent, when the semantic layer changed `status` (Langfuse `level=ERROR` on a
   * span whose OTel status is not error); null when `status` is as sent.
   */
  rawStatus?: SpanStatus | null;
}

/** One document of a retrieval result: ids and scores as sent, content cut to a preview. */
export interface RetrievalDocument {
  id: string | null;
  score: number | null;
  /** At most PREVIEW_MAX_CHARS characters, whitespace collapsed; null when not sent. */
  contentPreview: string | null;
}

/** A fully normalized span, ready to store. */
export interface SpanRecord extends WireSpan, SpanSemantics {
  projectId: string;
  serviceName: string;
  /** When the server accepted the span (ns); later arrivals of the same ids are duplicates. */
  receivedUnixNano: bigint;
  /**
   * True on a live record: a snapshot of a span that has started but not ended (the SDK sends it
   * with `cairn.live = true`); its endTimeUnixNano is the snapshot time. Absent or false on a
   * finished span, which replaces the live record.
   */
  live?: boolean;
}

export const PREVIEW_MAX_CHARS = 240;

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
  /** Canonical messages or the raw input value; null when the span carried none. */
  input: unknown;
  output: unknown;
  /** Short single-line texts for lists and search (at most PREVIEW_MAX_CHARS). */
  inputPreview: string;
  outputPreview: string;
  /** Attribute dialects the span was recognised in, e.g. ["gen_ai"]. */
  dialects: string[];
}

/** A fully normalized span, ready to store. */
export interface SpanRecord extends WireSpan, SpanSemantics {
  projectId: string;
  serviceName: string;
  /** When the server accepted the span (ns); later arrivals of the same ids are duplicates. */
  receivedUnixNano: bigint;
}

export const PREVIEW_MAX_CHARS = 240;

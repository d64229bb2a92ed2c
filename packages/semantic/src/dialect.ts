// A dialect is one attribute vocabulary for AI spans (OTel GenAI, OpenInference, …). Each lives
// in its own file under dialects/ and says what it found; normalizeSpan merges the findings by
// precedence, so adding a vocabulary never touches the others.

import type { CanonicalMessage, SpanType, TokenUsage, WireSpan } from '@cairn/model';

/** What a span carried as input or output: canonical messages, or any other value as found. */
export type SpanContent =
  | { kind: 'messages'; messages: CanonicalMessage[] }
  | { kind: 'value'; value: unknown };

/**
 * The fields one dialect found on a span. Absent (undefined) means "this dialect has no opinion";
 * the next dialect in precedence order may fill it.
 */
export interface DialectFields {
  spanType?: SpanType;
  /**
   * True when spanType was guessed from side attributes (a tool name, a model and a provider)
   * rather than declared; any dialect's declared type beats every guess.
   */
  spanTypeIsGuess?: boolean;
  model?: string;
  requestModel?: string;
  provider?: string;
  operation?: string;
  agentName?: string;
  toolName?: string;
  toolCallId?: string;
  sessionId?: string;
  userId?: string;
  /** Only the counts the span reported. */
  usage?: Partial<TokenUsage>;
  costUsd?: number;
  input?: SpanContent;
  output?: SpanContent;
}

export interface Dialect {
  /** Name listed in SpanSemantics.dialects, or null for generic attributes that name no dialect. */
  readonly name: string | null;
  /** Cheap test run on every span; extract runs only when it returns true. */
  detect(span: WireSpan): boolean;
  /** Must not throw on odd attribute types; normalizeSpan drops the fields of a dialect that does. */
  extract(span: WireSpan): DialectFields;
}

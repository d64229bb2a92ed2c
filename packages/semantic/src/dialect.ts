// A dialect is one attribute vocabulary for AI spans (OTel GenAI, OpenInference, Vercel AI SDK,
// …). Each lives in its own file under dialects/ and says what it found; runDialects merges the
// findings by precedence, so adding a vocabulary never touches the others.

import type { CanonicalMessage, RetrievalDocument, SpanType, TokenUsage, WireSpan } from '@cairn/model';

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
  agentId?: string;
  toolName?: string;
  toolCallId?: string;
  sessionId?: string;
  userId?: string;
  /** Only the counts the span reported. */
  usage?: Partial<TokenUsage>;
  costUsd?: number;
  input?: SpanContent;
  output?: SpanContent;
  finishReasons?: string[];
  timeToFirstTokenMs?: number;
  promptName?: string;
  promptVersion?: string;
  errorType?: string;
  retrievalDocuments?: RetrievalDocument[];
  tags?: string[];
  /** Set when the dialect marks the span failed although its OTel status may not say so. */
  errorStatusMessage?: string;
}

/** A canonical field a dialect can fill, as named in explain output. */
export type CanonicalField = Exclude<keyof DialectFields, 'usage' | 'spanTypeIsGuess'> | `usage.${keyof TokenUsage}`;

/**
 * Bookkeeping a dialect does only when explainSpan asks (undefined on the ingest path, so the
 * hot path pays one `?.` per field): where each value came from and what could not be used.
 */
export interface ExtractNotes {
  /** `field` was filled from `source`: an attribute key, `prefix.*` for a flattened list, `event <name>`. */
  source(field: CanonicalField, source: string): void;
  /** A present attribute was not usable (wrong type, invalid JSON, unknown value); it stays raw. */
  problem(source: string, message: string): void;
}

export interface Dialect {
  /** Name listed in SpanSemantics.dialects, or null for generic attributes that name no dialect. */
  readonly name: string | null;
  /**
   * Cheap test run on every span; extract runs only when it returns true. `hints` is the
   * bitmask of key families present on the span (dialects/dialect-hints.ts), computed once.
   */
  detect(span: WireSpan, hints: number): boolean;
  /** Must not throw on odd attribute types; runDialects drops the fields of a dialect that does. */
  extract(span: WireSpan, notes?: ExtractNotes): DialectFields;
}

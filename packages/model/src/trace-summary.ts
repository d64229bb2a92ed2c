// Per-trace and per-session rollups as the query API returns them (before JSON shaping).

export interface TraceSummary {
  traceId: string;
  /** Name of the root span; MISSING_ROOT_NAME while the root has not arrived. */
  rootName: string;
  /** Service of the root span, or of the earliest span when the root is missing. */
  serviceName: string;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  spanCount: number;
  errorCount: number;
  llmCallCount: number;
  toolCallCount: number;
  /** Totals over single model calls only (span types llm and embedding). */
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  models: string[];
  agents: string[];
  sessionId: string | null;
  userId: string | null;
  /** False while the root span (a span without parent) has not been received. */
  hasRoot: boolean;
}

export interface SessionSummary {
  sessionId: string;
  traceCount: number;
  firstSeenUnixNano: bigint;
  lastSeenUnixNano: bigint;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Root name shown for a trace whose root span never arrived. */
export const MISSING_ROOT_NAME = '(missing root)';

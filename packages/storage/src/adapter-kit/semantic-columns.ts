// The semantic columns both adapters' span tables share, by column name, from a span: what
// updateSpanSemantics rewrites. Adapters convert the few cells their engine types differently
// (ClickHouse: booleans as UInt8, dialects as an array; DuckDB: dialects as JSON text).

import type { StoredSpan } from '../trace-store.js';
import { encodeSemanticExtras } from './semantic-extras-json.js';

const STATUS_NUMBER = { unset: 0, ok: 1, error: 2 } as const;

export interface SemanticColumnValues {
  span_type: string;
  model: string | null;
  request_model: string | null;
  provider: string | null;
  operation: string | null;
  agent_name: string | null;
  tool_name: string | null;
  tool_call_id: string | null;
  session_id: string | null;
  user_id: string | null;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  has_usage: boolean;
  cost_usd: number | null;
  input_preview: string;
  output_preview: string;
  dialects: string[];
  /** encodeSemanticExtras' JSON, null when every extra field is at its default. */
  semantics: string | null;
  status_code: number;
  status_message: string;
}

export function semanticColumnValues(span: StoredSpan): SemanticColumnValues {
  return {
    span_type: span.spanType,
    model: span.model,
    request_model: span.requestModel,
    provider: span.provider,
    operation: span.operation,
    agent_name: span.agentName,
    tool_name: span.toolName,
    tool_call_id: span.toolCallId,
    session_id: span.sessionId,
    user_id: span.userId,
    input_tokens: span.usage.inputTokens,
    output_tokens: span.usage.outputTokens,
    cache_read_tokens: span.usage.cacheReadTokens,
    cache_write_tokens: span.usage.cacheWriteTokens,
    reasoning_tokens: span.usage.reasoningTokens,
    has_usage: span.hasUsage,
    cost_usd: span.costUsd,
    input_preview: span.inputPreview,
    output_preview: span.outputPreview,
    dialects: span.dialects,
    semantics: encodeSemanticExtras(span),
    status_code: STATUS_NUMBER[span.status.code],
    status_message: span.status.message,
  };
}

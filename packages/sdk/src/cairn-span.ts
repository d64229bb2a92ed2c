// The handle a traced function receives: typed setters for what Cairn shows (input, output,
// usage, model) and the documented events. Every method is safe to call after the span ended
// or when tracing is off; none of them throws.

import type { AttributeValue, Attributes, Span } from '@opentelemetry/api';
import * as names from './internal/attribute-names.js';
import { guard, warn } from './internal/diagnostics.js';
import { toJsonText, toMessages } from './internal/messages.js';
import type { SpanType } from './span-type.js';

export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
  /** Included in `inputTokens`, as OTel GenAI says. */
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /** Included in `outputTokens`. */
  reasoningTokens?: number;
}

export class CairnSpan {
  constructor(
    /** The OpenTelemetry span, for anything this handle has no method for. */
    readonly otel: Span,
    readonly type: SpanType | 'other',
  ) {}

  // The setters use try/catch rather than `guard(() => …)`: no closure per call.
  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (value === undefined) return this;
    try {
      this.otel.setAttribute(key, value);
    } catch (error) {
      warn('setAttribute failed; telemetry for it is skipped', error);
    }
    return this;
  }

  setAttributes(attributes: Attributes): this {
    try {
      this.otel.setAttributes(attributes);
    } catch (error) {
      warn('setAttributes failed; telemetry for it is skipped', error);
    }
    return this;
  }

  /**
   * What went in: tool arguments on a tool span, the query on a retrieval span, and otherwise
   * `gen_ai.input.messages` (a string becomes one user message; a chat message list is kept).
   */
  setInput(value: unknown): this {
    return guard('setInput', () => {
      if (this.type === 'tool') return this.setAttribute(names.TOOL_CALL_ARGUMENTS, toJsonText(value));
      if (this.type === 'retrieval') return this.setAttribute(names.RETRIEVAL_QUERY, toJsonText(value));
      return this.setAttribute(names.INPUT_MESSAGES, toJsonText(toMessages(value, 'user')));
    }, this);
  }

  /** What came out: tool result, retrieved documents, or `gen_ai.output.messages`. */
  setOutput(value: unknown): this {
    return guard('setOutput', () => {
      if (this.type === 'tool') return this.setAttribute(names.TOOL_CALL_RESULT, toJsonText(value));
      if (this.type === 'retrieval') return this.setAttribute(names.RETRIEVAL_DOCUMENTS, toJsonText(value));
      return this.setAttribute(names.OUTPUT_MESSAGES, toJsonText(toMessages(value, 'assistant')));
    }, this);
  }

  setUsage(usage: TokenUsage): this {
    return this.setAttributes(usageAttributes(usage));
  }

  setResponseModel(model: string): this {
    return this.setAttribute(names.RESPONSE_MODEL, model);
  }

  /** Adds an event; see `events.ts` for the documented ones. */
  addEvent(name: string, attributes?: Attributes): this {
    guard('addEvent', () => this.otel.addEvent(name, attributes), undefined);
    return this;
  }
}

export function usageAttributes(usage: TokenUsage): Attributes {
  const attributes: Attributes = {};
  const put = (key: string, value: number | undefined) => {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) attributes[key] = Math.round(value);
  };
  put(names.USAGE_INPUT, usage.inputTokens);
  put(names.USAGE_OUTPUT, usage.outputTokens);
  put(names.USAGE_CACHE_READ, usage.cacheReadTokens);
  put(names.USAGE_CACHE_WRITE, usage.cacheWriteTokens);
  put(names.USAGE_REASONING, usage.reasoningTokens);
  return attributes;
}

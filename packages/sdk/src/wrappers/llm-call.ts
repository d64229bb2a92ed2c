// What the OpenAI and Anthropic wrappers share: patching a client method in place (so the
// client keeps its type, other methods and `APIPromise` helpers) and recording a model call's
// outcome in the GenAI attributes.

import { performance } from 'node:perf_hooks';
import { usageAttributes, type CairnSpan, type TokenUsage } from '../cairn-span.js';
import * as names from '../internal/attribute-names.js';
import { guard } from '../internal/diagnostics.js';
import { toJsonText, type GenAiMessage } from '../internal/messages.js';

const WRAPPED = Symbol.for('cairn.sdk.wrapped');

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Replaces `owner[method]` with `wrap(original)`, once; does nothing when it is not a function. */
export function patchMethod(owner: unknown, method: string, wrap: (original: AnyFunction) => AnyFunction): void {
  guard(`wrap ${method}`, () => {
    if (typeof owner !== 'object' || owner === null) return;
    const record = owner as Record<string | symbol, unknown>;
    const original = record[method];
    if (typeof original !== 'function' || (original as unknown as Record<symbol, unknown>)[WRAPPED]) return;
    const wrapped = wrap(original as AnyFunction);
    Object.defineProperty(wrapped, WRAPPED, { value: true });
    record[method] = wrapped;
  }, undefined);
}

export interface LlmOutcome {
  responseModel?: string;
  responseId?: string;
  finishReasons?: string[];
  usage?: TokenUsage;
  output?: GenAiMessage[];
}

/** Times one model call and writes its outcome; `firstChunk()` records the time to first chunk. */
export class LlmCall {
  private readonly startedAt = performance.now();
  private firstChunkSeen = false;

  constructor(readonly span: CairnSpan) {}

  firstChunk(): void {
    if (this.firstChunkSeen) return;
    this.firstChunkSeen = true;
    // Seconds (double), as gen_ai.response.time_to_first_chunk is defined.
    this.span.setAttribute(names.TIME_TO_FIRST_CHUNK, (performance.now() - this.startedAt) / 1000);
  }

  finish(outcome: LlmOutcome): void {
    const span = this.span;
    span.setAttribute(names.RESPONSE_MODEL, outcome.responseModel);
    span.setAttribute(names.RESPONSE_ID, outcome.responseId);
    if (outcome.finishReasons && outcome.finishReasons.length > 0) span.setAttribute(names.FINISH_REASONS, outcome.finishReasons);
    if (outcome.usage) span.setAttributes(usageAttributes(outcome.usage));
    if (outcome.output && outcome.output.length > 0) span.setAttribute(names.OUTPUT_MESSAGES, toJsonText(outcome.output));
  }
}

export function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

// The documented events users expect, added to the active span (or the span given).
// Names are `cairn.*`; attributes use the option names in snake_case.

import { trace, type Attributes, type Span } from '@opentelemetry/api';
import type { CairnSpan } from './cairn-span.js';
import { guard } from './internal/diagnostics.js';

type Target = CairnSpan | Span | undefined;

function emit(name: string, attributes: Attributes, target: Target): void {
  guard(`event ${name}`, () => {
    const span = target === undefined ? trace.getActiveSpan() : 'otel' in target ? target.otel : target;
    const clean: Attributes = {};
    for (const [key, value] of Object.entries(attributes)) if (value !== undefined) clean[key] = value;
    span?.addEvent(name, clean);
  }, undefined);
}

export const EVENT_NAMES = {
  fallback: 'cairn.fallback',
  cacheHit: 'cairn.cache.hit',
  rateLimited: 'cairn.rate_limited',
  retry: 'cairn.retry',
  policyBlocked: 'cairn.policy.blocked',
  timeout: 'cairn.timeout',
  bargeIn: 'cairn.voice.barge_in',
  noSpeechTimeout: 'cairn.voice.no_speech_timeout',
  telephonyDrop: 'cairn.voice.telephony_drop',
} as const;

export const events = {
  /** A fallback was triggered: another model/provider/tool took over. */
  fallback: (details: { from?: string; to?: string; reason?: string }, span?: Target) =>
    emit(EVENT_NAMES.fallback, { 'cairn.fallback.from': details.from, 'cairn.fallback.to': details.to, 'cairn.fallback.reason': details.reason }, span),
  cacheHit: (details: { cache?: string; key?: string } = {}, span?: Target) =>
    emit(EVENT_NAMES.cacheHit, { 'cairn.cache.name': details.cache, 'cairn.cache.key': details.key }, span),
  rateLimited: (details: { retryAfterMillis?: number; limit?: string } = {}, span?: Target) =>
    emit(EVENT_NAMES.rateLimited, { 'cairn.rate_limit.retry_after_ms': details.retryAfterMillis, 'cairn.rate_limit.name': details.limit }, span),
  retry: (details: { attempt: number; reason?: string; delayMillis?: number }, span?: Target) =>
    emit(EVENT_NAMES.retry, { 'cairn.retry.attempt': details.attempt, 'cairn.retry.reason': details.reason, 'cairn.retry.delay_ms': details.delayMillis }, span),
  policyBlocked: (details: { policy: string; reason?: string }, span?: Target) =>
    emit(EVENT_NAMES.policyBlocked, { 'cairn.policy.name': details.policy, 'cairn.policy.reason': details.reason }, span),
  timeout: (details: { timeoutMillis: number; operation?: string }, span?: Target) =>
    emit(EVENT_NAMES.timeout, { 'cairn.timeout.ms': details.timeoutMillis, 'cairn.timeout.operation': details.operation }, span),
  /** Voice: the caller spoke over the agent. */
  bargeIn: (details: { atMillis?: number } = {}, span?: Target) => emit(EVENT_NAMES.bargeIn, { 'cairn.voice.offset_ms': details.atMillis }, span),
  noSpeechTimeout: (details: { timeoutMillis?: number } = {}, span?: Target) => emit(EVENT_NAMES.noSpeechTimeout, { 'cairn.timeout.ms': details.timeoutMillis }, span),
  telephonyDrop: (details: { reason?: string } = {}, span?: Target) => emit(EVENT_NAMES.telephonyDrop, { 'cairn.voice.drop_reason': details.reason }, span),
};

// The one helper every span-producing path goes through. It starts the span, runs the user's
// function in its context, and ends the span exactly once — when the function returns, throws,
// its promise settles, or the generator / stream it returned finishes, fails, is aborted or is
// left early (see `instrument-stream.ts`). User errors are rethrown unchanged; failures of the
// instrumentation itself are logged and never reach the caller.
//
// This is the per-span hot path (the benchmark in bench/src/sdk-bench.ts holds it to ≤ 1.25× the
// bare OpenTelemetry SDK): no closures are created for synchronous results, the tracer is looked
// up once per registered provider, and `try` blocks stand in for `guard(() => …)`.

import { INVALID_SPAN_CONTEXT, SpanStatusCode, context, trace, type Context, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { CairnSpan } from '../cairn-span.js';
import type { SpanSpec } from '../span-options.js';
import * as names from './attribute-names.js';
import { warn } from './diagnostics.js';
import { instrumentStream } from './instrument-stream.js';

export const TRACER_NAME = '@cairn/sdk';
export const TRACER_VERSION = '0.1.0';

/** Callbacks a wrapper uses to read the result; each runs guarded. */
export interface ResultObserver {
  /** The resolved (or returned) value, when it is not a stream. */
  value?(value: unknown): void;
  /** Each item of a returned stream / generator, in order. */
  chunk?(chunk: unknown): void;
  /** The stream finished (normally, by error, early return or abandonment), just before the span ends. */
  streamEnd?(): void;
}

const NO_OBSERVER: ResultObserver = {};

/** Ends a span once; later calls do nothing. */
export class SpanEnding {
  private ended = false;
  constructor(readonly span: Span) {}

  /** `endTime`: a `performance.now()` value, for a span that ended before it was noticed. */
  end(error?: unknown, endTime?: number): void {
    if (this.ended) return;
    this.ended = true;
    try {
      if (error !== undefined) markError(this.span, error);
      this.span.end(endTime);
    } catch (failure) {
      warn('end span failed; telemetry for it is skipped', failure);
    }
  }
}

export function markError(span: Span, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
  // Client libraries often leave `name` as 'Error' on their subclasses (openai's BadRequestError).
  const type = err.name && err.name !== 'Error' ? err.name : err.constructor.name || 'Error';
  span.setAttribute(names.ERROR_TYPE, type);
}

// `trace.getTracer()` builds a key string and walks the proxy provider on every call. The global
// provider object is stable until `trace.disable()` (shutdown) replaces it, so cache by identity.
let cachedProvider: TracerProvider | undefined;
let cachedTracer: Tracer | undefined;

function cairnTracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (provider !== cachedProvider || cachedTracer === undefined) {
    cachedTracer = provider.getTracer(TRACER_NAME, TRACER_VERSION);
    cachedProvider = provider;
  }
  return cachedTracer;
}

export function startSpan(spec: SpanSpec, parent: Context = context.active()): { span: Span; ctx: Context } {
  // A SpanSpec is a SpanOptions (kind, attributes, links): no options object per span.
  const span = cairnTracer().startSpan(spec.name, spec, parent);
  return { span, ctx: trace.setSpan(parent, span) };
}

/**
 * Runs `fn` inside a new span described by `spec` and returns what `fn` returns: the same value,
 * the same promise-like object (a provider's `APIPromise` keeps its methods), or a wrapped
 * generator; a returned async-iterable stream object is instrumented in place.
 */
export function recordSpan<T>(spec: SpanSpec, fn: (span: CairnSpan) => T, observer: ResultObserver = NO_OBSERVER): T {
  let span: Span;
  let ctx: Context;
  try {
    const parent = context.active();
    span = cairnTracer().startSpan(spec.name, spec, parent);
    ctx = trace.setSpan(parent, span);
  } catch (error) {
    warn('start span failed; telemetry for it is skipped', error);
    return fn(new CairnSpan(trace.wrapSpanContext(INVALID_SPAN_CONTEXT), spec.type));
  }
  const ending = new SpanEnding(span);
  let result: T;
  try {
    result = context.with(ctx, fn, undefined, new CairnSpan(span, spec.type));
  } catch (error) {
    ending.end(error);
    throw error;
  }
  return settle(result, ending, ctx, observer);
}

/** Ends the span now for a plain value, or hands the ending over to a promise or stream. */
function settle<T>(result: T, ending: SpanEnding, ctx: Context, observer: ResultObserver): T {
  if (typeof result === 'object' && result !== null) {
    try {
      if (typeof (result as { then?: unknown }).then === 'function') return settlePromise(result as T & PromiseLike<unknown>, ending, ctx, observer);
      const stream = instrumentStream(result, ending, ctx, observer);
      if (stream !== undefined) return stream;
    } catch (error) {
      // A hostile getter or a frozen object: the span ends now, the caller gets its value.
      warn('observe result failed; telemetry for it is skipped', error);
      ending.end();
      return result;
    }
  }
  if (observer.value !== undefined) notify(observer.value, result);
  ending.end();
  return result;
}

function settlePromise<T extends PromiseLike<unknown>>(result: T, ending: SpanEnding, ctx: Context, observer: ResultObserver): T {
  const onValue = (value: unknown): unknown => {
    if (typeof value === 'object' && value !== null) {
      try {
        const stream = instrumentStream(value, ending, ctx, observer);
        if (stream !== undefined) return stream;
      } catch (error) {
        warn('observe result failed; telemetry for it is skipped', error);
      }
    }
    if (observer.value !== undefined) notify(observer.value, value);
    ending.end();
    return value;
  };
  if (result instanceof Promise && result.constructor === Promise) {
    return result.then(onValue, (error: unknown) => {
      ending.end(error);
      throw error;
    }) as T;
  }
  // A provider's promise subclass (openai's APIPromise) has methods users call; observe it on a
  // side branch and hand back the original. The side branch swallows its rejection: the caller's
  // own branch still sees it.
  result.then(onValue, (error: unknown) => ending.end(error));
  return result;
}

function notify(callback: (value: unknown) => void, value: unknown): void {
  try {
    callback(value);
  } catch (error) {
    warn('read result failed; telemetry for it is skipped', error);
  }
}

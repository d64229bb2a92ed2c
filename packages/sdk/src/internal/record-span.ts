// The one helper every span-producing path goes through. It starts the span, runs the user's
// function in its context, and ends the span exactly once — when the function returns, throws,
// its promise settles, or the generator / stream it returned finishes, fails, is aborted or is
// left early (`break` out of `for await`). User errors are rethrown unchanged; failures of the
// instrumentation itself are logged and never reach the caller.

import { INVALID_SPAN_CONTEXT, SpanStatusCode, context, trace, type Context, type Span } from '@opentelemetry/api';
import { CairnSpan } from '../cairn-span.js';
import type { SpanSpec } from '../span-options.js';
import * as names from './attribute-names.js';
import { guard } from './diagnostics.js';

export const TRACER_NAME = '@cairn/sdk';
export const TRACER_VERSION = '0.1.0';

/** Callbacks a wrapper uses to read the result; each runs guarded. */
export interface ResultObserver {
  /** The resolved (or returned) value, when it is not a stream. */
  value?(value: unknown): void;
  /** Each item of a returned stream / generator, in order. */
  chunk?(chunk: unknown): void;
  /** The stream finished (normally, by error or early return), just before the span ends. */
  streamEnd?(): void;
}

/** Ends a span once; later calls do nothing. */
export class SpanEnding {
  private ended = false;
  constructor(private readonly span: Span) {}

  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    guard('end span', () => {
      if (error !== undefined) markError(this.span, error);
      this.span.end();
    }, undefined);
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

export function startSpan(spec: SpanSpec, parent: Context = context.active()): { span: Span; ctx: Context } {
  const tracer = trace.getTracer(TRACER_NAME, TRACER_VERSION);
  const span = tracer.startSpan(spec.name, { kind: spec.kind, attributes: spec.attributes, links: spec.links }, parent);
  return { span, ctx: trace.setSpan(parent, span) };
}

/**
 * Runs `fn` inside a new span described by `spec` and returns what `fn` returns: the same value,
 * the same promise-like object (a provider's `APIPromise` keeps its methods), or a wrapped
 * generator; a returned async-iterable stream object is instrumented in place.
 */
export function recordSpan<T>(spec: SpanSpec, fn: (span: CairnSpan) => T, observer: ResultObserver = {}): T {
  const started = guard('start span', () => startSpan(spec), undefined);
  if (!started) return fn(new CairnSpan(trace.wrapSpanContext(INVALID_SPAN_CONTEXT), spec.type));
  const { span, ctx } = started;
  const handle = new CairnSpan(span, spec.type);
  const ending = new SpanEnding(span);
  let handedOver = false;
  try {
    const result = context.with(ctx, fn, undefined, handle);
    const settled = settle(result, ending, ctx, observer);
    handedOver = settled.handedOver;
    return settled.result;
  } catch (error) {
    ending.end(error);
    throw error;
  } finally {
    if (!handedOver) ending.end();
  }
}

function settle<T>(result: T, ending: SpanEnding, ctx: Context, observer: ResultObserver): { result: T; handedOver: boolean } {
  if (isThenable(result)) {
    const onValue = (value: unknown): unknown => {
      const instrumented = instrumentStream(value, ending, ctx, observer);
      if (instrumented.handedOver) return instrumented.result;
      guard('read result', () => observer.value?.(value), undefined);
      ending.end();
      return value;
    };
    const onError = (error: unknown): never => {
      ending.end(error);
      throw error;
    };
    if (result instanceof Promise && result.constructor === Promise) return { result: result.then(onValue, onError) as T, handedOver: true };
    // A provider's promise subclass (openai's APIPromise) has methods users call; observe it on a
    // side branch and hand back the original. The side branch swallows its rejection: the caller's
    // own branch still sees it.
    result.then(onValue, (error: unknown) => ending.end(error));
    return { result, handedOver: true };
  }
  const instrumented = instrumentStream(result, ending, ctx, observer);
  if (!instrumented.handedOver) guard('read result', () => observer.value?.(result), undefined);
  return instrumented;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function tagOf(value: object): string {
  return Object.prototype.toString.call(value);
}

/** Generators are wrapped; other async iterables (a provider's stream object) are patched in place. */
function instrumentStream<T>(value: T, ending: SpanEnding, ctx: Context, observer: ResultObserver): { result: T; handedOver: boolean } {
  if (typeof value !== 'object' || value === null) return { result: value, handedOver: false };
  const tag = tagOf(value);
  if (tag === '[object Generator]') {
    return { result: wrapIterator(value as unknown as Iterator<unknown>, ending, ctx, observer, false) as T, handedOver: true };
  }
  if (tag === '[object AsyncGenerator]') {
    return { result: wrapIterator(value as unknown as AsyncIterator<unknown>, ending, ctx, observer, true) as T, handedOver: true };
  }
  const asyncIterate = (value as { [Symbol.asyncIterator]?: () => AsyncIterator<unknown> })[Symbol.asyncIterator];
  if (typeof asyncIterate === 'function') {
    const patched = guard('instrument stream', () => {
      Object.defineProperty(value, Symbol.asyncIterator, {
        configurable: true,
        writable: true,
        value: () => wrapIterator(asyncIterate.call(value), ending, ctx, observer, true),
      });
      return true;
    }, false);
    return { result: value, handedOver: patched };
  }
  return { result: value, handedOver: false };
}

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

/**
 * An iterator that runs each step of `inner` in the span's context, reports chunks, and ends the
 * span when `inner` is done, throws, or is closed early through `return()`.
 */
function wrapIterator(inner: AnyIterator, ending: SpanEnding, ctx: Context, observer: ResultObserver, isAsync: boolean): AnyIterator & Iterable<unknown> & AsyncIterable<unknown> {
  let chunks = 0;
  let finished = false;
  const finish = (error?: unknown, abandoned = false) => {
    if (finished) return;
    finished = true;
    guard('stream end', () => {
      const span = trace.getSpan(ctx);
      span?.setAttribute(names.CAIRN_STREAM_CHUNKS, chunks);
      if (abandoned) span?.setAttribute(names.CAIRN_STREAM_ABANDONED, true);
      observer.streamEnd?.();
    }, undefined);
    ending.end(error);
  };
  const onStep = (step: IteratorResult<unknown>, closing: boolean): IteratorResult<unknown> => {
    if (step.done) finish(undefined, closing);
    else if (!closing) {
      chunks++;
      guard('read chunk', () => observer.chunk?.(step.value), undefined);
    }
    return step;
  };
  const run = (call: () => IteratorResult<unknown> | Promise<IteratorResult<unknown>>, closing: boolean) => {
    try {
      const step = context.with(ctx, call);
      if (isAsync) {
        return (step as Promise<IteratorResult<unknown>>).then(
          (resolved) => onStep(resolved, closing),
          (error: unknown) => {
            finish(error);
            throw error;
          },
        );
      }
      return onStep(step as IteratorResult<unknown>, closing);
    } catch (error) {
      finish(error);
      throw error;
    }
  };
  const iterator = {
    next: (...args: [] | [unknown]) => run(() => inner.next(...args), false),
    return: (value?: unknown) => {
      if (!inner.return) {
        finish(undefined, true);
        const done = { done: true as const, value };
        return isAsync ? Promise.resolve(done) : done;
      }
      return run(() => inner.return!(value), true);
    },
    throw: (error?: unknown) => {
      if (!inner.throw) {
        finish(error);
        if (isAsync) return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
      return run(() => inner.throw!(error), false);
    },
    [Symbol.iterator]() {
      return this;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return iterator as unknown as AnyIterator & Iterable<unknown> & AsyncIterable<unknown>;
}

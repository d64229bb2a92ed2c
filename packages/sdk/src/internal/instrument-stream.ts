// Spans around generators and streams: the span stays open while the caller iterates and ends
// exactly once — when the iterator is done, throws, is closed early through `return()` (`break`
// out of `for await`; `cairn.stream.abandoned=true`), or when the app drops the stream or the
// iterator without doing any of that (garbage collected; ended as abandoned at the time it was
// last touched, so the recorded duration does not depend on when the collector ran).

import { performance } from 'node:perf_hooks';
import { context, type Context } from '@opentelemetry/api';
import * as names from './attribute-names.js';
import { warn } from './diagnostics.js';
import type { ResultObserver, SpanEnding } from './record-span.js';

/**
 * What a stream's span needs to finish. It must not reference the stream or the wrapping
 * iterator: the finalization registries below hold it strongly and watch those objects.
 */
class StreamState {
  chunks = 0;
  iterators = 0;
  finished = false;
  /** `performance.now()` of the last step, the end time if the stream is dropped. */
  lastActivity = performance.now();

  constructor(
    readonly ending: SpanEnding,
    readonly ctx: Context,
    readonly observer: ResultObserver,
  ) {}

  finish(error?: unknown, abandoned = false, endTime?: number): void {
    if (this.finished) return;
    this.finished = true;
    try {
      const span = this.ending.span;
      span.setAttribute(names.CAIRN_STREAM_CHUNKS, this.chunks);
      if (abandoned) span.setAttribute(names.CAIRN_STREAM_ABANDONED, true);
      this.observer.streamEnd?.();
    } catch (failure) {
      warn('stream end failed; telemetry for it is skipped', failure);
    }
    this.ending.end(error, endTime);
  }

  /** The app let go of the stream without finishing or closing it. */
  dropped(): void {
    this.finish(undefined, true, this.lastActivity);
  }
}

// A stream object nobody started iterating, and an iterator left mid-way without `return()`.
const unstartedStreams = new FinalizationRegistry<StreamState>((state) => {
  if (state.iterators === 0) state.dropped();
});
const droppedIterators = new FinalizationRegistry<StreamState>((state) => state.dropped());

function tagOf(value: object): string {
  return Object.prototype.toString.call(value);
}

/**
 * Generators are wrapped; other async iterables (a provider's stream object) are patched in place
 * so their own methods stay. Returns what to hand the caller, or `undefined` when `value` is no
 * stream (the span is then the caller's to end).
 */
export function instrumentStream<T extends object>(value: T, ending: SpanEnding, ctx: Context, observer: ResultObserver): T | undefined {
  const tag = tagOf(value);
  if (tag === '[object Generator]') return wrapIterator(value as unknown as Iterator<unknown>, new StreamState(ending, ctx, observer), false) as T;
  if (tag === '[object AsyncGenerator]') return wrapIterator(value as unknown as AsyncIterator<unknown>, new StreamState(ending, ctx, observer), true) as T;
  const asyncIterate = (value as { [Symbol.asyncIterator]?: () => AsyncIterator<unknown> })[Symbol.asyncIterator];
  if (typeof asyncIterate !== 'function') return undefined;
  const state = new StreamState(ending, ctx, observer);
  Object.defineProperty(value, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    value: () => wrapIterator(asyncIterate.call(value), state, true),
  });
  unstartedStreams.register(value, state);
  return value;
}

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

/**
 * An iterator that runs each step of `inner` in the span's context, reports chunks, and ends the
 * span when `inner` is done, throws, is closed early through `return()`, or is dropped.
 */
function wrapIterator(inner: AnyIterator, state: StreamState, isAsync: boolean): AnyIterator & Iterable<unknown> & AsyncIterable<unknown> {
  state.iterators++;
  const onStep = (step: IteratorResult<unknown>, closing: boolean): IteratorResult<unknown> => {
    state.lastActivity = performance.now();
    if (step.done) state.finish(undefined, closing);
    else if (!closing) {
      state.chunks++;
      if (state.observer.chunk !== undefined) {
        try {
          state.observer.chunk(step.value);
        } catch (error) {
          warn('read chunk failed; telemetry for it is skipped', error);
        }
      }
    }
    return step;
  };
  const run = (call: () => IteratorResult<unknown> | Promise<IteratorResult<unknown>>, closing: boolean) => {
    try {
      const step = context.with(state.ctx, call);
      if (isAsync) {
        return (step as Promise<IteratorResult<unknown>>).then(
          (resolved) => onStep(resolved, closing),
          (error: unknown) => {
            state.finish(error);
            throw error;
          },
        );
      }
      return onStep(step as IteratorResult<unknown>, closing);
    } catch (error) {
      state.finish(error);
      throw error;
    }
  };
  const iterator = {
    next: (...args: [] | [unknown]) => run(() => inner.next(...args), false),
    return: (value?: unknown) => {
      if (!inner.return) {
        state.finish(undefined, true);
        const done = { done: true as const, value };
        return isAsync ? Promise.resolve(done) : done;
      }
      return run(() => inner.return!(value), true);
    },
    throw: (error?: unknown) => {
      if (!inner.throw) {
        state.finish(error);
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
  droppedIterators.register(iterator, state);
  return iterator as unknown as AnyIterator & Iterable<unknown> & AsyncIterable<unknown>;
}

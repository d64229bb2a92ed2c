// Inject and extract W3C trace context and baggage into any carrier: HTTP headers (plain objects,
// Node's IncomingHttpHeaders, fetch `Headers`), message headers, A2A metadata, MCP `_meta`.
// A fixed propagator is used, so this works whether or not the app registered one globally.

import { context, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { guard } from '../internal/diagnostics.js';

const propagator = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });

/** Header-like things we can read from. */
export type Carrier = Record<string, unknown> | Headers | undefined | null;

const isHeaders = (carrier: unknown): carrier is Headers => typeof Headers !== 'undefined' && carrier instanceof Headers;

const getter: TextMapGetter<Carrier> = {
  keys: (carrier) => (!carrier ? [] : isHeaders(carrier) ? [...(carrier as unknown as Map<string, string>).keys()] : Object.keys(carrier)),
  get: (carrier, key) => {
    if (!carrier) return undefined;
    if (isHeaders(carrier)) return carrier.get(key) ?? undefined;
    // HTTP header names are case-insensitive; JSON carriers use the lower-case names.
    const found = carrier[key] ?? carrier[Object.keys(carrier).find((name) => name.toLowerCase() === key) ?? ''];
    if (typeof found === 'string') return found;
    if (Array.isArray(found) && found.every((item) => typeof item === 'string')) return found as string[];
    return undefined;
  },
};

const setter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/** Writes `traceparent` (and `tracestate`, `baggage`) of `ctx` into `carrier` and returns it. */
export function injectContext<C extends Record<string, string>>(carrier: C = {} as C, ctx: Context = context.active()): C {
  guard('inject trace context', () => propagator.inject(ctx, carrier, setter), undefined);
  return carrier;
}

/** The context `carrier` carries, on top of `base` (unchanged when it carries none or is malformed). */
export function extractContext(carrier: Carrier, base: Context = context.active()): Context {
  return guard('extract trace context', () => propagator.extract(base, carrier, getter), base);
}

/** Runs `fn` as a continuation of the trace in `carrier`: spans it starts are children of the remote span. */
export function withExtractedContext<T>(carrier: Carrier, fn: () => T): T {
  return context.with(extractContext(carrier), fn);
}

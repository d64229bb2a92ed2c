// Span links: "caused by, not part of" — a batch evaluation of yesterday's traces, a replay of a
// failed run. Pass the result to a typed span's `links` option.

import { ROOT_CONTEXT, context, trace, type Attributes, type Link, type SpanContext } from '@opentelemetry/api';
import type { CairnSpan } from '../cairn-span.js';
import { extractContext, type Carrier } from './carrier.js';

/**
 * A link to a span given as a SpanContext, a CairnSpan, a carrier (headers with `traceparent`),
 * or `{ traceId, spanId }` as Cairn's API returns them. Undefined when nothing valid was given.
 */
export function linkTo(target: SpanContext | CairnSpan | Carrier | { traceId: string; spanId: string }, attributes?: Attributes): Link | undefined {
  let spanContext: SpanContext | undefined;
  if (target && typeof target === 'object' && 'otel' in target && typeof (target as CairnSpan).otel?.spanContext === 'function') {
    spanContext = (target as CairnSpan).otel.spanContext();
  } else if (target && typeof target === 'object' && typeof (target as SpanContext).traceId === 'string' && typeof (target as SpanContext).spanId === 'string') {
    const given = target as SpanContext;
    spanContext = { traceId: given.traceId.toLowerCase(), spanId: given.spanId.toLowerCase(), traceFlags: given.traceFlags ?? 1, isRemote: true };
  } else {
    spanContext = trace.getSpanContext(extractContext(target as Carrier, ROOT_CONTEXT));
  }
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return attributes ? { context: spanContext, attributes } : { context: spanContext };
}

/** A link to the currently active span (e.g. to start a new trace that points back here). */
export function linkToActive(attributes?: Attributes): Link | undefined {
  const spanContext = trace.getSpanContext(context.active());
  return spanContext ? linkTo(spanContext, attributes) : undefined;
}

/** Runs `fn` in a fresh trace (no parent), for work that should link rather than nest. */
export function inNewTrace<T>(fn: () => T): T {
  return context.with(trace.deleteSpan(context.active()), fn);
}

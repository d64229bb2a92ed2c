// A fetch that records an HTTP CLIENT span and sends the trace context with the request, so the
// service it calls continues the same trace.

import { SpanKind } from '@opentelemetry/api';
import { recordSpan } from '../internal/record-span.js';
import { injectContext } from './carrier.js';

type Fetch = typeof globalThis.fetch;

function describe(input: Parameters<Fetch>[0], init: Parameters<Fetch>[1]): { method: string; url: string } {
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  const url = input instanceof Request ? input.url : String(input);
  return { method, url };
}

/** Returns `fetchImpl` (default: the global fetch) wrapped with a client span and W3C headers. */
export function tracedFetch(fetchImpl: Fetch = globalThis.fetch): Fetch {
  return (input, init) => {
    const { method, url } = describe(input, init);
    let target: URL | undefined;
    try {
      target = new URL(url);
    } catch {
      target = undefined;
    }
    return recordSpan(
      {
        type: 'other',
        name: `${method} ${target ? target.host : ''}`.trim(),
        kind: SpanKind.CLIENT,
        attributes: { 'http.request.method': method, 'url.full': target ? `${target.origin}${target.pathname}` : url, 'server.address': target?.hostname ?? '' },
      },
      (span) => {
        // Headers are built in the span's context, so the callee's parent is this span.
        const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
        const injected = injectContext({});
        for (const [key, value] of Object.entries(injected)) headers.set(key, String(value));
        return fetchImpl(input, { ...init, headers }).then((response) => {
          span.setAttribute('http.response.status_code', response.status);
          if (response.status >= 500) span.otel.setStatus({ code: 2, message: `HTTP ${response.status}` });
          return response;
        });
      },
    );
  };
}

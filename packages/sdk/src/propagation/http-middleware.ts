// Server side of HTTP propagation: continue the caller's trace with a SERVER span around the
// request. Works as Express/Connect middleware `(req, res, next)` and as a wrapper for a plain
// Node `http` handler. The span ends once, when the response finishes or the connection closes.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode, context } from '@opentelemetry/api';
import { guard } from '../internal/diagnostics.js';
import { SpanEnding, startSpan } from '../internal/record-span.js';
import { extractContext } from './carrier.js';

type Next = (error?: unknown) => void;

function serve(request: IncomingMessage, response: ServerResponse, body: () => void): void {
  const started = guard('start server span', () => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const parent = extractContext(request.headers as Record<string, unknown>);
    return startSpan(
      { type: 'other', name: `${request.method ?? 'GET'} ${path}`, kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method ?? 'GET', 'url.path': path } },
      parent,
    );
  }, undefined);
  if (!started) return body();
  const ending = new SpanEnding(started.span);
  const finish = () => {
    guard('end server span', () => {
      started.span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) started.span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${response.statusCode}` });
    }, undefined);
    ending.end();
  };
  response.once('finish', finish);
  response.once('close', finish);
  try {
    context.with(started.ctx, body);
  } catch (error) {
    ending.end(error);
    throw error;
  }
}

/** Express / Connect middleware: `app.use(cairnHttpMiddleware())`. */
export function cairnHttpMiddleware(): (request: IncomingMessage, response: ServerResponse, next: Next) => void {
  return (request, response, next) => serve(request, response, () => next());
}

/** Wraps a Node `http.createServer` handler. */
export function traceHttpHandler<R extends IncomingMessage, S extends ServerResponse>(handler: (request: R, response: S) => unknown): (request: R, response: S) => void {
  return (request, response) => serve(request, response, () => void handler(request, response));
}

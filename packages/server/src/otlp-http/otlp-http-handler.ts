// OTLP/HTTP receiver: POST /v1/traces (and Langfuse's /api/public/otel/v1/traces), POST /v1/logs.
// Answers follow the OTLP spec: the response uses the request's content type, failures carry a
// google.rpc.Status, backpressure is 429/503 with Retry-After, and 200 only after a durable write.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeStatus } from '@cairn/otlp';
import { describeError } from '../error-response.js';
import { MethodNotAllowedError, NotFoundError } from '../errors.js';
import type { IngestPipeline, OtlpBodyEncoding, OtlpSignal } from '../ingest/ingest-pipeline.js';
import type { Logger } from '../logger.js';
import { decompressBody } from './decompress-body.js';
import { OTLP_MEDIA_TYPES, parseOtlpContentType } from './otlp-content-type.js';
import { readBody } from './read-body.js';

const OTLP_PATHS: ReadonlyMap<string, OtlpSignal> = new Map([
  ['/v1/traces', 'traces'],
  ['/api/public/otel/v1/traces', 'traces'],
  ['/v1/logs', 'logs'],
]);

/** True for the OTLP/HTTP paths (so one listener can also serve the query API). */
export function isOtlpPath(url: string | undefined): boolean {
  return OTLP_PATHS.has((url ?? '/').split('?', 1)[0]!);
}

export interface OtlpHttpHandlerOptions {
  pipeline: IngestPipeline;
  logger: Logger;
  maxRequestBytes: number;
}

/** Returns a request handler; it answers every request (unknown paths get 404). */
export function createOtlpHttpHandler(options: OtlpHttpHandlerOptions) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    void handleOtlpRequest(options, request, response);
  };
}

async function handleOtlpRequest(
  { pipeline, logger, maxRequestBytes }: OtlpHttpHandlerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = (request.url ?? '/').split('?', 1)[0]!;
  const signal = OTLP_PATHS.get(path);
  // Errors before the content type is known are answered in JSON, the readable choice.
  let encoding: OtlpBodyEncoding = 'json';
  try {
    if (signal === undefined) throw new NotFoundError(`no OTLP endpoint at ${path}; use POST /v1/traces or /v1/logs`);
    if (request.method !== 'POST') throw new MethodNotAllowedError(request.method ?? '', ['POST']);
    encoding = parseOtlpContentType(request.headers['content-type']);
    const raw = await readBody(request, maxRequestBytes);
    const body = await decompressBody(raw, request.headers['content-encoding'], maxRequestBytes);
    const answer = await pipeline.export(signal, encoding, body);
    pipeline.recordOutcome(null);
    sendOtlp(response, 200, encoding, answer);
  } catch (error) {
    const described = describeError(error);
    if (signal !== undefined && request.method === 'POST') pipeline.recordOutcome(described);
    if (described.unexpected) logger.error(`OTLP/HTTP ${request.method} ${path} failed`, error);
    const headers: Record<string, string> = {};
    if (described.retryAfterSeconds !== null) headers['retry-after'] = String(described.retryAfterSeconds);
    if (error instanceof MethodNotAllowedError) headers['allow'] = error.allowed.join(', ');
    if (!request.complete) {
      // The body was not (fully) read — refused early. Close the connection instead of reading
      // a possibly huge upload; Node discards the rest.
      headers['connection'] = 'close';
      request.resume();
    }
    sendOtlp(response, described.httpStatus, encoding, encodeStatus(encoding, described.grpcCode, described.message), headers);
  }
}

function sendOtlp(
  response: ServerResponse,
  status: number,
  encoding: OtlpBodyEncoding,
  body: Uint8Array,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, {
    ...headers,
    'content-type': OTLP_MEDIA_TYPES[encoding],
    'content-length': String(body.byteLength),
  });
  response.end(body);
}

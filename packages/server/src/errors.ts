// Server errors with stable codes. error-response.ts maps each of them (and the otlp and store
// errors) to an HTTP status and a gRPC code in one place.

export class ServerError extends Error {
  override readonly name: string = 'ServerError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A listener could not bind because another process holds the port. */
export class PortInUseError extends ServerError {
  override readonly name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly listener: string,
    readonly flag: string,
    host: string,
    options?: { cause?: unknown },
  ) {
    super('port_in_use', `${listener} port ${port} on ${host} is already in use; choose another with ${flag}`, options);
  }
}

/** The request body, before or after decompression, is larger than maxRequestBytes. */
export class RequestTooLargeError extends ServerError {
  override readonly name = 'RequestTooLargeError';
  constructor(readonly maxRequestBytes: number, what = 'request body') {
    super('request_too_large', `${what} is larger than the limit of ${maxRequestBytes} bytes`);
  }
}

/** Content-Type or Content-Encoding the receiver does not understand. */
export class UnsupportedMediaTypeError extends ServerError {
  override readonly name = 'UnsupportedMediaTypeError';
  constructor(message: string) {
    super('unsupported_media_type', message);
  }
}

/** The body could not be read (e.g. corrupt gzip) before OTLP decoding even started. */
export class MalformedBodyError extends ServerError {
  override readonly name = 'MalformedBodyError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('malformed_body', message, options);
  }
}

/** The write queue is full: the client should retry after a pause (429 / UNAVAILABLE). */
export class QueueFullError extends ServerError {
  override readonly name = 'QueueFullError';
  /** `what` says what is full, e.g. "12000 of 50000 spans are waiting to be written". */
  constructor(readonly retryAfterSeconds: number, what: string) {
    super('queue_full', `ingest queue is full (${what}); retry after ${retryAfterSeconds} s`);
  }
}

/** store.write failed; nothing of the request was acknowledged, so the client may retry. */
export class StoreWriteError extends ServerError {
  override readonly name = 'StoreWriteError';
  constructor(readonly retryAfterSeconds: number, options: { cause: unknown }) {
    super('store_write_failed', `the store could not write the spans; retry after ${retryAfterSeconds} s`, options);
  }
}

/** An ingest thread stopped while it held the request; nothing of it was stored, so the client may retry. */
export class IngestThreadError extends ServerError {
  override readonly name = 'IngestThreadError';
  constructor(readonly retryAfterSeconds: number, options: { cause: unknown }) {
    super('ingest_thread_failed', `the request could not be decoded: its ingest thread stopped; retry after ${retryAfterSeconds} s`, options);
  }
}

/** The server is stopping and takes no more data. */
export class ServerStoppingError extends ServerError {
  override readonly name = 'ServerStoppingError';
  constructor() {
    super('shutting_down', 'the server is shutting down; retry against another instance or later');
  }
}

/** A query parameter or path segment is invalid; the message says which and why. */
export class InvalidParameterError extends ServerError {
  override readonly name = 'InvalidParameterError';
  constructor(message: string) {
    super('invalid_parameter', message);
  }
}

export class NotFoundError extends ServerError {
  override readonly name = 'NotFoundError';
  constructor(message: string) {
    super('not_found', message);
  }
}

export class MethodNotAllowedError extends ServerError {
  override readonly name = 'MethodNotAllowedError';
  constructor(
    method: string,
    readonly allowed: readonly string[],
  ) {
    super('method_not_allowed', `method ${method} is not allowed here; use ${allowed.join(' or ')}`);
  }
}

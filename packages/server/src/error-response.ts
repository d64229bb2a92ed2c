// The one place where errors become protocol answers: an HTTP status (query API and OTLP/HTTP)
// and a gRPC status code (OTLP/gRPC). Anything unknown is a 500 and is logged with its cause.

import { status as GrpcStatus } from '@grpc/grpc-js';
import { OtlpDecodeError } from '@cairn/otlp';
import { StoreError } from '@cairn/storage';
import {
  IngestThreadError,
  InvalidParameterError,
  MalformedBodyError,
  MethodNotAllowedError,
  NotFoundError,
  QueueFullError,
  RequestTooLargeError,
  ServerStoppingError,
  StoreWriteError,
  UnsupportedMediaTypeError,
} from './errors.js';

export interface ErrorResponse {
  httpStatus: number;
  grpcCode: GrpcStatus;
  /** Stable machine-readable code, e.g. "invalid_parameter". */
  code: string;
  message: string;
  /** Seconds for Retry-After on retryable answers (429, 503), else null. */
  retryAfterSeconds: number | null;
  /** True for server faults (5xx that are not backpressure): the caller logs them with cause. */
  unexpected: boolean;
}

const RETRY_AFTER_UNAVAILABLE_SECONDS = 5;

function answer(
  httpStatus: number,
  grpcCode: GrpcStatus,
  code: string,
  message: string,
  retryAfterSeconds: number | null = null,
  unexpected = false,
): ErrorResponse {
  return { httpStatus, grpcCode, code, message, retryAfterSeconds, unexpected };
}

export function describeError(error: unknown): ErrorResponse {
  if (error instanceof OtlpDecodeError) {
    return answer(400, GrpcStatus.INVALID_ARGUMENT, error.code, error.message);
  }
  if (error instanceof MalformedBodyError) return answer(400, GrpcStatus.INVALID_ARGUMENT, error.code, error.message);
  if (error instanceof InvalidParameterError) return answer(400, GrpcStatus.INVALID_ARGUMENT, error.code, error.message);
  if (error instanceof NotFoundError) return answer(404, GrpcStatus.NOT_FOUND, error.code, error.message);
  if (error instanceof MethodNotAllowedError) return answer(405, GrpcStatus.UNIMPLEMENTED, error.code, error.message);
  if (error instanceof RequestTooLargeError) {
    return answer(413, GrpcStatus.RESOURCE_EXHAUSTED, error.code, error.message);
  }
  if (error instanceof UnsupportedMediaTypeError) {
    return answer(415, GrpcStatus.INVALID_ARGUMENT, error.code, error.message);
  }
  if (error instanceof QueueFullError) {
    return answer(429, GrpcStatus.UNAVAILABLE, error.code, error.message, error.retryAfterSeconds);
  }
  if (error instanceof StoreWriteError || error instanceof IngestThreadError) {
    return answer(503, GrpcStatus.UNAVAILABLE, error.code, error.message, error.retryAfterSeconds);
  }
  if (error instanceof ServerStoppingError) {
    return answer(503, GrpcStatus.UNAVAILABLE, error.code, error.message, RETRY_AFTER_UNAVAILABLE_SECONDS);
  }
  if (error instanceof StoreError) {
    switch (error.code) {
      case 'invalid_cursor':
        return answer(400, GrpcStatus.INVALID_ARGUMENT, error.code, error.message);
      case 'store_unavailable':
        return answer(
          503,
          GrpcStatus.UNAVAILABLE,
          error.code,
          `the store is unavailable: ${error.message}`,
          RETRY_AFTER_UNAVAILABLE_SECONDS,
          true,
        );
      default:
        return answer(500, GrpcStatus.INTERNAL, error.code, 'the store failed; see the server log', null, true);
    }
  }
  return answer(500, GrpcStatus.INTERNAL, 'internal_error', 'internal server error; see the server log', null, true);
}

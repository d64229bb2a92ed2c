// A failed ClickHouse request. Extends StoreError so the server maps it to HTTP in its one place:
// 'store_unavailable' (503 + Retry-After, the client retries) for an unreachable server, a shard
// that is down or an overloaded server; 'store_failed' (500) for everything else.

import { StoreError } from '@cairn/storage';

/**
 * ClickHouse exception codes that mean "try again later", not "this request is wrong":
 * 159 TIMEOUT_EXCEEDED, 202 TOO_MANY_SIMULTANEOUS_QUERIES, 209 SOCKET_TIMEOUT, 210 NETWORK_ERROR,
 * 241 MEMORY_LIMIT_EXCEEDED, 252 TOO_MANY_PARTS, 279 ALL_CONNECTION_TRIES_FAILED,
 * 319 UNKNOWN_STATUS_OF_INSERT, 425 SYSTEM_ERROR.
 */
const RETRYABLE_SERVER_CODES = new Set([159, 202, 209, 210, 241, 252, 279, 319, 425]);

export class ClickHouseError extends StoreError {
  override readonly name = 'ClickHouseError';
  constructor(
    code: 'store_unavailable' | 'store_failed',
    message: string,
    /** ClickHouse's exception code (e.g. 60 UNKNOWN_TABLE), or null for network failures. */
    readonly serverCode: number | null,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }

  /** From an HTTP error answer of ClickHouse ("Code: 60, e.displayText() = DB::Exception: …"). */
  static fromResponse(url: string, httpStatus: number, body: string): ClickHouseError {
    const serverCode = Number(/Code: (\d+)/.exec(body)?.[1] ?? NaN);
    const text = body.replace(/\s+/g, ' ').trim().slice(0, 600);
    const known = Number.isFinite(serverCode) ? serverCode : null;
    const retryable = httpStatus === 503 || (known !== null && RETRYABLE_SERVER_CODES.has(known));
    return new ClickHouseError(
      retryable ? 'store_unavailable' : 'store_failed',
      `ClickHouse at ${url} answered ${httpStatus}: ${text}`,
      known,
    );
  }

  /** From a socket-level failure (refused, reset, timed out). */
  static unreachable(url: string, error: unknown): ClickHouseError {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const detail = error instanceof Error ? error.message : String(error);
    return new ClickHouseError(
      'store_unavailable',
      `ClickHouse at ${url} is unreachable (${code ?? detail}); check that clickhouse-server is running and that --clickhouse-url points at its HTTP port`,
      null,
      { cause: error },
    );
  }
}

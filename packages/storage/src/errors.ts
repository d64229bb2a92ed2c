// Store errors with stable codes; the server maps them to HTTP in one place.

export class StoreError extends Error {
  override readonly name: string = 'StoreError';
  constructor(
    readonly code: 'store_unavailable' | 'store_failed' | 'invalid_cursor',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class InvalidCursorError extends StoreError {
  override readonly name = 'InvalidCursorError';
  constructor(cursor: string) {
    super('invalid_cursor', `cursor ${JSON.stringify(cursor.slice(0, 40))} is not one this server issued`);
  }
}

// The one error an OTLP decoder throws for input it cannot read. The server maps it to HTTP 400
// (non-retryable), so the message must tell the sender what was wrong and where.

/** The request body is not a readable OTLP message; `message` names the byte offset or JSON path. */
export class OtlpDecodeError extends Error {
  readonly code = 'otlp_decode_error';

  constructor(message: string) {
    super(message);
    this.name = 'OtlpDecodeError';
  }
}

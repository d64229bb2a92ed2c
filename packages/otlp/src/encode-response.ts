// Response bodies of the OTLP/HTTP (and gRPC) receivers, in the content type of the request.
//
// Full success is an ExportTrace/LogsServiceResponse with `partial_success` unset (an empty
// protobuf message, `{}` in JSON). Partial success sets the rejected count and a message; the
// client must not retry it. Failures (4xx/5xx) carry a google.rpc.Status.

import { bytesField, concatBytes, stringField, varintField } from './internal/protobuf-writer.js';

export interface PartialSuccess {
  /** Spans (or log records) that were not accepted; 0 with a message is a warning. */
  rejected: number;
  errorMessage: string;
}

export type OtlpContentType = 'protobuf' | 'json';

const textEncoder = new TextEncoder();

/** ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1 { int64 rejected_spans = 1; string error_message = 2 } }. */
export function encodeTracesResponse(contentType: OtlpContentType, partial: PartialSuccess | null): Uint8Array {
  return encodeExportResponse(contentType, partial, 'rejectedSpans');
}

/** ExportLogsServiceResponse, the same shape with `rejected_log_records`. */
export function encodeLogsResponse(contentType: OtlpContentType, partial: PartialSuccess | null): Uint8Array {
  return encodeExportResponse(contentType, partial, 'rejectedLogRecords');
}

function encodeExportResponse(
  contentType: OtlpContentType,
  partial: PartialSuccess | null,
  rejectedKey: 'rejectedSpans' | 'rejectedLogRecords',
): Uint8Array {
  const hasPartial = partial !== null && (partial.rejected > 0 || partial.errorMessage !== '');
  if (contentType === 'json') {
    if (!hasPartial) return textEncoder.encode('{}');
    // int64 is a decimal string in OTLP/JSON.
    const body = { partialSuccess: { [rejectedKey]: String(Math.max(0, Math.trunc(partial.rejected))), errorMessage: partial.errorMessage } };
    return textEncoder.encode(JSON.stringify(body));
  }
  if (!hasPartial) return new Uint8Array(0);
  const fields = [varintField(1, partial.rejected)];
  if (partial.errorMessage !== '') fields.push(stringField(2, partial.errorMessage));
  return bytesField(1, concatBytes(fields));
}

/** google.rpc.Status { int32 code = 1; string message = 2; repeated Any details = 3 } for 4xx/5xx bodies. */
export function encodeStatus(contentType: OtlpContentType, grpcCode: number, message: string): Uint8Array {
  if (contentType === 'json') return textEncoder.encode(JSON.stringify({ code: grpcCode, message }));
  const fields: Uint8Array[] = [];
  if (grpcCode !== 0) fields.push(varintField(1, grpcCode));
  if (message !== '') fields.push(stringField(2, message));
  return concatBytes(fields);
}

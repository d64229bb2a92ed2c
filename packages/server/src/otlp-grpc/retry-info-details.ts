// Encodes the `grpc-status-details-bin` trailer value: a google.rpc.Status whose details hold one
// google.rpc.RetryInfo. OTLP/gRPC clients (e.g. the Collector's exporters) read retry_delay from
// it when throttled with UNAVAILABLE. Hand-written: four tiny messages are not worth a proto library.
//
//   Status    { int32 code = 1; string message = 2; repeated Any details = 3; }
//   Any       { string type_url = 1; bytes value = 2; }
//   RetryInfo { Duration retry_delay = 1; }
//   Duration  { int64 seconds = 1; int32 nanos = 2; }

const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}

function lengthDelimited(fieldNumber: number, payload: Uint8Array): number[] {
  return [...varint((fieldNumber << 3) | 2), ...varint(payload.length), ...payload];
}

function varintField(fieldNumber: number, value: number): number[] {
  return [...varint(fieldNumber << 3), ...varint(value)];
}

export function encodeRetryInfoStatus(grpcCode: number, message: string, retryAfterSeconds: number): Buffer {
  const duration = Uint8Array.from(varintField(1, Math.max(0, Math.round(retryAfterSeconds))));
  const retryInfo = Uint8Array.from(lengthDelimited(1, duration));
  const any = Uint8Array.from([
    ...lengthDelimited(1, new TextEncoder().encode(RETRY_INFO_TYPE_URL)),
    ...lengthDelimited(2, retryInfo),
  ]);
  return Buffer.from([
    ...varintField(1, grpcCode),
    ...lengthDelimited(2, new TextEncoder().encode(message)),
    ...lengthDelimited(3, any),
  ]);
}

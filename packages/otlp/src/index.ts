// @cairn/otlp: OTLP request decoding (protobuf and JSON) into Cairn's WireSpan model, and the
// response bodies the receivers send back.

export type { DecodedTraces } from './decoded-traces.js';
export type { DecodedLogEvent, DecodedLogs } from './decoded-logs.js';
export { decodeTracesProtobuf } from './decode-traces-protobuf.js';
export { decodeTracesJson } from './decode-traces-json.js';
export { decodeLogsProtobuf } from './decode-logs-protobuf.js';
export { decodeLogsJson } from './decode-logs-json.js';
export type { OtlpContentType, PartialSuccess } from './encode-response.js';
export { encodeLogsResponse, encodeStatus, encodeTracesResponse } from './encode-response.js';
export { OtlpDecodeError } from './otlp-decode-error.js';

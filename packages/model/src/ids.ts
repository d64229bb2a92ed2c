// Trace and span ids are lowercase hex strings everywhere inside Cairn.

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

/** True for 32 lowercase hex characters that are not all zero. */
export function isValidTraceId(id: string): boolean {
  return TRACE_ID.test(id) && id !== ZERO_TRACE_ID;
}

/** True for 16 lowercase hex characters that are not all zero. */
export function isValidSpanId(id: string): boolean {
  return SPAN_ID.test(id) && id !== ZERO_SPAN_ID;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Lowercase hex of a byte range, without copying the bytes. */
export function bytesToHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let hex = '';
  for (let index = start; index < end; index++) hex += HEX[bytes[index]!]!;
  return hex;
}

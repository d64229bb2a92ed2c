// Hand-encodes protobuf bytes for cases no SDK produces: int64 extremes, unknown fields of every
// wire type, groups, strindex fields, wrong id lengths. Kept independent of the decoder under test.

export type Field = Uint8Array;

function varint(value: bigint): number[] {
  let rest = BigInt.asUintN(64, value); // negative int64 → 10-byte two's complement
  const bytes: number[] = [];
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

function tag(field: number, wireType: number): number[] {
  return varint(BigInt((field << 3) | wireType));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const result = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

export const pb = {
  varint: (field: number, value: bigint | number): Field => Uint8Array.from([...tag(field, 0), ...varint(BigInt(value))]),
  fixed64: (field: number, value: bigint): Field => {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    return concat(Uint8Array.from(tag(field, 1)), bytes);
  },
  double: (field: number, value: number): Field => {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, true);
    return concat(Uint8Array.from(tag(field, 1)), bytes);
  },
  fixed32: (field: number, value: number): Field => {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value, true);
    return concat(Uint8Array.from(tag(field, 5)), bytes);
  },
  bytes: (field: number, payload: Uint8Array): Field =>
    concat(Uint8Array.from([...tag(field, 2), ...varint(BigInt(payload.length))]), payload),
  string: (field: number, value: string): Field => pb.bytes(field, new TextEncoder().encode(value)),
  hex: (field: number, hex: string): Field => pb.bytes(field, Uint8Array.from(Buffer.from(hex, 'hex'))),
  message: (field: number, ...fields: Field[]): Field => pb.bytes(field, concat(...fields)),
  raw: (...bytes: number[]): Field => Uint8Array.from(bytes),
};

/** KeyValue { key=1; value=2 (AnyValue) } as a repeated field `field`. */
export function keyValue(field: number, key: string, ...anyValueFields: Field[]): Field {
  return pb.message(field, pb.string(1, key), pb.message(2, ...anyValueFields));
}

export const TRACE_ID = '5b8efff798038103d269b633813fc60c';
export const SPAN_ID = 'eee19b7ec3c1b174';
export const PARENT_ID = 'eee19b7ec3c1b173';

/** ExportTraceServiceRequest with one ResourceSpans / ScopeSpans holding `spans` (each a list of Span fields). */
export function traceRequest(...spans: Field[][]): Uint8Array {
  return pb.message(
    1,
    pb.message(1, keyValue(1, 'service.name', pb.string(1, 'svc'))),
    pb.message(2, pb.message(1, pb.string(1, 'scope')), ...spans.map((fields) => pb.message(2, ...fields))),
  );
}

/** The Span fields of a minimal valid span. */
export function spanFields(name = 'op', ...extra: Field[]): Field[] {
  return [pb.hex(1, TRACE_ID), pb.hex(2, SPAN_ID), pb.string(5, name), pb.fixed64(7, 1n), pb.fixed64(8, 2n), ...extra];
}

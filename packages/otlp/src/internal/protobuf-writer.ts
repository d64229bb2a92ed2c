// Just enough protobuf writing for the small messages Cairn sends back: export responses and
// google.rpc.Status. Each message is built as a list of encoded fields, then concatenated.

const textEncoder = new TextEncoder();

export function varintBytes(value: number): number[] {
  // Non-negative values only (counts, codes); negatives are clamped to 0 by the callers.
  const bytes: number[] = [];
  let rest = Math.max(0, Math.trunc(value));
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}

export function varintField(fieldNumber: number, value: number): Uint8Array {
  return Uint8Array.from([...varintBytes(fieldNumber << 3), ...varintBytes(value)]);
}

export function bytesField(fieldNumber: number, payload: Uint8Array): Uint8Array {
  return concatBytes([
    Uint8Array.from([...varintBytes((fieldNumber << 3) | 2), ...varintBytes(payload.length)]),
    payload,
  ]);
}

export function stringField(fieldNumber: number, value: string): Uint8Array {
  return bytesField(fieldNumber, textEncoder.encode(value));
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const result = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

// Lossless JSON for span input/output. Plain JSON except for values JSON cannot carry exactly:
// bigint → {"$int":"…"}, Uint8Array → {"$bytes":"base64"}, NaN/±Infinity → {"$double":"…"}.
// An object whose only key is one of those markers is read back as that value (an accepted
// ambiguity: real messages never have that shape).

function replacer(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return { $int: value.toString() };
  if (typeof value === 'number' && !Number.isFinite(value)) return { $double: String(value) };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  // JSON.stringify has already called Buffer#toJSON; look at the original value.
  const holder = this as Record<string, unknown> | undefined;
  const original = holder?.[key];
  if (original instanceof Uint8Array) return { $bytes: Buffer.from(original).toString('base64') };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length !== 1) return value;
  const marker = record[keys[0]!];
  if (typeof marker !== 'string') return value;
  switch (keys[0]) {
    case '$int':
      return /^-?\d+$/.test(marker) ? BigInt(marker) : value;
    case '$double':
      return Number(marker);
    case '$bytes':
      return new Uint8Array(Buffer.from(marker, 'base64'));
    default:
      return value;
  }
}

/** null for null/undefined (no payload), else the encoded text. */
export function encodePayload(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return JSON.stringify(value, replacer) ?? null;
}

export function decodePayload(text: string | null): unknown {
  if (text === null) return null;
  return JSON.parse(text, reviver) as unknown;
}

const REFERENCE_PREFIX = '\u0000attribute:';

/** Payload text meaning "same text as the span's attribute `key`" (never valid JSON). */
export function attributeReference(key: string): string {
  return REFERENCE_PREFIX + key;
}

/** Decodes a stored payload, resolving an attribute reference against the span's attributes. */
export function decodeStoredPayload(text: string | null, attributes: Readonly<Record<string, unknown>>): unknown {
  if (text !== null && text.startsWith(REFERENCE_PREFIX)) {
    const value = attributes[text.slice(REFERENCE_PREFIX.length)];
    return typeof value === 'string' ? decodePayload(value) : null;
  }
  return decodePayload(text);
}

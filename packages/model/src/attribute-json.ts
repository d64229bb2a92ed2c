// Two JSON forms of attribute maps:
//  - the *stored* form is lossless and typed: ints as {"$int":"…"}, bytes as {"$bytes":"base64"},
//    kvlists as {"$kv":{…}}, non-finite doubles as {"$double":"NaN"}; strings, booleans, finite
//    doubles, arrays and null as plain JSON. decodeStoredAttributes(encodeStoredAttributes(m)) ≡ m.
//  - the *API* form is what users read: plain JSON values, ints written with all their digits
//    (see stringifyJson), bytes as base64 strings, kvlists as objects.

import type { AttributeMap, AttributeValue } from './attributes.js';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function toStored(value: AttributeValue): Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return { $int: value.toString() };
    case 'number':
      return Number.isFinite(value) ? value : { $double: String(value) };
    default:
      if (value === null) return null;
      if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
      if (Array.isArray(value)) return value.map(toStored);
      return { $kv: mapToStored(value) };
  }
}

function mapToStored(map: AttributeMap): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(map)) out[key] = toStored(map[key]!);
  return out;
}

export function encodeStoredAttributes(map: AttributeMap): string {
  // Most maps hold only strings, booleans and finite numbers, whose stored form is the value
  // itself: stringified as they are, without building a copy (a hot path of every write).
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) continue;
    return JSON.stringify(mapToStored(map));
  }
  return JSON.stringify(map);
}

function fromStored(value: Json): AttributeValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(fromStored);
  if (typeof value.$int === 'string') return BigInt(value.$int);
  if (typeof value.$bytes === 'string') return new Uint8Array(Buffer.from(value.$bytes, 'base64'));
  if (typeof value.$double === 'string') return Number(value.$double);
  const kv = value.$kv;
  if (kv !== null && typeof kv === 'object' && !Array.isArray(kv)) return mapFromStored(kv);
  return mapFromStored(value);
}

function mapFromStored(stored: { [key: string]: Json }): AttributeMap {
  const map: AttributeMap = {};
  for (const key of Object.keys(stored)) map[key] = fromStored(stored[key]!);
  return map;
}

export function decodeStoredAttributes(text: string): AttributeMap {
  if (text === '') return {};
  const parsed = JSON.parse(text) as Json;
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? mapFromStored(parsed) : {};
}

/** Attribute value in the API's plain form (bigint kept; stringifyJson writes it exactly). */
export function toApiValue(value: AttributeValue): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toApiValue);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value !== null && typeof value === 'object') return toApiAttributes(value as AttributeMap);
  return value;
}

export function toApiAttributes(map: AttributeMap): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(map)) out[key] = toApiValue(map[key]!);
  return out;
}

const BIGINT_MARK = `\u0001bigint${Math.random().toString(36).slice(2)}:`;
const BIGINT_PATTERN = new RegExp(`"${BIGINT_MARK.replace('\u0001', '\\\\u0001')}(-?\\d+)"`, 'g');

/**
 * JSON.stringify that writes bigint values as JSON integers with every digit, so 64-bit values
 * stay exact on the wire for clients that parse big integers (Python, Go, Java, jq).
 */
export function stringifyJson(value: unknown, space?: number): string {
  let sawBigInt = false;
  const text = JSON.stringify(
    value,
    (_key, item: unknown) => {
      if (typeof item !== 'bigint') return item;
      sawBigInt = true;
      return BIGINT_MARK + item.toString();
    },
    space,
  );
  return sawBigInt ? text.replace(BIGINT_PATTERN, '$1') : text;
}

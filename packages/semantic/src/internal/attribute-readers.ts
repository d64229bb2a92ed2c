// Lenient readers for attribute values: instrumentations disagree on types (ints as doubles or
// strings, JSON as strings or structured kvlists), and none of these readers may throw.

import type { AttributeMap, AttributeValue } from '@cairn/model';
import { numberAttribute, toApiValue } from '@cairn/model';

/** A non-empty string; ints and finite doubles are accepted as their decimal text (ids, users). */
export function textAttribute(attributes: AttributeMap, key: string): string | undefined {
  const value = attributes[key];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A token count: int, double or numeric string, non-negative, rounded to a whole number. */
export function countAttribute(attributes: AttributeMap, key: string): number | undefined {
  const value = numberAttribute(attributes, key);
  return value !== undefined && value >= 0 ? Math.round(value) : undefined;
}

/** A non-negative amount (USD); int, double or numeric string. */
export function amountAttribute(attributes: AttributeMap, key: string): number | undefined {
  const value = numberAttribute(attributes, key);
  return value !== undefined && value >= 0 ? value : undefined;
}

/** An attribute value as plain JSON; a string holding a JSON object or array is parsed. */
export function parseAttributeValue(value: AttributeValue): unknown {
  return typeof value === 'string' ? parseJsonText(value) : toApiValue(value);
}

/**
 * Parses text that looks like a JSON object or array; anything else (plain text, "42", invalid
 * JSON) comes back as the same string, so a tool that returned "42" keeps returning a string.
 */
export function parseJsonText(text: string): unknown {
  const first = firstSignificantChar(text);
  if (first !== '{' && first !== '[') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function firstSignificantChar(text: string): string {
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char !== ' ' && char !== '\n' && char !== '\r' && char !== '\t') return char;
  }
  return '';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** A string, or the decimal text of a number; for ids inside message JSON. */
export function idText(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}

// Readers the dialects share: "first usable value among these keys" for text, counts and
// amounts, lists that arrive as arrays, JSON text or comma lists, and flattened indexed lists
// (`prefix.<i>.rest`). Each takes the optional ExtractNotes so explain mode learns which key
// filled a field and which present keys were unusable; none of them throws.

import type { AttributeMap, AttributeValue, RetrievalDocument } from '@cairn/model';
import { PREVIEW_MAX_CHARS, stringifyJson } from '@cairn/model';
import type { CanonicalField, ExtractNotes } from '../dialect.js';
import { isRecord, parseAttributeValue } from '../internal/attribute-readers.js';
import { singleLine } from '../internal/previews.js';

/** A flattened list index above this is treated as garbage, not as a sparse list. */
const MAX_FLAT_INDEX = 100_000;

export function textValue(value: AttributeValue | undefined): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function numberValue(value: AttributeValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** A token count: non-negative, rounded; ints, doubles and numeric strings. */
export function countValue(value: AttributeValue | undefined): number | undefined {
  const number = numberValue(value);
  return number !== undefined && number >= 0 ? Math.round(number) : undefined;
}

/** Describes a value's type for problem messages without echoing a huge value. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** The first key holding usable text; present but unusable keys are reported. */
export function firstText(attributes: AttributeMap, keys: readonly string[], field: CanonicalField, notes?: ExtractNotes): string | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (value === undefined) continue;
    const text = textValue(value);
    if (text !== undefined) {
      notes?.source(field, key);
      return text;
    }
    notes?.problem(key, `expected text, got ${describeValue(value)}`);
  }
  return undefined;
}

export function firstCount(attributes: AttributeMap, keys: readonly string[], field: CanonicalField, notes?: ExtractNotes): number | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (value === undefined) continue;
    const count = countValue(value);
    if (count !== undefined) {
      notes?.source(field, key);
      return count;
    }
    notes?.problem(key, `expected a non-negative token count, got ${describeValue(value)}`);
  }
  return undefined;
}

export function firstAmount(attributes: AttributeMap, keys: readonly string[], field: CanonicalField, notes?: ExtractNotes): number | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (value === undefined) continue;
    const amount = numberValue(value);
    if (amount !== undefined && amount >= 0) {
      notes?.source(field, key);
      return amount;
    }
    notes?.problem(key, `expected a non-negative number, got ${describeValue(value)}`);
  }
  return undefined;
}

/**
 * A list of strings from an array attribute, JSON array text, or a comma list; a single word
 * is a one-item list. Empty items are dropped and duplicates kept once.
 */
export function textListValue(value: AttributeValue | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else if (typeof value === 'string') {
    const parsed = parseAttributeValue(value);
    items = Array.isArray(parsed) ? parsed : value.split(',');
  } else {
    const text = textValue(value);
    if (text === undefined) return undefined;
    items = [text];
  }
  const list: string[] = [];
  for (const item of items) {
    const text = typeof item === 'string' ? item.trim() : typeof item === 'number' || typeof item === 'bigint' ? String(item) : '';
    if (text !== '' && !list.includes(text)) list.push(text);
  }
  return list.length === 0 ? undefined : list;
}

export function firstTextList(attributes: AttributeMap, keys: readonly string[], field: CanonicalField, notes?: ExtractNotes): string[] | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (value === undefined) continue;
    const list = textListValue(value);
    if (list !== undefined) {
      notes?.source(field, key);
      return list;
    }
    notes?.problem(key, `expected a list of strings, got ${describeValue(value)}`);
  }
  return undefined;
}

/** Sub-attributes of one item of a flattened list: `rest` (after `prefix.<i>.`) → value. */
export type FlatItem = Map<string, AttributeValue>;

/**
 * Groups `prefix<i>.<rest>` keys by index, in index order. Indices that are not small decimal
 * integers are reported and skipped (a list with index 10⁹ is garbage, not a billion items).
 */
export function flattenedList(entries: Iterable<[string, AttributeValue]>, prefix: string, notes?: ExtractNotes): FlatItem[] {
  const byIndex = new Map<number, FlatItem>();
  for (const [key, value] of entries) {
    if (!key.startsWith(prefix)) continue;
    const dot = key.indexOf('.', prefix.length);
    const indexText = dot < 0 ? key.slice(prefix.length) : key.slice(prefix.length, dot);
    const first = indexText.charCodeAt(0);
    if (!(first >= 48 && first <= 57)) continue; // another key under the prefix (gen_ai.prompt.name)
    const index = /^\d{1,6}$/.test(indexText) ? Number(indexText) : -1;
    if (index < 0 || index > MAX_FLAT_INDEX) {
      notes?.problem(key, `not an indexed item of ${prefix}<i>.*`);
      continue;
    }
    let item = byIndex.get(index);
    if (item === undefined) byIndex.set(index, (item = new Map()));
    item.set(dot < 0 ? '' : key.slice(dot + 1), value);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map((entry) => entry[1]);
}

export function attributeEntries(attributes: AttributeMap): Iterable<[string, AttributeValue]> {
  return Object.entries(attributes);
}

/** True when some key of `attributes` starts with `prefix`. */
export function hasKeyWithPrefix(attributes: AttributeMap, prefix: string): boolean {
  for (const key in attributes) if (key.startsWith(prefix)) return true;
  return false;
}

/** One retrieval document from an object such as {id, score, content} or {document: {...}}. */
export function retrievalDocument(raw: unknown): RetrievalDocument {
  const source = isRecord(raw) && isRecord(raw.document) ? raw.document : raw;
  if (!isRecord(source)) return { id: null, score: null, contentPreview: contentPreview(source) };
  const id = source.id ?? source.document_id ?? source.doc_id;
  const score = typeof source.score === 'number' ? source.score : typeof source.score === 'string' ? Number(source.score) : NaN;
  return {
    id: typeof id === 'string' ? id : typeof id === 'number' || typeof id === 'bigint' ? String(id) : null,
    score: Number.isFinite(score) ? score : null,
    contentPreview: contentPreview(source.content ?? source.text ?? source.page_content),
  };
}

export function contentPreview(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = typeof value === 'string' ? value : (stringifyJson(value) ?? String(value));
  return singleLine(text.length > PREVIEW_MAX_CHARS * 8 ? text.slice(0, PREVIEW_MAX_CHARS * 8) : text);
}

/** An ISO-8601 time (optionally JSON-quoted, as Langfuse serializes dates) → ns since the epoch. */
export function isoTimeToNanos(value: AttributeValue | undefined): bigint | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  const millis = Date.parse(text);
  return Number.isFinite(millis) ? BigInt(millis) * 1_000_000n : undefined;
}

// Readers for the values of OTLP/JSON (docs/specification.md §JSON Protobuf Encoding): field
// lookup by lowerCamelCase name with a lenient snake_case fallback, 64-bit integers from decimal
// strings or numbers, enums from numbers or names, hex ids, AnyValue, attributes, resource and
// scope. A value of the wrong shape throws OtlpDecodeError naming its JSON path; an absent value
// is the proto3 default.

import type { AttributeMap, AttributeValue, InstrumentationScope, Resource } from '@cairn/model';
import { OtlpDecodeError } from '../otlp-decode-error.js';
import { emptyResource, emptyScope } from './empty-envelopes.js';
import { MAX_ANY_VALUE_DEPTH } from './max-any-value-depth.js';
import { setAttribute } from './set-attribute.js';

export type JsonObject = Record<string, unknown>;

const UNSIGNED_DECIMAL = /^\d+$/;
const SIGNED_DECIMAL = /^-?\d+$/;
const HEX = /^[0-9a-fA-F]*$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const MAX_UINT64 = (1n << 64n) - 1n;
const MIN_INT64 = -(1n << 63n);
const MAX_INT64 = (1n << 63n) - 1n;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `object[camel]`, or `object[snake]` for senders that use proto field names. */
export function field(object: JsonObject, camel: string, snake: string): unknown {
  const value = object[camel];
  return value === undefined ? object[snake] : value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function wrongShape(path: string, expected: string, value: unknown): OtlpDecodeError {
  return new OtlpDecodeError(`${path}: expected ${expected}, got ${describe(value)}`);
}

export function objectAt(value: unknown, path: string): JsonObject {
  if (!isJsonObject(value)) throw wrongShape(path, 'an object', value);
  return value;
}

/** An optional message field: absent or null is null. */
export function optionalObjectAt(value: unknown, path: string): JsonObject | null {
  return value === undefined || value === null ? null : objectAt(value, path);
}

/** A repeated field: absent or null is empty. */
export function arrayAt(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw wrongShape(path, 'an array', value);
  return value;
}

export function stringAt(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw wrongShape(path, 'a string', value);
  return value;
}

/** fixed64/uint64: a decimal string, or a number (exact when it came through parseOtlpJson). */
export function uint64At(value: unknown, path: string): bigint {
  const parsed = integerAt(value, path, UNSIGNED_DECIMAL, 'an unsigned 64-bit integer');
  if (parsed > MAX_UINT64) throw wrongShape(path, 'an unsigned 64-bit integer', value);
  return parsed;
}

export function int64At(value: unknown, path: string): bigint {
  const parsed = integerAt(value, path, SIGNED_DECIMAL, 'a 64-bit integer');
  if (parsed < MIN_INT64 || parsed > MAX_INT64) throw wrongShape(path, 'a 64-bit integer', value);
  return parsed;
}

function integerAt(value: unknown, path: string, pattern: RegExp, expected: string): bigint {
  if (value === undefined || value === null || value === '') return 0n;
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (pattern === UNSIGNED_DECIMAL && value < 0) throw wrongShape(path, expected, value);
    return BigInt(value);
  }
  if (typeof value === 'string' && pattern.test(value)) return BigInt(value);
  throw wrongShape(path, expected, value);
}

/** uint32/int32 fields (counts, flags): a number or a numeric string. */
export function int32At(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  const parsed = typeof value === 'string' && SIGNED_DECIMAL.test(value) ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isInteger(parsed) || parsed < -(2 ** 31) || parsed >= 2 ** 32) {
    throw wrongShape(path, 'a 32-bit integer', value);
  }
  return parsed;
}

/** An enum as its number or (leniently) its name, with or without the prefix: `SPAN_KIND_SERVER`, `SERVER`. */
export function enumAt(value: unknown, path: string, prefix: string, names: readonly string[]): number {
  if (typeof value === 'string' && !SIGNED_DECIMAL.test(value)) {
    const upper = value.toUpperCase();
    const index = names.indexOf(upper.startsWith(prefix) ? upper.slice(prefix.length) : upper);
    if (index < 0) throw wrongShape(path, `a ${prefix}* enum value`, value);
    return index;
  }
  return int32At(value, path);
}

/** Hex of an id in OTLP/JSON (case-insensitive) — `bytes` is -1 when the value is not hex. */
export interface JsonId {
  bytes: number;
  hex: string;
}

export function idAt(value: unknown): JsonId {
  if (value === undefined || value === null || value === '') return { bytes: 0, hex: '' };
  if (typeof value !== 'string' || value.length % 2 !== 0 || !HEX.test(value)) return { bytes: -1, hex: '' };
  return { bytes: value.length / 2, hex: value.toLowerCase() };
}

export function doubleAt(value: unknown, path: string): number {
  if (typeof value === 'number') return value;
  // proto3 JSON spells the special values as strings; numeric strings are the rewritten long literals.
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw wrongShape(path, 'a number', value);
}

/** An AnyValue object; `{}` (no value set) is null. */
export function anyValueAt(value: unknown, path: string, depth = 0): AttributeValue {
  if (depth > MAX_ANY_VALUE_DEPTH) throw new OtlpDecodeError(`${path}: AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  if (value === undefined || value === null) return null;
  const object = objectAt(value, path);
  let inner = field(object, 'stringValue', 'string_value');
  if (inner !== undefined && inner !== null) return stringAt(inner, `${path}.stringValue`);
  inner = field(object, 'boolValue', 'bool_value');
  if (inner !== undefined && inner !== null) {
    if (typeof inner !== 'boolean') throw wrongShape(`${path}.boolValue`, 'true or false', inner);
    return inner;
  }
  inner = field(object, 'intValue', 'int_value');
  if (inner !== undefined && inner !== null) return int64At(inner, `${path}.intValue`);
  inner = field(object, 'doubleValue', 'double_value');
  if (inner !== undefined && inner !== null) return doubleAt(inner, `${path}.doubleValue`);
  inner = field(object, 'arrayValue', 'array_value');
  if (inner !== undefined && inner !== null) {
    const arrayPath = `${path}.arrayValue.values`;
    const items = arrayAt(objectAt(inner, `${path}.arrayValue`).values, arrayPath);
    return items.map((item, index) => anyValueAt(item, `${arrayPath}[${index}]`, depth + 1));
  }
  inner = field(object, 'kvlistValue', 'kvlist_value');
  if (inner !== undefined && inner !== null) {
    const kvlist: AttributeMap = {};
    keyValuesInto(objectAt(inner, `${path}.kvlistValue`).values, `${path}.kvlistValue.values`, kvlist, depth + 1);
    return kvlist;
  }
  inner = field(object, 'bytesValue', 'bytes_value');
  if (inner !== undefined && inner !== null) {
    if (typeof inner !== 'string' || !BASE64.test(inner)) throw wrongShape(`${path}.bytesValue`, 'base64 text', inner);
    return new Uint8Array(Buffer.from(inner, 'base64'));
  }
  return null; // no known value field (e.g. a newer one): an empty AnyValue
}

/** A repeated KeyValue (`attributes`, `kvlistValue.values`) stored into `map`. */
export function keyValuesInto(value: unknown, path: string, map: AttributeMap, depth = 0): void {
  if (isJsonObject(value)) {
    // A frequent mistake of hand-written exporters; say what the format wants.
    throw new OtlpDecodeError(
      `${path}: expected an array of {"key": ..., "value": {"stringValue": ...}}, got a plain object — OTLP/JSON attributes are a list of KeyValue`,
    );
  }
  const items = arrayAt(value, path);
  for (let index = 0; index < items.length; index++) {
    const itemPath = `${path}[${index}]`;
    const item = objectAt(items[index], itemPath);
    const key = stringAt(item.key, `${itemPath}.key`);
    setAttribute(map, key, anyValueAt(item.value, `${itemPath}.value`, depth));
  }
}

export function attributesAt(value: unknown, path: string): AttributeMap {
  const attributes: AttributeMap = {};
  keyValuesInto(value, path, attributes);
  return attributes;
}

/** Resource of a ResourceSpans/ResourceLogs object (`schemaUrl` lives on the envelope). */
export function resourceAt(envelope: JsonObject, path: string): Resource {
  const resource = emptyResource();
  const object = optionalObjectAt(envelope.resource, `${path}.resource`);
  if (object !== null) {
    keyValuesInto(object.attributes, `${path}.resource.attributes`, resource.attributes);
    resource.droppedAttributesCount = int32At(
      field(object, 'droppedAttributesCount', 'dropped_attributes_count'),
      `${path}.resource.droppedAttributesCount`,
    );
  }
  resource.schemaUrl = stringAt(field(envelope, 'schemaUrl', 'schema_url'), `${path}.schemaUrl`);
  return resource;
}

/** Scope of a ScopeSpans/ScopeLogs object. */
export function scopeAt(envelope: JsonObject, path: string): InstrumentationScope {
  const scope = emptyScope();
  const object = optionalObjectAt(envelope.scope, `${path}.scope`);
  if (object !== null) {
    scope.name = stringAt(object.name, `${path}.scope.name`);
    scope.version = stringAt(object.version, `${path}.scope.version`);
    keyValuesInto(object.attributes, `${path}.scope.attributes`, scope.attributes);
  }
  scope.schemaUrl = stringAt(field(envelope, 'schemaUrl', 'schema_url'), `${path}.schemaUrl`);
  return scope;
}

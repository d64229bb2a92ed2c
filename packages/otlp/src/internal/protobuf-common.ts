// Decoders for the messages of opentelemetry/proto/common/v1 and resource/v1 shared by traces
// and logs: AnyValue, KeyValue, Resource, InstrumentationScope.
//
// Each decoder loops over the tags of one message, switching on the whole tag
// (`field << 3 | wireType`), so a field sent with an unexpected wire type falls to `skip` like
// an unknown field instead of being misread.

import type { AttributeMap, AttributeValue, InstrumentationScope, Resource } from '@cairn/model';
import { OtlpDecodeError } from '../otlp-decode-error.js';
import type { ProtobufReader } from './protobuf-reader.js';
import { MAX_ANY_VALUE_DEPTH } from './max-any-value-depth.js';
import { setAttribute } from './set-attribute.js';

// AnyValue { string_value=1; bool_value=2; int_value=3; double_value=4; array_value=5;
//            kvlist_value=6; bytes_value=7; string_value_strindex=8 (profiles only, ignored) }
const ANY_STRING = (1 << 3) | 2;
const ANY_BOOL = (2 << 3) | 0;
const ANY_INT = (3 << 3) | 0;
const ANY_DOUBLE = (4 << 3) | 1;
const ANY_ARRAY = (5 << 3) | 2;
const ANY_KVLIST = (6 << 3) | 2;
const ANY_BYTES = (7 << 3) | 2;
// ArrayValue { values=1 }, KeyValueList { values=1 }, KeyValue { key=1; value=2; key_strindex=3 }
const LIST_VALUES = (1 << 3) | 2;
const KEY_VALUE_KEY = (1 << 3) | 2;
const KEY_VALUE_VALUE = (2 << 3) | 2;
// Resource { attributes=1; dropped_attributes_count=2; entity_refs=3 }
const RESOURCE_ATTRIBUTES = (1 << 3) | 2;
const RESOURCE_DROPPED = (2 << 3) | 0;
// InstrumentationScope { name=1; version=2; attributes=3; dropped_attributes_count=4 }
const SCOPE_NAME = (1 << 3) | 2;
const SCOPE_VERSION = (2 << 3) | 2;
const SCOPE_ATTRIBUTES = (3 << 3) | 2;

/** An AnyValue message ending at `end`; an empty AnyValue is null. */
export function decodeAnyValue(reader: ProtobufReader, end: number, depth: number): AttributeValue {
  if (depth > MAX_ANY_VALUE_DEPTH) {
    throw new OtlpDecodeError(`AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels at byte offset ${reader.pos}`);
  }
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const tag = reader.readTag(end);
    switch (tag) {
      case ANY_STRING:
        value = reader.readRepeatedString(end);
        break;
      case ANY_BOOL:
        value = reader.readVarintNumber(end) !== 0;
        break;
      case ANY_INT:
        value = reader.readInt64(end);
        break;
      case ANY_DOUBLE:
        value = reader.readDouble(end);
        break;
      case ANY_ARRAY:
        value = decodeArrayValue(reader, reader.readMessageEnd(end), depth + 1);
        break;
      case ANY_KVLIST: {
        const kvlist: AttributeMap = {};
        decodeKeyValueListInto(reader, reader.readMessageEnd(end), kvlist, depth + 1);
        value = kvlist;
        break;
      }
      case ANY_BYTES:
        value = reader.readBytesCopy(end);
        break;
      default:
        reader.skip(tag, end);
    }
  }
  return value;
}

function decodeArrayValue(reader: ProtobufReader, end: number, depth: number): AttributeValue[] {
  const values: AttributeValue[] = [];
  while (reader.pos < end) {
    const tag = reader.readTag(end);
    if (tag === LIST_VALUES) values.push(decodeAnyValue(reader, reader.readMessageEnd(end), depth));
    else reader.skip(tag, end);
  }
  return values;
}

function decodeKeyValueListInto(reader: ProtobufReader, end: number, map: AttributeMap, depth: number): void {
  while (reader.pos < end) {
    const tag = reader.readTag(end);
    if (tag === LIST_VALUES) decodeKeyValueInto(reader, reader.readMessageEnd(end), map, depth);
    else reader.skip(tag, end);
  }
}

/** One KeyValue message ending at `end`, stored into `map`. */
export function decodeKeyValueInto(reader: ProtobufReader, end: number, map: AttributeMap, depth = 0): void {
  let key = '';
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const tag = reader.readTag(end);
    if (tag === KEY_VALUE_KEY) key = reader.readRepeatedString(end);
    else if (tag === KEY_VALUE_VALUE) value = decodeAnyValue(reader, reader.readMessageEnd(end), depth);
    else reader.skip(tag, end);
  }
  setAttribute(map, key, value);
}

/** Fills `resource` from a Resource message; fields a later copy of the message repeats merge in. */
export function decodeResourceInto(reader: ProtobufReader, end: number, resource: Resource): void {
  while (reader.pos < end) {
    const tag = reader.readTag(end);
    if (tag === RESOURCE_ATTRIBUTES) decodeKeyValueInto(reader, reader.readMessageEnd(end), resource.attributes);
    else if (tag === RESOURCE_DROPPED) resource.droppedAttributesCount = reader.readVarint32(end);
    else reader.skip(tag, end);
  }
}

export function decodeScopeInto(reader: ProtobufReader, end: number, scope: InstrumentationScope): void {
  while (reader.pos < end) {
    const tag = reader.readTag(end);
    if (tag === SCOPE_NAME) scope.name = reader.readRepeatedString(end);
    else if (tag === SCOPE_VERSION) scope.version = reader.readRepeatedString(end);
    else if (tag === SCOPE_ATTRIBUTES) decodeKeyValueInto(reader, reader.readMessageEnd(end), scope.attributes);
    else reader.skip(tag, end);
  }
}

// Attribute maps are plain objects keyed by sender-chosen strings. A key named "__proto__" would
// replace the object's prototype on plain assignment; define it as an own property instead.

import type { AttributeMap, AttributeValue } from '@cairn/model';

/** Stores `value` under `key`; a repeated key keeps its first position and its last value. */
export function setAttribute(map: AttributeMap, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    map[key] = value;
  }
}

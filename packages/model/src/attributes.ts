// Attribute values exactly as OTLP carries them. Integers are bigint (OTLP int64), doubles are
// number, so the int 5 and the double 5.0 stay distinct and 64-bit values never lose digits.

export type AttributeValue =
  | string
  | boolean
  | bigint
  | number
  | Uint8Array
  | AttributeValue[]
  | AttributeMap
  | null;

/** A key-value list (OTLP `attributes` or a `kvlistValue`). Insertion order is the wire order. */
export interface AttributeMap {
  [key: string]: AttributeValue;
}

/** Reads a string attribute, or undefined when absent or of another type. */
export function stringAttribute(attributes: AttributeMap, key: string): string | undefined {
  const value = attributes[key];
  return typeof value === 'string' ? value : undefined;
}

/** Reads a numeric attribute (int, double, or a numeric string) as a JS number. */
export function numberAttribute(attributes: AttributeMap, key: string): number | undefined {
  const value = attributes[key];
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

// Raw attribute equality (`attr.key=value`) as substrings of the stored attributes JSON, which both
// adapters search the same way.

/**
 * Stored JSON fragments that mean "attribute `key` rendered as text equals `value`": strings
 * as-is, ints in decimal, booleans true/false, doubles as JS String(). The stored form is
 * JSON.stringify output, so a fragment is an exact substring of the attributes text.
 */
export function attributeNeedles(key: string, value: string): string[] {
  const prefix = `${JSON.stringify(key)}:`;
  const needles = [prefix + JSON.stringify(value)];
  if (/^-?\d+$/.test(value)) needles.push(`${prefix}{"$int":"${value}"}`);
  const number = Number(value);
  const isDoubleText = value.trim() !== '' && Number.isFinite(number) && String(number) === value;
  if (value === 'true' || value === 'false' || isDoubleText) needles.push(`${prefix}${value},`, `${prefix}${value}}`);
  return needles;
}

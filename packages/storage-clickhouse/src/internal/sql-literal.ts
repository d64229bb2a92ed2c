// SQL literals. ClickHouse 18.16 has no bound parameters over HTTP ({name:Type} came in 19.x),
// so every value reaches SQL through these functions and nowhere else.

const ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0', '\b': '\\b', '\f': '\\f' };

/** A quoted string literal; any Unicode text round-trips. */
export function text(value: string): string {
  return `'${value.replace(/[\\'\n\r\t\0\b\f]/g, (char) => ESCAPES[char]!)}'`;
}

export function textList(values: Iterable<string>): string {
  const items = [...values].map(text);
  return items.length === 0 ? "''" : items.join(', ');
}

/** An unsigned 64-bit literal (nanosecond times). */
export function uint64(value: bigint): string {
  return `toUInt64(${BigInt.asUintN(64, value).toString()})`;
}

/** A signed 64-bit literal. */
export function int64(value: bigint): string {
  return `toInt64(${BigInt.asIntN(64, value).toString()})`;
}

/** A Float64 literal written with every digit JS needs to round-trip it. */
export function float64(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return `toFloat64(${String(value)})`;
}

/** A quoted identifier (database or table names from options). */
export function identifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new RangeError(`not a plain ClickHouse identifier: ${JSON.stringify(name)}`);
  return name;
}

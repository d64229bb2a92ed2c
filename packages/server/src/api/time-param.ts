// Time query parameters: ISO 8601 (date or date-time; no offset means UTC; up to nanosecond
// fractions) or epoch milliseconds. Results are epoch nanoseconds (bigint).

const ISO_PATTERN =
  /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const EPOCH_MILLIS_PATTERN = /^\d{1,16}$/;
const NANOS_PER_MILLI = 1_000_000n;

/** Epoch nanoseconds, or null when the text is neither ISO 8601 nor epoch milliseconds. */
export function parseTimeParam(text: string): bigint | null {
  const trimmed = text.trim();
  if (EPOCH_MILLIS_PATTERN.test(trimmed)) return BigInt(trimmed) * NANOS_PER_MILLI;
  const match = ISO_PATTERN.exec(trimmed);
  if (match === null) return null;
  const [, date, hours = '00', minutes = '00', seconds = '00', fraction = '', zone = 'Z'] = match;
  let offset = zone.toUpperCase();
  if (offset !== 'Z' && !offset.includes(':')) offset = offset.length === 3 ? `${offset}:00` : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const millis = Date.parse(`${date}T${hours}:${minutes}:${seconds}${offset}`);
  if (Number.isNaN(millis)) return null;
  // Date.parse rolls 2026-02-31 over to March; refuse dates that do not exist.
  if (offset === 'Z' && new Date(millis).toISOString().slice(0, 10) !== date) return null;
  return BigInt(millis) * NANOS_PER_MILLI + BigInt(fraction.padEnd(9, '0'));
}

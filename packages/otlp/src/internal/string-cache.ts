// A small direct-mapped cache from UTF-8 bytes to the decoded string, for the short strings OTLP
// repeats in every span: attribute keys, span and event names, model and provider names.
//
// Why: decoding a fresh string costs a native call and an allocation, and a fresh string used as
// a property key must also be internalized on every store into an attribute map. Hashing and
// comparing ~20 bytes in JS is cheaper than both, and a cached string is already internalized.
// Entries are verified byte by byte, so a collision only costs a miss, never a wrong string.

const SLOT_COUNT = 4096; // power of two
const MAX_CACHED_BYTES = 48;

const slotBytes = new Uint8Array(SLOT_COUNT * MAX_CACHED_BYTES);
const slotLengths = new Int32Array(SLOT_COUNT).fill(-1);
const slotStrings: string[] = new Array<string>(SLOT_COUNT).fill('');

export const STRING_CACHE_MAX_BYTES = MAX_CACHED_BYTES;

/**
 * The string for `bytes[start, end)`, from the cache when those bytes were seen before; `decode`
 * produces it on a miss. The caller keeps `end - start` within STRING_CACHE_MAX_BYTES.
 */
export function cachedString(
  bytes: Uint8Array,
  start: number,
  end: number,
  decode: (start: number, end: number) => string,
): string {
  const length = end - start;
  let hash = 0x811c9dc5 ^ length;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ bytes[index]!, 0x01000193);
  const slot = (hash ^ (hash >>> 15)) & (SLOT_COUNT - 1);
  const base = slot * MAX_CACHED_BYTES;
  if (slotLengths[slot] === length) {
    let same = true;
    for (let index = 0; index < length; index++) {
      if (slotBytes[base + index] !== bytes[start + index]) {
        same = false;
        break;
      }
    }
    if (same) return slotStrings[slot]!;
  }
  const value = decode(start, end);
  slotBytes.set(bytes.subarray(start, end), base);
  slotLengths[slot] = length;
  slotStrings[slot] = value;
  return value;
}

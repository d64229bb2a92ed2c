// Which trace ids the store may already hold, without asking DuckDB: a Bloom filter of every
// trace written, by its trace_key (trace-key.ts: the id's last 8 hex digits, stored in
// trace_parts), loaded from trace_parts in the background (duckdb-worker.ts). Dedupe
// (batch-write.ts) looks up the stored spans of a write's traces; most writes carry new traces
// only, and that lookup scanned all of trace_parts for every write — a tenth of the serial write
// path while ingesting at full speed. A "no" is certain (traces are only ever added; retention's
// deletes leave them behind, which only costs a lookup); a "maybe" — also a new trace whose key
// another trace has (one in 2^32 per stored trace) — is checked in trace_parts as before. Keys
// rather than ids: a store of 5.5M parts had its filter 7.8 s after open, against 21.9 s reading
// the ids' text (writes meanwhile ask trace_parts).
//
// Sized for the ids it is expected to hold (16 bits each: ~0.25 % false "maybe" when full), by
// default at least 8 MiB; once more new ids were added than it was sized for, the worker loads a
// larger one in the background. (A fixed filter of 8 MiB, not built at all above 5M trace_parts
// rows, left a store reopened past that size probing every part on every write: 430 ms per write
// of 500 new spans at 5.5M parts, against 29 ms with the filter, BENCHMARKS.md.)

import { traceKeyOf } from './trace-key.js';

const HASHES = 4;
const BITS_PER_ID = 16;
/** The default least number of ids a filter is sized for: 2^26 bits, 8 MiB. */
export const KNOWN_TRACE_IDS = 2 ** 26 / BITS_PER_ID;
/** 2^30 bits, 128 MiB: 67M ids; past them the filter stays, its false "maybe"s growing slowly. */
const MAX_BITS_LOG2 = 30;

/**
 * murmur3's 32-bit finalizer: every bit of the key moves every bit of the hash, so keys that
 * count up (test ids, ids with a counter at the end) spread like random ones.
 */
function mix(key: number): number {
  let h = key;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Two hashes of a trace key; the k positions are h1 + i·h2 (Kirsch–Mitzenmacher). */
function hashes(key: number): [number, number] {
  return [mix(key ^ 0x9e3779b9), mix(key ^ 0x7f4a7c15) | 1];
}

export class KnownTracesFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;
  /** Ids it is sized for. */
  readonly capacity: number;
  /** Ids added that it did not hold yet (an id added twice counts once, bar false "maybe"s). */
  private added = 0;

  /** A filter for about `expectedIds` ids, and at least `minIds`. */
  constructor(expectedIds = 0, minIds = KNOWN_TRACE_IDS) {
    const log2 = Math.min(MAX_BITS_LOG2, Math.max(5, Math.ceil(Math.log2(Math.max(expectedIds, minIds, 1) * BITS_PER_ID))));
    this.bits = new Uint32Array(2 ** (log2 - 5));
    // 2^30 − 1 still fits a 32-bit integer mask.
    this.mask = 2 ** log2 - 1;
    this.capacity = log2 === MAX_BITS_LOG2 ? Infinity : 2 ** log2 / BITS_PER_ID;
  }

  /** Whether it holds more ids than it was sized for (never at the largest size). */
  get full(): boolean {
    return this.added > this.capacity;
  }

  /** New ids added so far. */
  get size(): number {
    return this.added;
  }

  add(traceId: string): void {
    this.addKey(traceKeyOf(traceId));
  }

  /** Adds a trace by its trace_key, as trace_parts stores it (what the filter loads). */
  addKey(key: number): void {
    const [h1, h2] = hashes(key);
    let fresh = false;
    for (let index = 0; index < HASHES; index++) {
      const bit = (h1 + index * h2) & this.mask;
      const word = bit >>> 5;
      const flag = 1 << (bit & 31);
      if ((this.bits[word]! & flag) === 0) {
        fresh = true;
        this.bits[word]! |= flag;
      }
    }
    if (fresh) this.added += 1;
  }

  /** False: the id was never added. True: it may have been. */
  mayContain(traceId: string): boolean {
    const [h1, h2] = hashes(traceKeyOf(traceId));
    for (let index = 0; index < HASHES; index++) {
      const bit = (h1 + index * h2) & this.mask;
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

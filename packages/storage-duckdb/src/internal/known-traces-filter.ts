// Which trace ids the store may already hold, without asking DuckDB: a Bloom filter of every
// trace id written (loaded from trace_parts in the background after open, duckdb-worker.ts). Dedupe (batch-write.ts) looks up the stored
// spans of a write's traces; most writes carry new traces only, and that lookup scanned all of
// trace_parts for every write — a tenth of the serial write path while ingesting at full speed.
// A "no" is certain (ids are only ever added; retention's deletes leave ids behind, which only
// costs a lookup); a "maybe" is checked in trace_parts as before.

/** 2^26 bits (8 MiB): ~2 % false "maybe" at 5M traces. */
const BITS_LOG2 = 26;
const MASK = (1 << BITS_LOG2) - 1;
const HASHES = 4;
/** Above this many trace_parts rows the filter is not built: every write asks trace_parts. */
export const MAX_FILTER_PARTS = 5_000_000;

/** FNV-1a of the id's characters, two seeds; the k positions are h1 + i·h2 (Kirsch–Mitzenmacher). */
function hashes(id: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let index = 0; index < id.length; index++) {
    const code = id.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 0x01000193);
    h2 = Math.imul(h2 ^ code, 0x5bd1e995);
  }
  return [h1 >>> 0, (h2 >>> 0) | 1];
}

export class KnownTracesFilter {
  private readonly bits = new Uint32Array((1 << BITS_LOG2) / 32);

  add(traceId: string): void {
    const [h1, h2] = hashes(traceId);
    for (let index = 0; index < HASHES; index++) {
      const bit = (h1 + index * h2) & MASK;
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
    }
  }

  /** False: the id was never added. True: it may have been. */
  mayContain(traceId: string): boolean {
    const [h1, h2] = hashes(traceId);
    for (let index = 0; index < HASHES; index++) {
      const bit = (h1 + index * h2) & MASK;
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

// A VARCHAR column of rows to append, as UTF-8 bytes instead of JS strings. The main thread
// writes each cell once into one buffer (Buffer#utf8Write, native); the buffer is transferred to
// the DuckDB worker without a copy, and the worker hands each cell's bytes straight to DuckDB's
// vector (vector_assign_string_element_len). A column of JS strings instead costs a structured
// clone of every string, a JS string per cell in the worker and a UTF-8 conversion per cell: a
// third of the main thread's write time and most of the worker's (measured, ingest-bench).

/** What crosses the thread boundary; `bytes` and the arrays are transferred. */
export interface TextColumnData {
  kind: 'text';
  rowCount: number;
  bytes: Uint8Array;
  /** End offset in `bytes` of each row's text (the start is the previous row's end). */
  ends: Uint32Array;
  /** 1 where the row's cell is NULL. */
  nulls: Uint8Array;
}

/**
 * Buffer#utf8Write(text, offset): what Buffer#write(text, offset, 'utf8') calls after checking
 * its arguments — those checks cost ~4× the copy of a short cell (CPU profile). Undocumented,
 * so feature-tested, with the documented call as the fallback.
 */
type Utf8Writer = (buffer: Buffer, text: string, offset: number) => number;
const utf8Write: Utf8Writer =
  typeof (Buffer.prototype as { utf8Write?: unknown }).utf8Write === 'function'
    ? (buffer, text, offset) => (buffer as Buffer & { utf8Write(text: string, offset: number): number }).utf8Write(text, offset)
    : (buffer, text, offset) => buffer.write(text, offset, 'utf8');

/** Initial bytes per expected row: most columns hold ids and names; long ones grow by doubling. */
const INITIAL_BYTES_PER_ROW = 32;
/**
 * Cells up to this many characters wait and are written together: one utf8Write of their join
 * instead of one per cell. A call costs ~150 ns whatever the length (argument checks, string
 * flattening), several times the copy of an id; a span row has ~20 such cells.
 */
const SHORT_CELL_CHARS = 64;

export class TextColumnBuilder {
  private bytes: Buffer;
  private ends: Uint32Array;
  private nulls: Uint8Array;
  private used = 0;
  private rows = 0;
  /** Short cells not written yet (NULL as ''): rows pendingRow.., their ends counted in characters. */
  private pending: string[] = [];
  private pendingRow = 0;
  private pendingChars = 0;

  constructor(expectedRows = 1024) {
    const rows = Math.max(16, expectedRows);
    this.bytes = Buffer.allocUnsafeSlow(rows * INITIAL_BYTES_PER_ROW);
    this.ends = new Uint32Array(rows);
    this.nulls = new Uint8Array(rows);
  }

  get rowCount(): number {
    return this.rows;
  }

  add(text: string | null): void {
    if (this.rows === this.ends.length) this.growRows();
    if (text === null || text.length <= SHORT_CELL_CHARS) {
      if (this.pending.length === 0) this.pendingRow = this.rows;
      if (text === null) {
        this.nulls[this.rows] = 1;
        this.pending.push('');
      } else {
        this.pending.push(text);
        this.pendingChars += text.length;
      }
      // Exact once written if every pending cell is ASCII (flushPending checks, else rewrites).
      this.ends[this.rows] = this.used + this.pendingChars;
    } else {
      if (this.pending.length > 0) this.flushPending();
      // UTF-8 needs at most 3 bytes per UTF-16 code unit.
      if (this.used + text.length * 3 > this.bytes.length) this.growBytes(this.used + text.length * 3);
      this.used += utf8Write(this.bytes, text, this.used);
      this.ends[this.rows] = this.used;
    }
    this.rows += 1;
  }

  /**
   * Writes the pending cells. One byte per character means all of them were ASCII and the ends
   * counted in characters are byte offsets; otherwise they are written again one by one.
   */
  private flushPending(): void {
    const pending = this.pending;
    const chars = this.pendingChars;
    this.pending = [];
    this.pendingChars = 0;
    if (chars === 0) return;
    if (this.used + chars * 3 > this.bytes.length) this.growBytes(this.used + chars * 3);
    const start = this.used;
    const written = utf8Write(this.bytes, pending.length === 1 ? pending[0]! : pending.join(''), start);
    if (written === chars) {
      this.used = start + written;
      return;
    }
    let used = start;
    for (let index = 0; index < pending.length; index++) {
      const text = pending[index]!;
      if (text.length > 0) used += utf8Write(this.bytes, text, used);
      this.ends[this.pendingRow + index] = used;
    }
    this.used = used;
  }

  /** The rows so far (the builder is unusable afterwards: its buffers are handed over). */
  finish(): TextColumnData {
    if (this.pending.length > 0) this.flushPending();
    return {
      kind: 'text',
      rowCount: this.rows,
      bytes: new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.used),
      ends: this.ends.subarray(0, this.rows),
      nulls: this.nulls.subarray(0, this.rows),
    };
  }

  private growBytes(needed: number): void {
    const grown = Buffer.allocUnsafeSlow(Math.max(needed, this.bytes.length * 2));
    this.bytes.copy(grown, 0, 0, this.used);
    this.bytes = grown;
  }

  private growRows(): void {
    const ends = new Uint32Array(this.ends.length * 2);
    ends.set(this.ends);
    const nulls = new Uint8Array(this.nulls.length * 2);
    nulls.set(this.nulls);
    this.ends = ends;
    this.nulls = nulls;
  }
}

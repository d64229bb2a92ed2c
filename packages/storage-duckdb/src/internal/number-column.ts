// A fixed-width column of rows to append (integers, doubles, booleans, nanosecond times) as one
// typed array in DuckDB's own vector layout. Like text columns (text-column.ts) it is
// transferred to the DuckDB worker, which copies it into the vector in one call: a column of
// JS values instead costs a structured clone per cell (BigInts especially), a value object per
// cell in the worker and a conversion per cell — and, on the main thread, heap numbers and
// BigInts that live until the batch is written.

/** DuckDB type of the column: UTINYINT, UINTEGER, BIGINT, DOUBLE, BOOLEAN. */
export type NumberKind = 'u8' | 'u32' | 'i64' | 'f64' | 'bool';

type NumberArray = Uint8Array | Uint32Array | BigInt64Array | Float64Array;

/** What crosses the thread boundary; the arrays are transferred. */
export interface NumberColumnData {
  kind: 'number';
  type: NumberKind;
  rowCount: number;
  values: NumberArray;
  /** 1 where the row's cell is NULL; null when no cell is. */
  nulls: Uint8Array | null;
}

export type NumberCell = number | bigint | boolean | null;

function allocate(type: NumberKind, rows: number): NumberArray {
  switch (type) {
    case 'u8':
    case 'bool':
      return new Uint8Array(rows);
    case 'u32':
      return new Uint32Array(rows);
    case 'i64':
      return new BigInt64Array(rows);
    case 'f64':
      return new Float64Array(rows);
  }
}

export class NumberColumnBuilder {
  private values: NumberArray;
  private nulls: Uint8Array | null = null;
  private rows = 0;

  constructor(
    private readonly type: NumberKind,
    expectedRows = 1024,
  ) {
    this.values = allocate(type, Math.max(16, expectedRows));
  }

  add(value: NumberCell): void {
    if (this.rows === this.values.length) this.grow();
    if (value === null) {
      (this.nulls ??= new Uint8Array(this.values.length))[this.rows] = 1;
    } else if (this.type === 'i64') {
      (this.values as BigInt64Array)[this.rows] = value as bigint;
    } else {
      (this.values as Uint8Array | Uint32Array | Float64Array)[this.rows] = Number(value);
    }
    this.rows += 1;
  }

  /** The rows so far (the builder is unusable afterwards: its arrays are handed over). */
  finish(): NumberColumnData {
    return {
      kind: 'number',
      type: this.type,
      rowCount: this.rows,
      values: this.values.subarray(0, this.rows),
      nulls: this.nulls?.subarray(0, this.rows) ?? null,
    };
  }

  private grow(): void {
    const values = allocate(this.type, this.values.length * 2);
    (values as Float64Array).set(this.values as Float64Array);
    this.values = values;
    if (this.nulls) {
      const nulls = new Uint8Array(values.length);
      nulls.set(this.nulls);
      this.nulls = nulls;
    }
  }
}

/** A column of `rowCount` copies of `value` (batch_seq, known only when the batch is written). */
export function constantNumberColumn(type: NumberKind, value: number | bigint, rowCount: number): NumberColumnData {
  const builder = new NumberColumnBuilder(type, rowCount);
  for (let row = 0; row < rowCount; row++) builder.add(value);
  return builder.finish();
}

// Rows of one table collected column by column, ready to post to the DuckDB worker. Columns
// listed as text are kept as UTF-8 bytes (text-column.ts), fixed-width ones as typed arrays
// (number-column.ts); the others (lists) as arrays of cells.

import type { NumberCell, NumberKind } from './number-column.js';
import { NumberColumnBuilder } from './number-column.js';
import { TextColumnBuilder } from './text-column.js';
import type { AppendTable, CellValue, TableColumns } from './worker-protocol.js';

/** The column layout of a table: which columns are text, which fixed-width (and of what type). */
export interface ColumnLayout {
  count: number;
  text?: readonly number[];
  numbers?: ReadonlyMap<number, NumberKind>;
}

/** Collects one set of rows: take() hands them over and ends the buffer. */
export class RowBuffer {
  private readonly cells: CellValue[][] = [];
  private readonly builders: (TextColumnBuilder | NumberColumnBuilder | null)[] = [];
  private readonly texts: TextColumnBuilder[] = [];
  private readonly numbers: NumberColumnBuilder[] = [];
  /** Per column: 1 text, 2 fixed-width, 0 cells; so add() does not test each builder's class. */
  private readonly kinds: Uint8Array;
  private rowCount = 0;
  private taken = false;

  /** `expectedRows` sizes the column buffers (they grow as needed). */
  constructor(
    private readonly table: AppendTable,
    layout: ColumnLayout,
    expectedRows = 1024,
  ) {
    this.kinds = new Uint8Array(layout.count);
    for (const index of layout.text ?? []) this.kinds[index] = 1;
    for (const index of layout.numbers?.keys() ?? []) this.kinds[index] = 2;
    for (let index = 0; index < layout.count; index++) {
      this.cells.push([]);
      this.builders.push(null);
    }
    for (const index of layout.text ?? []) this.builders[index] = this.texts[index] = new TextColumnBuilder(expectedRows);
    for (const [index, type] of layout.numbers ?? []) this.builders[index] = this.numbers[index] = new NumberColumnBuilder(type, expectedRows);
  }

  get size(): number {
    return this.rowCount;
  }

  /** Appends one row; `cells` in the table's column order. */
  add(cells: readonly CellValue[]): void {
    if (this.taken) throw new Error(`rows of ${this.table} were already taken`);
    const { kinds, texts, numbers } = this;
    for (let index = 0; index < kinds.length; index++) {
      const kind = kinds[index];
      if (kind === 1) texts[index]!.add(cells[index] as string | null);
      else if (kind === 2) numbers[index]!.add(cells[index] as NumberCell);
      else this.cells[index]!.push(cells[index]!);
    }
    this.rowCount += 1;
  }

  /**
   * The rows, once: the column buffers are handed over, so the buffer takes no more rows. (One
   * that built a fresh set of columns for rows that never came cost every batch a second set of
   * column buffers, ~0.7 MB for 500 spans, and the GCs they triggered.)
   */
  take(): TableColumns {
    if (this.taken) throw new Error(`rows of ${this.table} were already taken`);
    this.taken = true;
    const columns = this.cells.map((cells, index) => this.builders[index]?.finish() ?? cells);
    return { table: this.table, rowCount: this.rowCount, columns };
  }
}

/** The buffers of typed columns, to list in postMessage's transfer list. */
export function transferablesOf(columns: TableColumns['columns']): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const column of columns) {
    if (Array.isArray(column)) continue;
    if (column.kind === 'text') buffers.push(column.bytes.buffer as ArrayBuffer, column.ends.buffer as ArrayBuffer, column.nulls.buffer as ArrayBuffer);
    else {
      buffers.push(column.values.buffer as ArrayBuffer);
      if (column.nulls) buffers.push(column.nulls.buffer as ArrayBuffer);
    }
  }
  return buffers;
}

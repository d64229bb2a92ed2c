// Rows of one table collected column by column, ready to post to the DuckDB worker. Columns
// listed as text are kept as UTF-8 bytes (text-column.ts); the others as arrays of cells.

import { TextColumnBuilder } from './text-column.js';
import type { AppendTable, CellValue, TableColumns } from './worker-protocol.js';

export class RowBuffer {
  private cells: CellValue[][] = [];
  private texts: (TextColumnBuilder | null)[] = [];
  private rowCount = 0;

  /** `textColumns`: indexes of VARCHAR columns whose cells are all strings or null. */
  constructor(
    private readonly table: AppendTable,
    private readonly columnCount: number,
    private readonly textColumns: readonly number[] = [],
  ) {
    this.reset();
  }

  private reset(): void {
    this.cells = [];
    this.texts = [];
    for (let index = 0; index < this.columnCount; index++) {
      this.cells.push([]);
      this.texts.push(null);
    }
    for (const index of this.textColumns) this.texts[index] = new TextColumnBuilder();
    this.rowCount = 0;
  }

  get size(): number {
    return this.rowCount;
  }

  /** Appends one row; `cells` in the table's column order. */
  add(cells: readonly CellValue[]): void {
    for (let index = 0; index < this.columnCount; index++) {
      const text = this.texts[index];
      if (text) text.add(cells[index] as string | null);
      else this.cells[index]!.push(cells[index]!);
    }
    this.rowCount += 1;
  }

  /** The rows so far, emptying the buffer. */
  take(): TableColumns {
    const columns = this.cells.map((cells, index) => this.texts[index]?.finish() ?? cells);
    const taken: TableColumns = { table: this.table, rowCount: this.rowCount, columns };
    this.reset();
    return taken;
  }
}

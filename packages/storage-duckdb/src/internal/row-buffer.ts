// Rows of one table collected column by column, ready to post to the DuckDB worker.

import type { AppendTable, CellValue, TableColumns } from './worker-protocol.js';

export class RowBuffer {
  private columns: CellValue[][];
  private rowCount = 0;

  constructor(
    private readonly table: AppendTable,
    private readonly columnCount: number,
  ) {
    this.columns = RowBuffer.empty(columnCount);
  }

  private static empty(columnCount: number): CellValue[][] {
    return Array.from({ length: columnCount }, () => []);
  }

  get size(): number {
    return this.rowCount;
  }

  /** Appends one row; `cells` in the table's column order. */
  add(cells: readonly CellValue[]): void {
    for (let index = 0; index < this.columnCount; index++) this.columns[index]!.push(cells[index]!);
    this.rowCount += 1;
  }

  /** The rows so far, emptying the buffer. */
  take(): TableColumns {
    const taken: TableColumns = { table: this.table, rowCount: this.rowCount, columns: this.columns };
    this.columns = RowBuffer.empty(this.columnCount);
    this.rowCount = 0;
    return taken;
  }
}

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

export class RowBuffer {
  private cells: CellValue[][] = [];
  private builders: (TextColumnBuilder | NumberColumnBuilder | null)[] = [];
  private texts: TextColumnBuilder[] = [];
  private numbers: NumberColumnBuilder[] = [];
  /** Per column: 1 text, 2 fixed-width, 0 cells; so add() does not test each builder's class. */
  private readonly kinds: Uint8Array;
  private rowCount = 0;

  /** `expectedRows` sizes the column buffers (they grow as needed). */
  constructor(
    private readonly table: AppendTable,
    private readonly layout: ColumnLayout,
    private readonly expectedRows = 1024,
  ) {
    this.kinds = new Uint8Array(layout.count);
    for (const index of layout.text ?? []) this.kinds[index] = 1;
    for (const index of layout.numbers?.keys() ?? []) this.kinds[index] = 2;
    this.reset();
  }

  private reset(): void {
    this.cells = [];
    this.builders = [];
    for (let index = 0; index < this.layout.count; index++) {
      this.cells.push([]);
      this.builders.push(null);
    }
    this.texts = [];
    this.numbers = [];
    for (const index of this.layout.text ?? []) this.builders[index] = this.texts[index] = new TextColumnBuilder(this.expectedRows);
    for (const [index, type] of this.layout.numbers ?? []) this.builders[index] = this.numbers[index] = new NumberColumnBuilder(type, this.expectedRows);
    this.rowCount = 0;
  }

  get size(): number {
    return this.rowCount;
  }

  /** Appends one row; `cells` in the table's column order. */
  add(cells: readonly CellValue[]): void {
    const { kinds, texts, numbers } = this;
    for (let index = 0; index < kinds.length; index++) {
      const kind = kinds[index];
      if (kind === 1) texts[index]!.add(cells[index] as string | null);
      else if (kind === 2) numbers[index]!.add(cells[index] as NumberCell);
      else this.cells[index]!.push(cells[index]!);
    }
    this.rowCount += 1;
  }

  /** The rows so far, emptying the buffer. */
  take(): TableColumns {
    const columns = this.cells.map((cells, index) => this.builders[index]?.finish() ?? cells);
    const taken: TableColumns = { table: this.table, rowCount: this.rowCount, columns };
    this.reset();
    return taken;
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

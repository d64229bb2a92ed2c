// Windowing for long lists: which rows to render for a scroll position. Rows have one fixed
// height, so the window is arithmetic and rendering cost is independent of the row count.

export interface RowWindow {
  /** First row to render (inclusive). */
  start: number;
  /** Row after the last one to render (exclusive). */
  end: number;
}

export function computeRowWindow(scrollTopPx: number, viewportHeightPx: number, rowHeightPx: number, rowCount: number, overscanRows = 8): RowWindow {
  if (rowCount === 0 || rowHeightPx <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTopPx) / rowHeightPx);
  const visible = Math.ceil(Math.max(0, viewportHeightPx) / rowHeightPx) + 1;
  const start = Math.max(0, Math.min(rowCount - 1, first - overscanRows));
  const end = Math.min(rowCount, first + visible + overscanRows);
  return { start, end: Math.max(start, end) };
}

/** The scrollTop that brings row `index` into view, or null when it already is. */
export function scrollTopToReveal(index: number, scrollTopPx: number, viewportHeightPx: number, rowHeightPx: number): number | null {
  const top = index * rowHeightPx;
  const bottom = top + rowHeightPx;
  if (top < scrollTopPx) return top;
  if (bottom > scrollTopPx + viewportHeightPx) return bottom - viewportHeightPx;
  return null;
}

// updateSpanSemantics inserts a replacement row for each span it rewrites (same key, larger
// rewritten_ns) instead of an ALTER UPDATE mutation, which ClickHouse runs asynchronously by
// rewriting whole parts. Until a background merge keeps only the last row inserted for a key
// (ReplacingMergeTree keeps the last of rows with equal received_ns), a span has several rows:
// reads grouped by span take each semantic value from its newest row.

import { columnType } from './schema.js';

/**
 * The column's value in the newest row of the group (use inside GROUP BY trace_id, span_id).
 * Nullable columns go through a tuple: aggregate functions skip NULL arguments, which would
 * return an older row's value when the newest one is NULL.
 */
export function latestSql(column: string): string {
  return columnType(column).startsWith('Nullable(')
    ? `tupleElement(argMax(tuple(${column}), rewritten_ns), 1)`
    : `argMax(${column}, rewritten_ns)`;
}

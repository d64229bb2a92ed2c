// updateSpanSemantics inserts a replacement row for each span it rewrites (same key, larger
// rewritten_ns) instead of an ALTER UPDATE mutation, which ClickHouse runs asynchronously by
// rewriting whole parts. Until a background merge keeps only the last row inserted for a key
// (ReplacingMergeTree keeps the last of rows with equal received_ns), a span has several rows:
// reads grouped by span take each semantic value from its newest row.

import { columnType } from './schema.js';

/**
 * The column's value in the newest row of the group (use inside GROUP BY trace_id, span_id).
 * Aggregate functions skip NULL arguments, which would return an older row's value when the
 * newest one is NULL, so nullable columns take the newest row's NULL-ness and value apart
 * (argMax over a tuple would keep the NULL in one aggregate, but ClickHouse 18.16 crashes
 * shipping such states between the shards of a Distributed table).
 */
export function latestSql(column: string): string {
  return columnType(column).startsWith('Nullable(') ? latestNullableSql(column) : `argMax(${column}, rewritten_ns)`;
}

/** latestSql for an expression that may be NULL. */
export function latestNullableSql(expression: string): string {
  return `if(argMax(isNull(${expression}), rewritten_ns) = 1, NULL, argMax(assumeNotNull(${expression}), rewritten_ns))`;
}

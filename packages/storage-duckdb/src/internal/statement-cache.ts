// Prepared statements kept per connection, by SQL text. Run with parameters, a statement is
// otherwise extracted, parsed, bound and planned on every run: measured at 5M spans, reusing the
// prepared statement took ~0.8 ms off a trace's ~5-ms trace_parts lookup and ~2 ms off its
// ~11-ms span read (BENCHMARKS.md). The store passes values as parameters, so its statement texts
// repeat; the least recently used beyond the capacity are destroyed, and closing a connection
// destroys the rest (DuckDBConnection keeps track of the statements it prepared).

import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';

/** Statements kept per connection: the store's read and write paths use a few dozen shapes. */
const STATEMENTS_PER_CONNECTION = 64;

export class StatementCache {
  private readonly byConnection = new Map<DuckDBConnection, Map<string, DuckDBPreparedStatement>>();

  constructor(private readonly capacity = STATEMENTS_PER_CONNECTION) {}

  /**
   * The connection's prepared statement for `sql` (one statement). Only one caller may use a
   * connection at a time — as with any statement on it — since binding and running are separate
   * steps on the shared statement.
   */
  async prepared(connection: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
    let statements = this.byConnection.get(connection);
    if (!statements) {
      statements = new Map();
      this.byConnection.set(connection, statements);
    }
    const cached = statements.get(sql);
    if (cached) {
      // Most recently used last: a Map iterates in insertion order.
      statements.delete(sql);
      statements.set(sql, cached);
      return cached;
    }
    const statement = await connection.prepare(sql);
    statements.set(sql, statement);
    if (statements.size > this.capacity) {
      const [oldestSql, oldest] = statements.entries().next().value!;
      statements.delete(oldestSql);
      oldest.destroySync();
    }
    return statement;
  }

  /** How many statements are kept for the connection (tests). */
  size(connection: DuckDBConnection): number {
    return this.byConnection.get(connection)?.size ?? 0;
  }

  /** Forgets every connection's statements; call before closing the connections, which destroys them. */
  clear(): void {
    this.byConnection.clear();
  }
}

// A few DuckDB connections shared by readers inside the DuckDB worker. One connection runs one
// statement at a time, so concurrent queries each take their own; MVCC lets them read while the
// writer connection holds an open transaction.

import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export class ConnectionPool {
  private readonly idle: DuckDBConnection[] = [];
  private readonly all: DuckDBConnection[] = [];
  private readonly waiters: ((connection: DuckDBConnection) => void)[] = [];

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly maxConnections: number,
  ) {}

  async use<T>(body: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this.acquire();
    try {
      return await body(connection);
    } finally {
      this.release(connection);
    }
  }

  private async acquire(): Promise<DuckDBConnection> {
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.all.length < this.maxConnections) {
      const connection = await this.instance.connect();
      this.all.push(connection);
      return connection;
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(connection: DuckDBConnection): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(connection);
    else this.idle.push(connection);
  }

  closeAll(): void {
    for (const connection of this.all) connection.closeSync();
    this.all.length = 0;
    this.idle.length = 0;
  }
}

// The worker's prepared-statement cache: a statement is prepared once per connection and text,
// reused with new parameter values, and the least recently used are destroyed beyond capacity.

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DuckDBInstance, INTEGER, VARCHAR } from '@duckdb/node-api';
import { StatementCache } from '../src/internal/statement-cache.js';

describe('StatementCache', () => {
  it('reuses a statement per connection and text, with fresh values each run', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const [first, second] = [await instance.connect(), await instance.connect()];
    try {
      await first.run(`CREATE TABLE t AS SELECT range::INTEGER AS n, 'row ' || range AS label FROM range(10)`);
      const cache = new StatementCache(2);
      const sql = 'SELECT label FROM t WHERE n = $n';
      const labelOf = async (connection: typeof first, n: number) => {
        const statement = await cache.prepared(connection, sql);
        statement.bind({ n }, { n: INTEGER });
        return (await statement.runAndReadAll()).getRows()[0]?.[0];
      };
      const prepared = await cache.prepared(first, sql);
      assert.equal(await labelOf(first, 3), 'row 3');
      assert.equal(await labelOf(first, 7), 'row 7');
      assert.equal(await cache.prepared(first, sql), prepared, 'the same statement again');
      assert.notEqual(await cache.prepared(second, sql), prepared, 'each connection its own');
      assert.equal(await labelOf(second, 1), 'row 1');
      assert.equal(cache.size(first), 1);
    } finally {
      first.closeSync();
      second.closeSync();
      instance.closeSync();
    }
  });

  it('keeps at most its capacity per connection, dropping the least recently used', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const cache = new StatementCache(2);
      const texts = ['SELECT $v::VARCHAR AS a', 'SELECT $v::VARCHAR AS b', 'SELECT $v::VARCHAR AS c'];
      const a = await cache.prepared(connection, texts[0]!);
      await cache.prepared(connection, texts[1]!);
      // Using the first again makes the second the least recently used.
      assert.equal(await cache.prepared(connection, texts[0]!), a);
      await cache.prepared(connection, texts[2]!);
      assert.equal(cache.size(connection), 2);
      assert.equal(await cache.prepared(connection, texts[0]!), a, 'the recently used one is kept');
      // The evicted text is prepared anew and works.
      const b = await cache.prepared(connection, texts[1]!);
      b.bind({ v: 'again' }, { v: VARCHAR });
      assert.deepEqual((await b.runAndReadAll()).getRows(), [['again']]);
      assert.equal(cache.size(connection), 2);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

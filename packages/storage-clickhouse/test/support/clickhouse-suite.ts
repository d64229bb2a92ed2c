// What the ClickHouse test suites share: one clickhouse-server per suite (started before its
// tests, stopped and removed after), a fresh database name per test, and raw statements.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, before } from 'node:test';
import type { ClickHouseServerProcess } from '../../src/testing/index.js';
import { startClickHouseServer } from '../../src/testing/index.js';

/** Runs `statement` in database `name` on the server at `url`; fails the test on a non-200. */
export async function statementOn(url: string, name: string, statement: string): Promise<string> {
  const response = await fetch(`${url}/?database=${name}`, { method: 'POST', body: statement });
  assert.equal(response.status, 200, await response.clone().text());
  return response.text();
}

export interface ClickHouseSuite {
  /** The suite's server (set once `before` ran). */
  readonly server: ClickHouseServerProcess;
  /** A database name no other test of this process used. */
  database(): string;
  /** A statement in database `name` on the suite's server. */
  sql(name: string, statement: string): Promise<string>;
}

/** Call inside a describe(): registers the before/after hooks of one server for the suite. */
export function useClickHouseServer(databasePrefix: string): ClickHouseSuite {
  let server: ClickHouseServerProcess | null = null;
  let databases = 0;
  before(async () => {
    server = await startClickHouseServer();
  });
  after(async () => {
    if (!server) return;
    await server.stop();
    await fs.rm(server.dir, { recursive: true, force: true });
  });
  return {
    get server() {
      if (!server) throw new Error('the suite has no ClickHouse server yet (use it inside a test)');
      return server;
    },
    database: () => `${databasePrefix}_${process.pid}_${++databases}`,
    sql(name, statement) {
      return statementOn(this.server.url, name, statement);
    },
  };
}

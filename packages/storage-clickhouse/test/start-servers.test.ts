// startClickHouseServers (the test helper behind the cluster tests): a port taken between its
// pick and the server's start costs an attempt, not a hung test file — the servers that did
// start are stopped and all are started again on fresh ports.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import net from 'node:net';
import { describe, it } from 'node:test';
import { clickHouseSkipReason, startClickHouseServers } from '../src/testing/index.js';

describe('startClickHouseServers', { skip: clickHouseSkipReason() }, () => {
  it('starts every server again on fresh ports when one port was taken', async () => {
    // A port held by this test: the first attempt's first server is given it and cannot start.
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const taken = (holder.address() as net.AddressInfo).port;
    let attempts = 0;
    const firstTry: number[] = [];
    try {
      const { servers, ports } = await startClickHouseServers(2, (picked, index) => {
        if (index === 0) attempts += 1;
        const own = attempts === 1 && index === 0 ? { ...picked[index]!, httpPort: taken } : picked[index]!;
        if (attempts === 1) firstTry.push(own.httpPort);
        return { ports: own };
      });
      try {
        assert.equal(attempts, 2);
        assert.equal(servers.length, 2);
        assert.deepEqual(servers.map((server) => server.httpPort), ports.map((port) => port.httpPort));
        for (const server of servers) assert.equal((await fetch(`${server.url}/ping`)).ok, true);
        // The first attempt's other server was stopped: nothing answers on its port any more.
        const stale = firstTry[1]!;
        assert.ok(!ports.some((port) => port.httpPort === stale));
        await assert.rejects(fetch(`http://127.0.0.1:${stale}/ping`));
      } finally {
        for (const server of servers) {
          await server.stop();
          await fs.rm(server.dir, { recursive: true, force: true });
        }
      }
    } finally {
      holder.close();
    }
  });
});

// `cairn doctor` as a user runs it: what it checks, what it says is wrong and how to fix it, and
// the store settings it reports (the --duckdb-* flags as DuckDB runs them).

import { strict as assert } from 'node:assert';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort, makeDataDir, runCli, startCairn } from './support/cairn-process.js';

async function portFlags(): Promise<string[]> {
  return ['--port', String(await freePort()), '--otlp-http-port', String(await freePort()), '--otlp-grpc-port', String(await freePort())];
}

describe('cairn doctor', () => {
  it('passes on a fresh machine and names the store with the settings DuckDB runs with', async () => {
    const dataDir = await makeDataDir();
    const { code, stdout } = await runCli(['doctor', '--data-dir', dataDir, ...(await portFlags()), '--duckdb-threads', '1', '--duckdb-memory-mb', '200']);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^✓ node: v\d+/m);
    assert.match(stdout, new RegExp(`^✓ data dir ${dataDir}: writable, [\\d.]+ GiB free$`, 'm'));
    assert.match(stdout, /^✓ query API port \d+: free on 127\.0\.0\.1$/m);
    // DuckDB reads MB as 10^6 bytes and reports MiB.
    assert.match(stdout, /^✓ store: duckdb \d+\.\d+\.\d+ \(1 thread, memory limit 190\.7 MiB\): 0 spans in 0 traces, /m);
    assert.match(stdout, /^all checks passed$/m);
  });

  it('says which port another program holds and which flag moves Cairn off it', async () => {
    const squatter = http.createServer((_request, response) => response.writeHead(404).end('not cairn'));
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as { port: number };
    try {
      const flags = await portFlags();
      flags[1] = String(port);
      const { code, stdout } = await runCli(['doctor', '--data-dir', await makeDataDir(), ...flags]);
      assert.equal(code, 1, stdout);
      assert.match(stdout, new RegExp(`^✗ query API port ${port}: in use by another program; stop it or pass --port / CAIRN_PORT with a free port$`, 'm'));
      assert.match(stdout, /^1 check\(s\) failed$/m);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('refuses a data directory it cannot write, saying what to pass instead', async () => {
    const file = path.join(await makeDataDir(), 'a-file');
    await fs.writeFile(file, 'not a directory');
    const { code, stdout } = await runCli(['doctor', '--data-dir', file, ...(await portFlags())]);
    assert.equal(code, 1, stdout);
    assert.match(stdout, new RegExp(`^✗ data dir ${file}: not writable \\(\\w+\\); pass --data-dir with a directory you can write$`, 'm'));
  });

  it('finds a running server on the ports and reports its store through the API', async () => {
    const server = await startCairn({ extraArgs: ['--duckdb-memory-mb', '300'] });
    try {
      const port = new URL(server.apiUrl).port;
      const otlpPort = new URL(server.otlpHttpUrl).port;
      const grpcPort = server.otlpGrpcAddress.split(':').pop()!;
      const { code, stdout } = await runCli(['doctor', '--data-dir', server.dataDir, '--port', port, '--otlp-http-port', otlpPort, '--otlp-grpc-port', grpcPort]);
      assert.equal(code, 0, stdout);
      assert.match(stdout, new RegExp(`^✓ query API port ${port}: a Cairn server is already answering here$`, 'm'));
      assert.match(stdout, /^✓ store: in use by the running server, duckdb \S+ \(\d+ threads?, memory limit 286\.1 MiB\): 0 spans, /m);
    } finally {
      await server.stop();
    }
  });
});

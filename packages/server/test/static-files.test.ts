import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './support/test-server.js';

/** GET with the path sent byte for byte (fetch would normalise `..` away). */
function rawGet(baseUrl: string, rawPath: string): Promise<{ status: number; type: string; body: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, path: rawPath, method: 'GET' }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'] ?? '', body }));
    });
    request.on('error', reject);
    request.end();
  });
}

void describe('web UI on the query API port', () => {
  let server: TestServer;
  let webRoot: string;

  before(async () => {
    webRoot = await mkdtemp(join(tmpdir(), 'cairn-web-root-'));
    await mkdir(join(webRoot, 'assets'));
    await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>Cairn UI</title>');
    await writeFile(join(webRoot, 'assets', 'app-1234.js'), 'console.log("ui")');
    await writeFile(join(webRoot, 'assets', 'app-1234.css'), 'body{}');
    // A secret next to the web root must stay unreachable.
    await writeFile(join(webRoot, '..', 'cairn-web-secret.txt'), 'secret');
    server = await startTestServer({ config: { webRoot } });
  });
  after(async () => {
    await server.close();
    await rm(webRoot, { recursive: true, force: true });
    await rm(join(webRoot, '..', 'cairn-web-secret.txt'), { force: true });
  });

  void test('serves index.html at / and for every page path (SPA fallback)', async () => {
    for (const path of ['/', '/traces', '/traces/0af7651916cd43dd8448eb211c80319c?span=b7ad6b7169203331', '/sessions/s-1']) {
      const response = await fetch(`${server.apiUrl}${path}`);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assert.match(await response.text(), /Cairn UI/);
    }
  });

  void test('serves hashed assets with their content type and a long cache; missing assets are 404', async () => {
    const script = await fetch(`${server.apiUrl}/assets/app-1234.js`);
    assert.equal(script.status, 200);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(script.headers.get('cache-control') ?? '', /immutable/);
    assert.equal(await script.text(), 'console.log("ui")');
    assert.equal((await fetch(`${server.apiUrl}/assets/app-1234.css`)).headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal((await fetch(`${server.apiUrl}/assets/old-9999.js`)).status, 404);
  });

  void test('never serves files outside the web root', async () => {
    for (const path of ['/../cairn-web-secret.txt', '/..%2Fcairn-web-secret.txt', '/assets/..%2F..%2Fcairn-web-secret.txt', '/%2e%2e/cairn-web-secret.txt']) {
      const response = await rawGet(server.apiUrl, path);
      assert.doesNotMatch(response.body, /secret/, path);
    }
  });

  void test('leaves /healthz and /api/* to the query API', async () => {
    const health = await fetch(`${server.apiUrl}/healthz`);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const unknown = await fetch(`${server.apiUrl}/api/v2/traces`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'not_found');
  });

  void test('without a web root, / says how to build the UI', async () => {
    const bare = await startTestServer();
    try {
      const response = await fetch(`${bare.apiUrl}/`);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /npm run build -w apps\/web/);
      assert.equal((await fetch(`${bare.apiUrl}/traces`)).status, 404);
      assert.equal((await fetch(`${bare.apiUrl}/healthz`)).status, 200);
    } finally {
      await bare.close();
    }
  });
});

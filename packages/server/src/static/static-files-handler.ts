// Serves the built web UI (apps/web/dist) on the query API's port: files by path, and
// index.html for any other page path (the viewer routes in the browser). Paths are resolved
// inside the web root only; anything that escapes it, or is not a regular file, is not served.

import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite puts content-hashed files under assets/: they never change, so browsers may keep them. */
const IMMUTABLE_PREFIX = '/assets/';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Cairn</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>Cairn is running</h1>
<p>The web UI has not been built. Build it with <code>npm run build -w apps/web</code>
(or run <code>npm install</code>, which builds it), then reload this page.</p>
<p>The query API is available: <a href="/api/v1/traces">/api/v1/traces</a>,
<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</body></html>
`;

export type StaticHandler = (request: IncomingMessage, response: ServerResponse) => void;

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string | null, headOnly: boolean): void {
  const buffer = body === null ? null : typeof body === 'string' ? Buffer.from(body) : body;
  response.writeHead(status, { ...headers, ...(buffer ? { 'content-length': String(buffer.length) } : {}), 'x-content-type-options': 'nosniff' });
  response.end(headOnly || buffer === null ? undefined : buffer);
}

/** Answers every request with the "build the UI" page (GET /) or 404. */
export function createWebNotBuiltHandler(): StaticHandler {
  return (request, response) => {
    request.resume();
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const headOnly = request.method === 'HEAD';
    if (pathname === '/' || pathname === '/index.html') send(response, 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }, NOT_BUILT_PAGE, headOnly);
    else send(response, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'not found: the web UI is not built\n', headOnly);
  };
}

/**
 * `webRoot` must hold index.html. Files are read from disk on each request (the OS caches
 * them), so rebuilding the UI needs no server restart.
 */
export function createStaticFilesHandler(webRoot: string): StaticHandler {
  const root = path.resolve(webRoot);
  const indexPath = path.join(root, 'index.html');

  return (request, response) => {
    request.resume();
    const method = request.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      send(response, 405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, 'method not allowed\n', false);
      return;
    }
    const headOnly = method === 'HEAD';
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      send(response, 400, { 'content-type': 'text/plain; charset=utf-8' }, 'bad path\n', headOnly);
      return;
    }
    // Resolve inside the root; `..` segments or NUL bytes that would leave it are refused.
    const candidate = path.resolve(root, `.${path.posix.normalize(`/${pathname}`)}`);
    const inside = candidate === root || candidate.startsWith(root + path.sep);
    if (!inside || pathname.includes('\0')) {
      send(response, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'not found\n', headOnly);
      return;
    }
    const extension = path.extname(candidate).toLowerCase();
    fs.stat(candidate, (statError, stats) => {
      if (!statError && stats.isFile()) {
        serveFile(response, candidate, extension, pathname.startsWith(IMMUTABLE_PREFIX), headOnly);
        return;
      }
      // A missing asset is a 404 (a stale page asking for an old bundle must not get HTML);
      // any other path is a page of the single-page app.
      if (pathname.startsWith(IMMUTABLE_PREFIX) || (extension !== '' && extension !== '.html')) {
        send(response, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'not found\n', headOnly);
        return;
      }
      serveFile(response, indexPath, '.html', false, headOnly);
    });
  };
}

function serveFile(response: ServerResponse, filePath: string, extension: string, immutable: boolean, headOnly: boolean): void {
  fs.readFile(filePath, (error, body) => {
    if (error) {
      send(response, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'not found\n', headOnly);
      return;
    }
    send(
      response,
      200,
      {
        'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      },
      body,
      headOnly,
    );
  });
}

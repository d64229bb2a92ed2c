// Per-project prices over the API, on a real server with a real DuckDB store: PUT prices, then a
// model call sent over OTLP is priced with them at ingest; another project's prices do not touch
// it; the prices survive a restart (a file under the price directory); servers sharing the
// directory see each other's changes; a bad body is a 400 naming the field.

import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDuckDbStore } from '@cairn/storage-duckdb';
import type { TraceStore } from '@cairn/storage';
import { createServer, DirectoryProjectPriceStore, silentLogger, type CairnServer } from '../src/index.js';
import { getJson, postOtlp, type JsonBody } from './support/test-server.js';
import { jsonBody, recordSpans } from './support/otel-bodies.js';

interface Running {
  server: CairnServer;
  store: TraceStore;
  apiUrl: string;
  otlpUrl: string;
  stop(): Promise<void>;
}

async function start(dataDir: string, pricesDir: string, pricesReloadMillis: number | null = null): Promise<Running> {
  const store = await openDuckDbStore({ dataDir });
  const server = createServer({
    store,
    logger: silentLogger,
    projectPriceStore: new DirectoryProjectPriceStore(pricesDir),
    pricesReloadMillis,
    config: { host: '127.0.0.1', port: 0, otlpHttpPort: 0, otlpGrpcPort: null, analysisQuietMillis: null },
  });
  const addresses = await server.start();
  return {
    server,
    store,
    apiUrl: addresses.apiUrl!,
    otlpUrl: addresses.otlpHttpUrl!,
    async stop() {
      await server.stop();
      await store.close();
    },
  };
}

/** One gpt-4o-mini chat call with 1,000,000 input and 100,000 output tokens; returns its ids. */
async function sendModelCall(running: Running): Promise<{ traceId: string; spanId: string }> {
  let ids = { traceId: '', spanId: '' };
  const spans = recordSpans((tracer) => {
    const span = tracer.startSpan('chat gpt-4o-mini', {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 1_000_000,
        'gen_ai.usage.output_tokens': 100_000,
      },
    });
    ids = { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
    span.end();
  });
  const response = await postOtlp(running.otlpUrl, jsonBody(spans), { 'content-type': 'application/json' });
  assert.equal(response.status, 200);
  return ids;
}

async function spanDetail(running: Running, ids: { traceId: string; spanId: string }): Promise<JsonBody> {
  const { status, body } = await getJson(`${running.apiUrl}/api/v1/traces/${ids.traceId}/spans/${ids.spanId}`);
  assert.equal(status, 200);
  return body;
}

function putPrices(running: Running, projectId: string, body: unknown, contentType = 'application/json') {
  return getJson(`${running.apiUrl}/api/v1/projects/${projectId}/prices`, {
    method: 'PUT',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const NEGOTIATED = {
  version: 'acme-2026-11',
  models: [{ id: 'gpt-4o-mini', providers: ['openai'], effectiveFrom: '2024-01-01', prices: { input: 0.1, output: 0.5 }, note: 'negotiated' }],
};
/** 1M input × 0.10 + 0.1M output × 0.50 under NEGOTIATED; 0.15 + 0.06 under the bundled list price. */
const NEGOTIATED_COST = 0.15;
const LIST_COST = 0.21;

describe('per-project prices over the API', () => {
  let root: string;
  let dataDir: string;
  let pricesDir: string;
  let running: Running;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'cairn-project-prices-'));
    dataDir = join(root, 'data');
    pricesDir = join(root, 'data', 'prices');
    running = await start(dataDir, pricesDir);
  });
  after(async () => {
    await running.stop();
    await rm(root, { recursive: true, force: true });
  });

  it("another project's prices leave this project's spans at the bundled price", async () => {
    const put = await putPrices(running, 'other-project', NEGOTIATED);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const span = await spanDetail(running, await sendModelCall(running));
    assert.ok(Math.abs(span.costUsd - LIST_COST) < 1e-9, `bundled cost, got ${span.costUsd}`);
    assert.equal(span.cost.provenance.source, 'table');
  });

  it("PUT prices the project's next spans with them at ingest (source custom, the entry's priceId)", async () => {
    const put = await putPrices(running, 'default', NEGOTIATED);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.version, 'acme-2026-11');
    assert.equal(put.body.entryCount, 1);
    assert.match(put.body.note, /cairn prices recompute/);
    const span = await spanDetail(running, await sendModelCall(running));
    assert.ok(Math.abs(span.costUsd - NEGOTIATED_COST) < 1e-9, `negotiated cost, got ${span.costUsd}`);
    assert.deepEqual(
      [span.cost.provenance.source, span.cost.provenance.priceTableVersion, span.cost.provenance.priceId],
      ['custom', 'acme-2026-11', 'gpt-4o-mini@2024-01-01'],
    );
  });

  it('GET /api/v1/prices lists the effective prices with the origin of each entry', async () => {
    const { status, body } = await getJson(`${running.apiUrl}/api/v1/prices`);
    assert.equal(status, 200);
    assert.deepEqual(body.tables.map((table: JsonBody) => table.origin), ['project', 'bundled']);
    const mini = body.entries.filter((entry: JsonBody) => entry.id === 'gpt-4o-mini');
    assert.deepEqual(
      mini.map((entry: JsonBody) => [entry.origin, entry.tableVersion, entry.shadowedBy]),
      [
        ['project', 'acme-2026-11', null],
        ['bundled', body.tables[1].version, 'acme-2026-11'],
      ],
    );
    assert.match(body.storage.description, /prices$/);
    const other = await getJson(`${running.apiUrl}/api/v1/prices?project=no-prices-here`);
    assert.deepEqual(other.body.tables.map((table: JsonBody) => table.origin), ['bundled']);
  });

  it('the prices are a JSON file in the price directory, with no temporary file left', async () => {
    assert.deepEqual((await readdir(pricesDir)).sort(), ['default.json', 'other-project.json']);
    const stored = JSON.parse(await readFile(join(pricesDir, 'default.json'), 'utf8')) as JsonBody;
    assert.equal(stored.models[0].id, 'gpt-4o-mini');
  });

  it('a restarted server keeps the prices', async () => {
    await running.stop();
    running = await start(dataDir, pricesDir);
    const stored = await getJson(`${running.apiUrl}/api/v1/projects/default/prices`);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.version, 'acme-2026-11');
    const span = await spanDetail(running, await sendModelCall(running));
    assert.ok(Math.abs(span.costUsd - NEGOTIATED_COST) < 1e-9, `negotiated cost after restart, got ${span.costUsd}`);
  });

  it('a bad body is a 400 that names the field, and changes nothing', async () => {
    const cases: [unknown, RegExp][] = [
      [{ version: 'x', models: [{ id: 'm', prices: { input: -1 } }] }, /models\[0\]\.prices\.input/],
      [{ version: 'x', models: [{ id: 'm', prices: { cache_read: 1 } }] }, /models\[0\]\.prices: unknown field "cache_read"/],
      [{ version: 'x', models: [{ id: 'm', effectiveFrom: '2025-13-40', prices: { input: 1 } }] }, /models\[0\]\.effectiveFrom/],
      [{ version: 'x', models: [{ id: 'm', prices: {} }] }, /models\[0\]\.prices: must set at least one price/],
      [{ version: 'x', projects: ['elsewhere'], models: [] }, /projects/],
      [{ version: 'x' }, /models/],
    ];
    for (const [body, message] of cases) {
      const { status, body: answer } = await putPrices(running, 'default', body);
      assert.equal(status, 400, JSON.stringify(body));
      assert.equal(answer.error.code, 'invalid_parameter');
      assert.match(answer.error.message, message);
    }
    assert.equal((await putPrices(running, 'default', '{"version": ')).status, 400, 'invalid JSON');
    assert.equal((await putPrices(running, 'default', NEGOTIATED, 'text/plain')).status, 415);
    assert.equal((await putPrices(running, '.hidden', NEGOTIATED)).status, 400, 'a project id that is not a plain file name');
    const stored = await getJson(`${running.apiUrl}/api/v1/projects/default/prices`);
    assert.equal(stored.body.version, 'acme-2026-11', 'the stored prices are unchanged');
  });

  it('a version is made up when the body has none', async () => {
    const put = await putPrices(running, 'no-version', { models: NEGOTIATED.models });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.match(put.body.version, /^no-version@\d{4}-\d{2}-\d{2}T/);
  });

  it('DELETE returns the project to the bundled prices; stored spans keep their cost until recompute', async () => {
    const before = await sendModelCall(running);
    const removed = await getJson(`${running.apiUrl}/api/v1/projects/default/prices`, { method: 'DELETE' });
    assert.equal(removed.status, 200);
    assert.equal((await getJson(`${running.apiUrl}/api/v1/projects/default/prices`, { method: 'DELETE' })).status, 404);
    assert.equal((await getJson(`${running.apiUrl}/api/v1/projects/default/prices`)).status, 404);
    const fresh = await spanDetail(running, await sendModelCall(running));
    assert.ok(Math.abs(fresh.costUsd - LIST_COST) < 1e-9, `bundled again, got ${fresh.costUsd}`);
    const old = await spanDetail(running, before);
    assert.ok(Math.abs(old.costUsd - NEGOTIATED_COST) < 1e-9, 'the stored cost is kept');
    assert.equal(old.cost.stale, true, 'span detail says the stored cost differs from current prices');
    assert.ok(!(await readdir(pricesDir)).includes('default.json'));
  });

  it('a second server on the same price directory picks up changes without a restart', async () => {
    const second = await start(join(root, 'second-data'), pricesDir, 50);
    try {
      const put = await putPrices(running, 'shared', NEGOTIATED);
      assert.equal(put.status, 200);
      let seen = 0;
      for (let attempt = 0; attempt < 40 && seen === 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        seen = (await getJson(`${second.apiUrl}/api/v1/projects/shared/prices`)).status === 200 ? 1 : 0;
      }
      assert.equal(seen, 1, 'the second server sees the project prices');
      await getJson(`${running.apiUrl}/api/v1/projects/shared/prices`, { method: 'DELETE' });
      let gone = false;
      for (let attempt = 0; attempt < 40 && !gone; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        gone = (await getJson(`${second.apiUrl}/api/v1/projects/shared/prices`)).status === 404;
      }
      assert.ok(gone, 'the second server drops removed prices');
    } finally {
      await second.stop();
    }
  });

  it('the OpenAPI document describes the price endpoints', async () => {
    const { body } = await getJson(`${running.apiUrl}/api/v1/openapi.json`);
    assert.ok(body.paths['/api/v1/prices'].get);
    const project = body.paths['/api/v1/projects/{projectId}/prices'];
    assert.ok(project.put && project.delete && project.get);
    assert.ok(body.components.schemas.ProjectPricesBody && body.components.schemas.PriceEntry);
  });
});

describe('the price file schema', () => {
  it('accepts the bundled table, so the API takes what Cairn ships', async () => {
    const { PriceFileSchema } = await import('../src/index.js');
    const bundled = JSON.parse(await readFile(new URL('../../semantic/prices/price-table.json', import.meta.url), 'utf8')) as unknown;
    const result = PriceFileSchema.safeParse(bundled);
    assert.ok(result.success, JSON.stringify(result.error?.issues.slice(0, 3)));
  });
});

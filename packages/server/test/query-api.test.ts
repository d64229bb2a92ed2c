import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { agentTrace, jsonBody, protobufBody, recordSpans } from './support/otel-bodies.js';
import { getJson, postOtlp, startTestServer, type JsonBody, type TestServer } from './support/test-server.js';

const HOUR = 3_600_000;
const NOW = Date.now();

interface Seeded {
  planner: string;
  researcher: string;
  other: string;
  old: string;
  orphan: string;
  orphanParent: string;
  orphanChild: string;
}

async function seed(server: TestServer): Promise<Seeded> {
  const ids: Partial<Seeded> = {};
  const send = async (spans: ReturnType<typeof recordSpans>) => {
    const response = await postOtlp(server.otlpUrl, protobufBody(spans), { 'content-type': 'application/x-protobuf' });
    assert.equal(response.status, 200);
  };
  await send(
    recordSpans((tracer) => {
      ids.planner = agentTrace(tracer, {
        startMillis: NOW - 3 * HOUR,
        durationMillis: 1_000,
        sessionId: 'session-1',
        userId: 'user-1',
        extraRootAttributes: { 'app.tier': 'gold' },
      });
      ids.researcher = agentTrace(tracer, {
        agentName: 'researcher',
        model: 'gpt-4o-mini',
        startMillis: NOW - 2 * HOUR,
        durationMillis: 5_000,
        inputTokens: 1_000,
        outputTokens: 300,
        failTool: true,
        sessionId: 'session-1',
        userId: 'user-2',
      });
      ids.old = agentTrace(tracer, { startMillis: NOW - 72 * HOUR });
    }),
  );
  await send(
    recordSpans((tracer) => {
      ids.other = agentTrace(tracer, { startMillis: NOW - HOUR, durationMillis: 2_000, sessionId: 'session-2', rootName: 'nightly job' });
    }, 'other-service'),
  );
  // A trace whose root never arrives: only the LLM and tool children are sent.
  const orphanSpans = recordSpans((tracer) => {
    ids.orphan = agentTrace(tracer, { startMillis: NOW - 30 * 60_000 });
  });
  const children = orphanSpans.filter((span) => span.parentSpanContext !== undefined);
  ids.orphanParent = children[0]!.parentSpanContext!.spanId;
  ids.orphanChild = children[0]!.spanContext().spanId;
  await send(children);
  return ids as Seeded;
}

void describe('query API', () => {
  let server: TestServer;
  let ids: Seeded;
  const api = (path: string) => getJson(`${server.apiUrl}${path}`);
  const traceIds = (body: JsonBody): string[] => body.items.map((item: { traceId: string }) => item.traceId);

  before(async () => {
    server = await startTestServer();
    ids = await seed(server);
  });
  after(async () => {
    await server.close();
  });

  void test('GET /healthz', async () => {
    const { status, body } = await api('/healthz');
    assert.equal(status, 200);
    assert.deepEqual(body, { status: 'ok' });
  });

  void test('trace list: last 24 hours by default, newest first, contract fields', async () => {
    const { status, body } = await api('/api/v1/traces');
    assert.equal(status, 200);
    assert.deepEqual(traceIds(body), [ids.orphan, ids.other, ids.researcher, ids.planner]);
    assert.equal(body.nextCursor, null);
    const researcher = body.items[2];
    assert.equal(researcher.rootName, 'invoke_agent researcher');
    assert.equal(researcher.serviceName, 'test-service');
    assert.equal(researcher.startTime, new Date(NOW - 2 * HOUR).toISOString());
    assert.equal(researcher.startTimeUnixNano, `${NOW - 2 * HOUR}000000`);
    assert.equal(researcher.durationMs, 5_000);
    assert.equal(researcher.spanCount, 3);
    assert.equal(researcher.errorCount, 1);
    assert.equal(researcher.llmCallCount, 1);
    assert.equal(researcher.toolCallCount, 1);
    assert.equal(researcher.inputTokens, 1_000);
    assert.equal(researcher.outputTokens, 300);
    assert.deepEqual(researcher.models, ['gpt-4o-mini']);
    assert.deepEqual(researcher.agents, ['researcher']);
    assert.equal(researcher.sessionId, 'session-1');
    assert.equal(researcher.userId, 'user-2');
    assert.equal(researcher.hasRoot, true);
    assert.equal(body.items[0].hasRoot, false);
  });

  void test('from/to accept ISO 8601 and epoch milliseconds', async () => {
    const iso = await api(`/api/v1/traces?from=${new Date(NOW - 100 * HOUR).toISOString()}&to=${new Date(NOW - 48 * HOUR).toISOString()}`);
    assert.deepEqual(traceIds(iso.body), [ids.old]);
    const epoch = await api(`/api/v1/traces?from=${NOW - 100 * HOUR}&to=${NOW - 150 * 60_000}`);
    assert.deepEqual(traceIds(epoch.body), [ids.planner, ids.old]);
  });

  void test('filters narrow the list', async () => {
    const cases: [string, string[]][] = [
      ['service=other-service', [ids.other]],
      ['name=nightly%20job', [ids.other]],
      ['model=gpt-4o-mini', [ids.researcher]],
      ['provider=openai', [ids.orphan, ids.other, ids.researcher, ids.planner]],
      ['agent=researcher', [ids.researcher]],
      ['tool=get_weather&status=error', [ids.researcher]],
      ['status=ok', [ids.orphan, ids.other, ids.planner]],
      ['spanType=agent', [ids.other, ids.researcher, ids.planner]],
      ['sessionId=session-1', [ids.researcher, ids.planner]],
      ['userId=user-1', [ids.planner]],
      ['attr.app.tier=gold', [ids.planner]],
      ['attr.app.tier=silver', []],
      ['minDurationMs=1500', [ids.other, ids.researcher]],
      ['minCostUsd=1000000', []],
      ['q=nightly', [ids.other]],
    ];
    for (const [query, expected] of cases) {
      const { status, body } = await api(`/api/v1/traces?${query}`);
      assert.equal(status, 200, query);
      assert.deepEqual(traceIds(body), expected, query);
    }
  });

  void test('sort by duration and tokens, ascending or descending', async () => {
    const byDuration = await api('/api/v1/traces?sort=-duration&service=test-service');
    assert.deepEqual(traceIds(byDuration.body).slice(0, 2), [ids.researcher, ids.planner]);
    const byTokens = await api('/api/v1/traces?sort=tokens&spanType=agent');
    assert.deepEqual(traceIds(byTokens.body).at(-1), ids.researcher);
  });

  void test('cursor pagination walks every trace once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const { status, body } = await api(`/api/v1/traces?limit=1${query}`);
      assert.equal(status, 200);
      seen.push(...traceIds(body));
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    assert.deepEqual(seen, [ids.orphan, ids.other, ids.researcher, ids.planner]);
  });

  void test('bad parameters → 400 with a message saying what was wrong', async () => {
    const cases: [string, RegExp][] = [
      ['limit=9999', /limit: must be at most 500/],
      ['limit=abc', /limit: must be a number/],
      ['from=yesterday', /from: "yesterday" is not an ISO 8601 time/],
      ['sort=name', /sort:/],
      ['spanType=robot', /spanType:/],
      ['status=maybe', /status:/],
      ['minDurationMs=-1', /minDurationMs: must not be negative/],
      ['servce=x', /unknown query parameter "servce"/],
      ['service=a&service=b', /service: given more than once/],
      ['from=2026-01-02&to=2026-01-01', /from: must be earlier than to/],
      ['cursor=not-a-real-cursor', /cursor/],
    ];
    for (const [query, message] of cases) {
      const { status, body } = await api(`/api/v1/traces?${query}`);
      assert.equal(status, 400, query);
      assert.match(body.error.message, message, query);
      assert.equal(typeof body.error.code, 'string');
    }
  });

  void test('trace detail: spans in the contract shape; uppercase ids accepted', async () => {
    const { status, body } = await api(`/api/v1/traces/${ids.researcher.toUpperCase()}`);
    assert.equal(status, 200);
    assert.equal(body.summary.traceId, ids.researcher);
    assert.equal(body.spans.length, 3);
    assert.deepEqual(body.placeholders, []);
    const llm = body.spans.find((span: JsonBody) => span.spanType === 'llm');
    assert.equal(llm.kind, 'INTERNAL');
    assert.equal(llm.model, 'gpt-4o-mini');
    assert.equal(llm.provider, 'openai');
    assert.equal(llm.usage.inputTokens, 1_000);
    assert.equal(llm.usage.outputTokens, 300);
    assert.equal(typeof llm.startTimeUnixNano, 'string');
    assert.equal(llm.durationMs, 390);
    assert.deepEqual(Object.keys(llm.status), ['code', 'message']);
    const tool = body.spans.find((span: JsonBody) => span.spanType === 'tool');
    assert.deepEqual(tool.status, { code: 'error', message: 'weather API down' });
    assert.equal(tool.toolName, 'get_weather');
    const root = body.spans.find((span: JsonBody) => span.parentSpanId === null);
    assert.equal(root.agentName, 'researcher');
  });

  void test('trace detail lists placeholders for parents that never arrived', async () => {
    const { status, body } = await api(`/api/v1/traces/${ids.orphan}`);
    assert.equal(status, 200);
    assert.equal(body.placeholders.length, 1);
    assert.equal(body.placeholders[0].spanId, ids.orphanParent);
    assert.equal(body.placeholders[0].childSpanIds.length, 2);
    assert.ok(body.placeholders[0].childSpanIds.includes(ids.orphanChild));
  });

  void test('unknown trace → 404, malformed id → 400', async () => {
    const unknown = await api(`/api/v1/traces/${'ab'.repeat(16)}`);
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /trace abab.* not found/);
    const malformed = await api('/api/v1/traces/xyz');
    assert.equal(malformed.status, 400);
    assert.match(malformed.body.error.message, /trace id "xyz" must be 32 hexadecimal characters/);
  });

  void test('span detail: raw attributes, resource, scope; 64-bit integers keep every digit', async () => {
    const spans = recordSpans((tracer) => {
      tracer.startSpan('big numbers', { startTime: NOW - 5_000 }).end(NOW - 4_000);
    });
    const request = JSON.parse(Buffer.from(jsonBody(spans)).toString('utf8'));
    const span = request.resourceSpans[0].scopeSpans[0].spans[0];
    span.attributes = [{ key: 'app.big', value: { intValue: '9007199254740993' } }];
    assert.equal((await postOtlp(server.otlpUrl, JSON.stringify(request), { 'content-type': 'application/json' })).status, 200);
    const response = await fetch(`${server.apiUrl}/api/v1/traces/${span.traceId}/spans/${span.spanId}`);
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.match(text, /"app\.big":9007199254740993[,}]/);
    const detail = JSON.parse(text);
    assert.equal(detail.name, 'big numbers');
    assert.equal(detail.resource.attributes['service.name'], 'test-service');
    assert.equal(detail.scope.name, 'cairn-server-test');
    assert.deepEqual(detail.events, []);
    assert.deepEqual(detail.links, []);
    assert.equal(detail.parentSpanId, null);

    const missing = await api(`/api/v1/traces/${span.traceId}/spans/${'cd'.repeat(8)}`);
    assert.equal(missing.status, 404);
    const malformed = await api(`/api/v1/traces/${span.traceId}/spans/123`);
    assert.equal(malformed.status, 400);
  });

  void test('sessions: list, detail in time order, 404', async () => {
    const list = await api('/api/v1/sessions');
    assert.equal(list.status, 200);
    const sessions = new Map(list.body.items.map((item: JsonBody) => [item.sessionId, item]));
    const first = sessions.get('session-1') as JsonBody;
    assert.equal(first.traceCount, 2);
    assert.equal(first.inputTokens, 1_100);
    assert.equal(first.firstSeen, new Date(NOW - 3 * HOUR).toISOString());
    assert.ok(sessions.has('session-2'));

    const detail = await api('/api/v1/sessions/session-1');
    assert.equal(detail.status, 200);
    assert.equal(detail.body.session.sessionId, 'session-1');
    assert.deepEqual(traceIds({ items: detail.body.traces }), [ids.planner, ids.researcher]);

    assert.equal((await api('/api/v1/sessions/no-such-session')).status, 404);
    assert.equal((await api('/api/v1/sessions?limit=0')).status, 400);
  });

  void test('stats: ingest counters and store totals', async () => {
    const { status, body } = await api('/api/v1/stats');
    assert.equal(status, 200);
    for (const key of ['spansReceived', 'spansAccepted', 'spansRejected', 'spansDeduplicated', 'queueDepth', 'storeBytes', 'spanCount', 'traceCount']) {
      assert.equal(typeof body[key], 'number', key);
    }
    assert.ok(body.spansAccepted >= 14);
    assert.ok(body.spanCount >= 14);
    assert.ok(body.traceCount >= 6);
  });

  void test('CORS for reads from any origin; other methods → 405; unknown path → 404', async () => {
    const get = await fetch(`${server.apiUrl}/api/v1/traces`, { headers: { origin: 'http://example.test' } });
    assert.equal(get.headers.get('access-control-allow-origin'), '*');
    const preflight = await fetch(`${server.apiUrl}/api/v1/traces`, { method: 'OPTIONS' });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /GET/);
    const post = await getJson(`${server.apiUrl}/api/v1/traces`, { method: 'POST', body: '{}' });
    assert.equal(post.status, 405);
    assert.equal(post.body.error.code, 'method_not_allowed');
    const unknown = await api('/api/v2/traces');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'not_found');
  });

  void test('openapi.json: OpenAPI 3.1 listing every path, parameter and record', async () => {
    const { status, body } = await api('/api/v1/openapi.json');
    assert.equal(status, 200);
    assert.equal(body.openapi, '3.1.0');
    assert.deepEqual(Object.keys(body.paths).sort(), [
      '/api/v1/attributes',
      '/api/v1/diff',
      '/api/v1/findings',
      '/api/v1/live',
      '/api/v1/metrics',
      '/api/v1/openapi.json',
      '/api/v1/prices',
      '/api/v1/projects/{projectId}/prices',
      '/api/v1/quality',
      '/api/v1/sessions',
      '/api/v1/sessions/{sessionId}',
      '/api/v1/stats',
      '/api/v1/traces',
      '/api/v1/traces/{traceId}',
      '/api/v1/traces/{traceId}/analysis',
      '/api/v1/traces/{traceId}/spans/{spanId}',
      '/healthz',
    ]);
    const parameters = body.paths['/api/v1/traces'].get.parameters.map((parameter: JsonBody) => parameter.name);
    for (const name of ['from', 'to', 'service', 'name', 'spanType', 'model', 'provider', 'agent', 'tool', 'status', 'sessionId', 'userId', 'q', 'attr.<key>', 'minDurationMs', 'minCostUsd', 'sort', 'limit', 'cursor']) {
      assert.ok(parameters.includes(name), name);
    }
    const limit = body.paths['/api/v1/traces'].get.parameters.find((parameter: JsonBody) => parameter.name === 'limit');
    assert.deepEqual({ ...limit.schema }, { type: 'integer', minimum: 1, maximum: 500, default: 50 });
    const schemas = body.components.schemas;
    for (const name of ['TraceSummary', 'Span', 'SpanDetail', 'SessionSummary', 'TraceDetail', 'Placeholder', 'Stats', 'Error']) {
      assert.ok(schemas[name], name);
    }
    assert.ok(schemas.TraceDetail.properties.placeholders);
    assert.deepEqual(schemas.TraceDetail.properties.spans.items, { $ref: '#/components/schemas/Span' });
    assert.ok(schemas.TraceSummary.required.includes('startTimeUnixNano'));
    // Every $ref resolves.
    for (const ref of JSON.stringify(body).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      assert.ok(schemas[ref[1]!], ref[1]);
    }
  });
});

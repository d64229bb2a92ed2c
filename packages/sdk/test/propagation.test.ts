import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, beforeEach, describe, it } from 'node:test';
import { ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import { agent, cairnHttpMiddleware, evaluation, extractContext, injectA2AMetadata, injectContext, injectMcpMeta, inNewTrace, linkTo, session, tool, tracedFetch, withA2AContext, withMcpContext } from '../src/index.js';
import { byName, idOf, parentOf, setUpTracing } from './support.js';

const tracing = setUpTracing();
after(() => tracing.shutdown());
beforeEach(() => tracing.reset());

describe('propagation', () => {
  it('continues a trace over HTTP: fetch wrapper → middleware, with session baggage', async () => {
    const middleware = cairnHttpMiddleware();
    const server = http.createServer((request, response) =>
      middleware(request, response, () => {
        void tool('remote-work', async () => {
          response.end('ok');
        });
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await session('s-http', () => agent('caller', async () => (await tracedFetch()(`http://127.0.0.1:${port}/work?x=1`, { method: 'POST' })).text()));
    } finally {
      server.close();
    }
    const spans = await tracing.spans();
    const caller = byName(spans, 'invoke_agent caller');
    const client = byName(spans, 'POST 127.0.0.1:' + port);
    const serverSpan = byName(spans, 'POST /work');
    const remote = byName(spans, 'execute_tool remote-work');
    assert.equal(parentOf(client), idOf(caller));
    assert.equal(parentOf(serverSpan), idOf(client));
    assert.equal(parentOf(remote), idOf(serverSpan));
    assert.equal(serverSpan.attributes['http.response.status_code'], 200);
    assert.equal(remote.attributes['gen_ai.conversation.id'], 's-http');
    for (const span of spans) assert.equal(span.spanContext().traceId, caller.spanContext().traceId);
  });

  it('carries context in A2A metadata and MCP params._meta, and ignores malformed carriers', async () => {
    let a2a: Record<string, unknown> = {};
    let mcp: { _meta: Record<string, unknown> } = { _meta: {} };
    agent('client', () => {
      a2a = injectA2AMetadata({ contextId: 'c1' });
      mcp = injectMcpMeta({ name: 'search', _meta: { progressToken: 7 } });
    });
    assert.equal(a2a.contextId, 'c1');
    assert.equal(mcp._meta.progressToken, 7);
    assert.match(String(mcp._meta.traceparent), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    withA2AContext(a2a, () => agent('remote-agent', () => undefined));
    withMcpContext(mcp, () => tool('search', () => undefined));
    context.with(extractContext({ traceparent: '00-00000000000000000000000000000000-0000000000000000-01' }, ROOT_CONTEXT), () => tool('fresh', () => undefined));
    const spans = await tracing.spans();
    const client = byName(spans, 'invoke_agent client');
    assert.equal(parentOf(byName(spans, 'invoke_agent remote-agent')), idOf(client));
    assert.equal(parentOf(byName(spans, 'execute_tool search')), idOf(client));
    assert.equal(parentOf(byName(spans, 'execute_tool fresh')), undefined);
  });

  it('links work caused by a trace without making it part of it', async () => {
    const headers = agent('original', () => injectContext({}));
    await inNewTrace(() => evaluation({ name: 'batch-eval', links: [linkTo(headers, { 'cairn.link.reason': 'evaluates' })!] }, async () => undefined));
    const spans = await tracing.spans();
    const original = byName(spans, 'invoke_agent original');
    const evalSpan = byName(spans, 'evaluation batch-eval');
    assert.notEqual(evalSpan.spanContext().traceId, original.spanContext().traceId);
    assert.equal(evalSpan.links[0]?.context.spanId, idOf(original));
    assert.equal(linkTo({ traceparent: 'garbage' }), undefined);
    assert.equal(linkTo({ traceId: trace.wrapSpanContext({ traceId: 'A'.repeat(32), spanId: 'B'.repeat(16), traceFlags: 1 }).spanContext().traceId, spanId: 'B'.repeat(16) })?.context.traceId, 'a'.repeat(32));
  });
});

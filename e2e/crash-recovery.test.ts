// Black box: a 200 from the receiver means durable. Ingest into a real `cairn serve`, kill -9 it
// mid-stream, restart on the same data directory, and find every acknowledged span.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { getJson, startCairn, type CairnProcess } from './support/cairn-process.js';

const REQUESTS = 80;
const SPANS_PER_TRACE = 150;
const CONCURRENCY = 4;

/** One protobuf request body per trace, each trace a root with SPANS_PER_TRACE - 1 children. */
function encodeTraces(): { traceId: string; body: Uint8Array<ArrayBuffer> }[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'crash-test' }), spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('crash-test');
  const requests: { traceId: string; body: Uint8Array<ArrayBuffer> }[] = [];
  for (let index = 0; index < REQUESTS; index++) {
    memory.reset();
    const root = tracer.startSpan(`run ${index}`, {}, ROOT_CONTEXT);
    const context = trace.setSpan(ROOT_CONTEXT, root);
    for (let child = 1; child < SPANS_PER_TRACE; child++) {
      tracer.startSpan(`step ${child}`, { attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': child, 'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'x'.repeat(600) }] }]) } }, context).end();
    }
    root.end();
    requests.push({ traceId: root.spanContext().traceId, body: new Uint8Array(ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans())!) });
  }
  return requests;
}

describe('durability across kill -9', () => {
  let cairn: CairnProcess | undefined;
  after(async () => {
    await cairn?.stop();
  });

  it('keeps every acknowledged span when the server is killed during ingest', async () => {
    const requests = encodeTraces();
    cairn = await startCairn();
    const first = cairn;
    const acknowledged: string[] = [];
    let killed = false;
    let next = 0;
    const killAfter = Math.floor(REQUESTS / 3);

    const sender = async () => {
      while (next < requests.length && !killed) {
        const request = requests[next++]!;
        try {
          const response = await fetch(`${first.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: request.body });
          await response.arrayBuffer();
          if (response.status === 200) acknowledged.push(request.traceId);
        } catch {
          // The connection died with the server: this request was not acknowledged.
        }
        if (!killed && acknowledged.length >= killAfter) {
          killed = true;
          await first.kill9();
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, sender));
    assert.ok(killed, 'the server was killed mid-ingest');
    assert.ok(acknowledged.length >= killAfter);

    const restarted = await startCairn({ dataDir: first.dataDir });
    cairn = restarted;
    for (const traceId of acknowledged) {
      const { status, body } = await getJson<{ spans: unknown[] }>(`${restarted.apiUrl}/api/v1/traces/${traceId}`);
      assert.equal(status, 200, `acknowledged trace ${traceId} survived`);
      assert.equal(body.spans.length, SPANS_PER_TRACE, `all spans of acknowledged trace ${traceId} survived`);
    }
    const stats = await getJson<{ spanCount: number }>(`${restarted.apiUrl}/api/v1/stats`);
    assert.ok(stats.body.spanCount >= acknowledged.length * SPANS_PER_TRACE);
  });
});

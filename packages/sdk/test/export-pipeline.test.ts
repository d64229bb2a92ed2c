import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT_CONTEXT, propagation } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { cairnSpanProcessor, readOtelEnvironment } from '../src/index.js';

/** An exporter that never answers until released: the queue behind it fills up. */
class StuckExporter implements SpanExporter {
  received = 0;
  private release: (() => void)[] = [];
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.received += spans.length;
    this.release.push(() => done({ code: ExportResultCode.SUCCESS }));
  }
  unblock(): void {
    for (const release of this.release.splice(0)) release();
  }
  async shutdown(): Promise<void> {}
}

describe('cairnSpanProcessor()', () => {
  it('bounds its queue: drops beyond maxQueueSize and counts the drops', async () => {
    const exporter = new StuckExporter();
    const processor = cairnSpanProcessor({ exporter, maxQueueSize: 10, maxExportBatchSize: 5, scheduledDelayMillis: 1000 });
    const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('t');
    for (let index = 0; index < 30; index++) tracer.startSpan(`s${index}`).end();
    // 5 went out in the first batch (stuck), 10 wait, the rest were dropped.
    const stats = processor.stats();
    assert.equal(stats.droppedSpans, 15);
    assert.equal(stats.queuedSpans, 10);
    exporter.unblock();
    const flushing = processor.forceFlush();
    for (let round = 0; round < 5; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      exporter.unblock();
    }
    await flushing;
    assert.deepEqual(processor.stats(), { exportedSpans: 15, failedSpans: 0, droppedSpans: 15, queuedSpans: 0 });
  });

  it('redacts and strips content before the exporter sees a span, and stamps baggage ids', async () => {
    const memory = new InMemorySpanExporter();
    const processor = cairnSpanProcessor({ exporter: memory, redact: true, captureContent: false });
    const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('t');
    const bag = propagation.createBaggage({ 'session.id': { value: 's-1' }, 'user.id': { value: 'u-1' } });
    const span = tracer.startSpan('chat gpt-4o by bob@example.com', {
      attributes: {
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'my key is sk-proj-AbCdEf0123456789GhIjKlMnOp' }] }]),
        'gen_ai.usage.input_tokens': 21,
        'note': 'reach me at bob@example.com',
      },
    }, propagation.setBaggage(ROOT_CONTEXT, bag));
    span.addEvent('exception', { 'exception.message': 'failed for bob@example.com' });
    span.end();
    await processor.forceFlush();
    const [exported] = memory.getFinishedSpans();
    assert.ok(exported);
    const text = JSON.stringify({ name: exported.name, attributes: exported.attributes, events: exported.events });
    assert.doesNotMatch(text, /bob@example\.com|sk-proj-/);
    assert.equal(exported.name, 'chat gpt-4o by [REDACTED:email]');
    assert.equal(exported.attributes['gen_ai.input.messages'], JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: '[44 chars]' }] }]));
    assert.equal(exported.attributes['gen_ai.usage.input_tokens'], 21);
    assert.equal(exported.attributes['gen_ai.conversation.id'], 's-1');
    assert.equal(exported.attributes['user.id'], 'u-1');
    assert.ok(Number(exported.attributes['cairn.redaction.count']) >= 3);
  });
});

describe('readOtelEnvironment()', () => {
  it('reads the standard variables and ignores malformed ones', () => {
    const environment = readOtelEnvironment({
      OTEL_SERVICE_NAME: 'svc',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9999/',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-team=ai,authorization=Bearer%20abc',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=dev',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_BSP_MAX_QUEUE_SIZE: 'lots',
    });
    assert.equal(environment.serviceName, 'svc');
    assert.equal(environment.tracesUrl, 'http://127.0.0.1:9999/v1/traces');
    assert.deepEqual(environment.headers, { 'x-team': 'ai', authorization: 'Bearer abc' });
    assert.deepEqual(environment.resourceAttributes, { 'deployment.environment': 'dev' });
    assert.equal(environment.sampleRate, 0.25);
    assert.equal(environment.maxQueueSize, undefined);
    assert.equal(readOtelEnvironment({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://h/t' }).tracesUrl, 'http://h/t');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { context, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { cairnSpanProcessor, type CairnExportOptions } from '../src/index.js';
import './support.js';

const isLive = (span: ReadableSpan) => span.attributes['cairn.live'] === true;

function setUp(options: CairnExportOptions = {}) {
  const memory = new InMemorySpanExporter();
  const processor = cairnSpanProcessor({ exporter: memory, scheduledDelayMillis: 5, liveSpans: { afterMs: 100, intervalMs: 20 }, ...options });
  const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('live-test');
  return { memory, processor, tracer };
}

describe('live spans', () => {
  it('reports a long span once while it runs, redacted, with its ids, and then the finished span', async () => {
    const { memory, processor, tracer } = setUp({ redact: true });
    const parent = tracer.startSpan('agent');
    const span = tracer.startSpan(
      'execute_tool lookup',
      { attributes: { 'gen_ai.tool.name': 'lookup', 'gen_ai.tool.call.arguments': '{"email":"bob@example.com"}' } },
      trace.setSpan(context.active(), parent),
    );
    await sleep(400);
    const snapshots = memory.getFinishedSpans().filter(isLive);
    const ofTool = snapshots.filter((item) => item.spanContext().spanId === span.spanContext().spanId);
    assert.equal(ofTool.length, 1, 'reported once (the heartbeat is 30 s away)');
    const snapshot = ofTool[0]!;
    assert.equal(snapshot.name, 'execute_tool lookup');
    assert.equal(snapshot.spanContext().traceId, span.spanContext().traceId);
    assert.equal(snapshot.parentSpanContext?.spanId, parent.spanContext().spanId);
    assert.equal(snapshot.attributes['gen_ai.tool.name'], 'lookup');
    assert.doesNotMatch(String(snapshot.attributes['gen_ai.tool.call.arguments']), /bob@example\.com/, 'snapshots are redacted like finished spans');
    const startMs = snapshot.startTime[0] * 1000 + snapshot.startTime[1] / 1e6;
    const endMs = snapshot.endTime[0] * 1000 + snapshot.endTime[1] / 1e6;
    assert.ok(endMs - startMs >= 100, `the snapshot ends when it was taken (${endMs - startMs} ms after start)`);
    assert.equal(snapshots.length, 2, 'the open parent is reported too');

    span.end();
    parent.end();
    await processor.forceFlush();
    await sleep(100);
    const finished = memory.getFinishedSpans().filter((item) => !isLive(item));
    assert.deepEqual(finished.map((item) => item.name).sort(), ['agent', 'execute_tool lookup']);
    assert.equal(memory.getFinishedSpans().filter(isLive).length, 2, 'no snapshot after the span ended');
    assert.equal(processor.liveStats()?.reportedSnapshots, 2);
    await processor.shutdown();
  });

  it('never reports short spans', async () => {
    const { memory, processor, tracer } = setUp();
    for (let index = 0; index < 200; index++) tracer.startSpan(`short ${index}`).end();
    const quick = tracer.startSpan('quick');
    await sleep(50);
    quick.end();
    await sleep(150);
    await processor.forceFlush();
    assert.equal(memory.getFinishedSpans().length, 201);
    assert.equal(memory.getFinishedSpans().filter(isLive).length, 0);
    await processor.shutdown();
  });

  it('reports a span still running again after each heartbeat', async () => {
    const { memory, processor, tracer } = setUp({ liveSpans: { afterMs: 50, intervalMs: 20, heartbeatMs: 150 } });
    const span = tracer.startSpan('hung');
    await sleep(480);
    const snapshots = memory.getFinishedSpans().filter(isLive);
    assert.ok(snapshots.length >= 3 && snapshots.length <= 4, `${snapshots.length} snapshots in 480 ms (after 50 ms, then every 150 ms)`);
    const ends = snapshots.map((item) => item.endTime[0] * 1e9 + item.endTime[1]);
    assert.deepEqual(ends, [...ends].sort((a, b) => a - b), 'each snapshot is newer');
    span.end();
    await processor.shutdown();
  });

  it('stops reporting at shutdown, and can be turned off', async () => {
    const { memory, processor, tracer } = setUp();
    const span = tracer.startSpan('open at shutdown');
    await processor.shutdown();
    await sleep(250);
    assert.equal(memory.getFinishedSpans().filter(isLive).length, 0);
    span.end();

    const off = setUp({ liveSpans: false });
    const long = off.tracer.startSpan('long');
    await sleep(250);
    assert.equal(off.memory.getFinishedSpans().length, 0);
    assert.equal(off.processor.liveStats(), undefined);
    long.end();
    await off.processor.shutdown();
  });

  it('never throws into the app when the exporter throws', async () => {
    const throwing: SpanExporter = {
      export() {
        throw new Error('exporter exploded');
      },
      shutdown: () => Promise.resolve(),
    };
    const { processor, tracer } = setUp({ exporter: throwing });
    const span = tracer.startSpan('long');
    await sleep(250);
    assert.doesNotThrow(() => span.end());
    assert.equal(processor.liveStats()?.reportedSnapshots, 1, 'the sweep ran, its export threw, and the span ended normally');
    await processor.shutdown();
  });
});

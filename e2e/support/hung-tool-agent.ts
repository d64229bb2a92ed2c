// A child process for the live-span tests: an agent whose tool call hangs until the parent
// writes "finish" on stdin. Prints "trace <id> span <id>" once the tool has started, and
// "done" after the spans ended and were flushed. Exports to OTEL_EXPORTER_OTLP_ENDPOINT.

import { createInterface } from 'node:readline';
import { trace } from '@opentelemetry/api';
import { agent, init, shutdown, tool } from '@cairn/sdk';

init({ serviceName: 'hung-agent', liveSpans: { afterMs: 300, intervalMs: 100 } });

const finish = new Promise<void>((resolve) => {
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === 'finish') resolve();
  });
});

await agent('planner', () =>
  tool('slow_lookup', async (span) => {
    span.setInput({ query: 'quarterly numbers' });
    const context = trace.getActiveSpan()!.spanContext();
    console.log(`trace ${context.traceId} span ${context.spanId}`);
    await finish;
    span.setOutput({ rows: 3 });
  }),
);
await shutdown();
console.log('done');
process.exit(0);

// Process 3: a queue worker. It continues the trace carried in the message headers, processes
// one message (or more with WORKER_MESSAGES) and exits.

import { agent, init, processMessage, shutdown, tool } from '@cairn/sdk';
import { dequeue } from './queue.js';

const queueDir = process.env.QUEUE_DIR ?? '/tmp/cairn-queue';
const count = Number(process.env.WORKER_MESSAGES ?? 1);

init({ serviceName: 'summary-worker', redact: true });

for (let index = 0; index < count; index++) {
  const message = await dequeue(queueDir);
  await processMessage({ destination: 'summaries', system: 'file', headers: message.headers }, () =>
    agent('summarizer', () =>
      tool('write_summary', async (span) => {
        span.setInput(message.body);
        span.setOutput(`Summary: ${String(message.body.findings)}`);
      }),
    ),
  );
  console.log('processed');
}

await shutdown();

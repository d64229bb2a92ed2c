// Process 2: the research sub-agent, an HTTP service. The middleware continues the caller's
// trace, so its agent span is a child of the orchestrator's tool span.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { agent, init, retrieval, shutdown, traceHttpHandler } from '@cairn/sdk';

init({ serviceName: 'research-agent', redact: true });

const server = http.createServer(
  traceHttpHandler(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const { topic } = JSON.parse(body || '{}') as { topic?: string };
    const findings = await agent('researcher', async () => {
      const documents = await retrieval({ dataSource: 'weather-archive' }, async (span) => {
        span.setInput(topic ?? '');
        await new Promise((resolve) => setTimeout(resolve, 5));
        const found = [{ id: 'doc-1', score: 0.92 }];
        span.setOutput(found);
        return found;
      });
      return `${documents.length} document(s) about ${topic ?? 'nothing'}`;
    });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ findings }));
  }),
);

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});

process.once('SIGTERM', () => {
  server.close();
  void shutdown().then(() => process.exit(0));
});

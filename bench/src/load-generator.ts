// The ingest load generator: a separate process that posts pre-encoded OTLP protobuf batches to
// a Cairn OTLP/HTTP receiver over loopback for a bounded time, then prints one JSON line of
// results. Usage: load-generator.ts <otlp-http-url> <seconds> <connections> <spansPerBatch>

import http from 'node:http';
import { encodeAgentBatches, withFreshTraceIds } from './agent-batches.js';

export interface LoadResult {
  seconds: number;
  requests: number;
  acknowledgedSpans: number;
  spansPerSecond: number;
  throttled: number;
  failed: number;
  bytesSent: number;
  /** The load generator's own CPU (user + system) per acknowledged span: the cores it takes from the server. */
  cpuMicrosPerSpan: number;
}

async function main(): Promise<void> {
  const [url = 'http://127.0.0.1:4318', seconds = '15', connections = '6', spansPerBatch = '500'] = process.argv.slice(2);
  const durationMs = Number(seconds) * 1000;
  const templates = encodeAgentBatches(24, Number(spansPerBatch));
  const target = new URL('/v1/traces', url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) });
  const salt = process.pid;
  let sequence = 0;
  let requests = 0;
  let acknowledgedSpans = 0;
  let throttled = 0;
  let failed = 0;
  let bytesSent = 0;

  const post = (body: Uint8Array) =>
    new Promise<number>((resolve) => {
      const request = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.byteLength } }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      request.on('error', () => resolve(0));
      request.end(body);
    });

  const cpuStarted = process.cpuUsage();
  const startedAt = performance.now();
  const deadline = startedAt + durationMs;
  const worker = async () => {
    // Bounded: stops at the deadline, and at most 1e6 requests per worker whatever happens.
    for (let iteration = 0; iteration < 1_000_000 && performance.now() < deadline; iteration++) {
      const template = templates[sequence % templates.length]!;
      const body = withFreshTraceIds(template, sequence++, salt);
      const status = await post(body);
      requests++;
      bytesSent += body.byteLength;
      if (status === 200) acknowledgedSpans += template.spanCount;
      else if (status === 429 || status === 503) {
        throttled++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      } else failed++;
    }
  };
  await Promise.all(Array.from({ length: Number(connections) }, worker));
  const elapsed = (performance.now() - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  agent.destroy();
  const cpuMicrosPerSpan = acknowledgedSpans === 0 ? 0 : (cpu.user + cpu.system) / acknowledgedSpans;
  const result: LoadResult = { seconds: elapsed, requests, acknowledgedSpans, spansPerSecond: acknowledgedSpans / elapsed, throttled, failed, bytesSent, cpuMicrosPerSpan };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();

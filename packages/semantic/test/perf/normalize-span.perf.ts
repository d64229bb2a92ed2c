// Cost of normalizeSpan per span on the ingest path (target: ≲10 µs for a plain span).
// Run: cd /work/main && node --import tsx packages/semantic/test/perf/normalize-span.perf.ts

import type { WireSpan } from '@cairn/model';
import { normalizeSpan } from '../../src/index.js';
import { CONTEXT, wireSpan } from '../helpers/wire-span.js';

const plain = wireSpan({
  name: 'GET /api/orders',
  kind: 2,
  attributes: {
    'http.request.method': 'GET',
    'url.path': '/api/orders',
    'url.scheme': 'https',
    'server.address': 'shop.example.com',
    'http.response.status_code': 200n,
    'http.route': '/api/orders',
    'user_agent.original': 'Mozilla/5.0',
    'network.protocol.version': '1.1',
  },
});

const paragraph = 'The quick brown fox jumps over the lazy dog while the agent considers the weather. ';
const chat = wireSpan({
  name: 'chat gpt-4o',
  kind: 3,
  attributes: {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o',
    'gen_ai.response.model': 'gpt-4o-2024-08-06',
    'gen_ai.usage.input_tokens': 812n,
    'gen_ai.usage.output_tokens': 120n,
    'gen_ai.conversation.id': 'conv-123',
    'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: paragraph.repeat(4) }]),
    'gen_ai.input.messages': JSON.stringify([
      { role: 'user', parts: [{ type: 'text', content: paragraph.repeat(12) }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: paragraph.repeat(6) }] },
      { role: 'user', parts: [{ type: 'text', content: paragraph.repeat(8) }] },
    ]),
    'gen_ai.output.messages': JSON.stringify([
      { role: 'assistant', parts: [{ type: 'text', content: paragraph.repeat(10) }], finish_reason: 'stop' },
    ]),
  },
});

function measure(label: string, span: WireSpan, iterations: number): void {
  for (let index = 0; index < iterations / 10; index++) normalizeSpan(span, CONTEXT);
  // CPU time rather than wall time: other processes on a busy machine inflate the latter.
  const started = process.cpuUsage();
  for (let index = 0; index < iterations; index++) normalizeSpan(span, CONTEXT);
  const used = process.cpuUsage(started);
  const micros = (used.user + used.system) / iterations;
  const bytes = JSON.stringify(span.attributes, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)).length;
  console.log(`${label.padEnd(28)} ${micros.toFixed(2).padStart(7)} µs CPU/span  (${bytes} bytes of attributes)`);
}

const tool = wireSpan({
  name: 'execute_tool get_weather',
  attributes: {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': 'get_weather',
    'gen_ai.tool.call.id': 'call_1',
    'gen_ai.tool.call.arguments': '{"city":"Paris","unit":"celsius"}',
    'gen_ai.tool.call.result': JSON.stringify({ forecast: paragraph.repeat(3), temperature: 21 }),
  },
});

measure('plain HTTP span', plain, 200_000);
measure('gen_ai execute_tool span', tool, 50_000);
measure('gen_ai chat span', chat, 20_000);

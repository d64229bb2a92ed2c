// Process 1: the orchestrator agent. LLM call (the real `openai` client, wrapped), then the
// research sub-agent over HTTP, then a job for the worker over the queue — one trace.

import { trace } from '@opentelemetry/api';
import OpenAI from 'openai';
import { agent, init, sendMessage, session, shutdown, tool, tracedFetch, user, wrapOpenAI } from '@cairn/sdk';
import { enqueue } from './queue.js';

const subAgentUrl = process.env.SUB_AGENT_URL ?? 'http://127.0.0.1:8787';
const queueDir = process.env.QUEUE_DIR ?? '/tmp/cairn-queue';

init({ serviceName: 'orchestrator', redact: true });
const openai = wrapOpenAI(new OpenAI({ apiKey: process.env.OPENAI_API_KEY ?? 'sk-not-used', baseURL: process.env.OPENAI_BASE_URL, maxRetries: 0 }));
const fetchWithTrace = tracedFetch();

await session('demo-session', () =>
  user('user-42', () =>
    agent('orchestrator', async () => {
      console.log(`trace ${trace.getActiveSpan()?.spanContext().traceId ?? 'none'}`);
      const plan = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'You plan research tasks.' },
          // A user pasting secrets into a prompt: redaction keeps them out of Cairn.
          { role: 'user', content: 'Plan a report on weather in Oslo. Mail it to jane.doe@example.com, my key is sk-proj-AbCdEf0123456789GhIjKlMnOp' },
        ],
        tools: [{ type: 'function', function: { name: 'research', parameters: { type: 'object', properties: { location: { type: 'string' } } } } }],
      });
      const call = plan.choices[0]?.message.tool_calls?.[0];
      const findings = await tool({ name: 'research', callId: call?.id }, async (span) => {
        span.setInput(call && 'function' in call ? call.function.arguments : '{}');
        const response = await fetchWithTrace(`${subAgentUrl}/research`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ topic: 'Oslo weather' }) });
        const body = (await response.json()) as { findings: string };
        span.setOutput(body.findings);
        return body.findings;
      });
      await sendMessage({ destination: 'summaries', system: 'file' }, (headers) => enqueue(queueDir, { headers, body: { findings } }));
    }),
  ),
);

await shutdown();

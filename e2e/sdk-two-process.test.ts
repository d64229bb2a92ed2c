// Black box: the examples/two-process agents run as three real processes with @cairn/sdk against
// a real `cairn serve` and a fake OpenAI provider; Cairn must hold ONE connected trace, with the
// LLM call's tokens and tool call, and without the secrets typed into the prompt.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fixtures/fake-openai/fake-openai-server.js';
import { REPO_ROOT, getJson, startCairn, type CairnProcess } from './support/cairn-process.js';

const EXAMPLE = path.join(REPO_ROOT, 'examples/two-process');

interface ApiSpan { spanId: string; parentSpanId: string | null; name: string; serviceName: string; spanType: string; model: string | null; usage: { inputTokens: number; outputTokens: number }; sessionId: string | null; userId: string | null }
interface ApiTrace { summary: { traceId: string; spanCount: number }; spans: ApiSpan[] }

function run(script: string, env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null>; line: (pattern: RegExp) => Promise<RegExpMatchArray> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(EXAMPLE, script)], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script}: no ${String(pattern)} in:\n${output}`)), 30_000);
      const check = () => {
        const match = pattern.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match);
        }
      };
      child.stdout!.on('data', check);
      check();
    });
  return { child, output: () => output, exited, line };
}

describe('@cairn/sdk two-process example → cairn serve', () => {
  let cairn: CairnProcess;
  let fake: FakeOpenAIServer;
  let queueDir: string;
  before(async () => {
    [cairn, fake] = await Promise.all([startCairn(), startFakeOpenAI()]);
    queueDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cairn-queue-'));
  });
  after(async () => {
    await cairn?.stop();
    await fake?.close();
    await fs.rm(queueDir, { recursive: true, force: true });
  });

  it('shows orchestrator, HTTP sub-agent and queue worker as one connected trace, secrets redacted', { timeout: 90_000 }, async () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: cairn.otlpHttpUrl, QUEUE_DIR: queueDir, OPENAI_BASE_URL: fake.baseUrl };
    const subAgent = run('sub-agent.ts', env);
    const worker = run('worker.ts', env);
    try {
      const [, port] = await subAgent.line(/listening (\d+)/);
      const orchestrator = run('orchestrator.ts', { ...env, SUB_AGENT_URL: `http://127.0.0.1:${port}` });
      const [, traceId] = await orchestrator.line(/trace ([0-9a-f]{32})/);
      assert.equal(await orchestrator.exited, 0, orchestrator.output());
      assert.equal(await worker.exited, 0, worker.output());
      subAgent.child.kill('SIGTERM');
      assert.equal(await subAgent.exited, 0, subAgent.output());

      // Expected: orchestrator (agent, llm, tool, fetch client, send) + sub-agent (server, agent,
      // retrieval) + worker (process, agent, tool) = 11 spans.
      let trace: ApiTrace | undefined;
      for (let attempt = 0; attempt < 50; attempt++) {
        const { status, body } = await getJson<ApiTrace>(`${cairn.apiUrl}/api/v1/traces/${traceId}`);
        if (status === 200 && body.spans.length >= 11) {
          trace = body;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.ok(trace, `trace ${traceId} did not arrive complete`);
      const spans = trace.spans;
      assert.equal(spans.length, 11, spans.map((span) => `${span.serviceName}:${span.name}`).join(', '));
      assert.deepEqual([...new Set(spans.map((span) => span.serviceName))].sort(), ['orchestrator', 'research-agent', 'summary-worker']);
      const ids = new Set(spans.map((span) => span.spanId));
      const roots = spans.filter((span) => span.parentSpanId === null);
      assert.deepEqual(roots.map((span) => span.name), ['invoke_agent orchestrator']);
      for (const span of spans) if (span.parentSpanId !== null) assert.ok(ids.has(span.parentSpanId), `${span.name} has a parent inside the trace`);
      const byName = (name: string) => spans.find((span) => span.name === name)!;
      assert.equal(byName('invoke_agent researcher').spanType, 'agent');
      assert.equal(byName('invoke_agent summarizer').spanType, 'agent');
      const llmSpan = byName('chat gpt-4o-mini');
      const exchange = fake.exchanges[0]!;
      assert.equal(llmSpan.spanType, 'llm');
      assert.equal(llmSpan.model, exchange.responseModel);
      assert.deepEqual(llmSpan.usage.inputTokens, exchange.inputTokens);
      assert.equal(byName('execute_tool research').spanType, 'tool');
      for (const span of spans) {
        assert.equal(span.sessionId, 'demo-session', span.name);
        assert.equal(span.userId, 'user-42', span.name);
      }
      const detail = await getJson<Record<string, unknown>>(`${cairn.apiUrl}/api/v1/traces/${traceId}/spans/${llmSpan.spanId}`);
      const stored = JSON.stringify(detail.body);
      assert.match(stored, /Plan a report on weather in Oslo/);
      assert.doesNotMatch(stored, /jane\.doe@example\.com/);
      assert.doesNotMatch(stored, /sk-proj-AbCdEf/);
      assert.match(stored, /REDACTED:email/);
      assert.match(JSON.stringify((detail.body as { output?: unknown }).output), /research/);
    } finally {
      subAgent.child.kill('SIGKILL');
      worker.child.kill('SIGKILL');
    }
  });
});

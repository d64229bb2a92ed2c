// Black box: a real @cairn/sdk process whose tool call hangs, against a real `cairn serve`.
// While the tool runs, GET /api/v1/live lists it with a growing elapsed time and its trace shows
// it running; when it ends, the finished span replaces the live record.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getJson, startCairn, type CairnProcess } from './support/cairn-process.js';
import { eventually, startHungAgent } from './support/hung-agent-process.js';

interface LiveItem { traceId: string; spanId: string; name: string; spanType: string; toolName: string | null; serviceName: string; elapsedMs: number }
interface ApiTrace { summary: { spanCount: number; rootName: string }; spans: { spanId: string; name: string; live: boolean; durationMs: number }[] }

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

describe('live spans: a hung tool call in a real SDK process → cairn serve', () => {
  let cairn: CairnProcess;
  before(async () => {
    cairn = await startCairn();
  });
  after(async () => {
    await cairn?.stop();
  });

  it('lists the running tool with a growing elapsed time, then shows it finished', { timeout: 60_000 }, async () => {
    const agent = await startHungAgent(cairn.otlpHttpUrl);
    try {
      const first = await eventually(async () => {
        const { body } = await getJson<{ items: LiveItem[] }>(`${cairn.apiUrl}/api/v1/live`);
        return body.items.find((item) => item.spanId === agent.spanId);
      }, 'the tool span in /api/v1/live');
      assert.equal(first.traceId, agent.traceId);
      assert.equal(first.name, 'execute_tool slow_lookup');
      assert.equal(first.spanType, 'tool');
      assert.equal(first.toolName, 'slow_lookup');
      assert.equal(first.serviceName, 'hung-agent');
      assert.ok(first.elapsedMs >= 300, `reported after 300 ms, elapsed ${first.elapsedMs}`);

      await sleep(1_200);
      const { body: later } = await getJson<{ items: LiveItem[] }>(`${cairn.apiUrl}/api/v1/live`);
      const again = later.items.find((item) => item.spanId === agent.spanId);
      assert.ok(again, 'still running');
      assert.ok(again.elapsedMs >= first.elapsedMs + 1_000, `elapsed grows: ${first.elapsedMs} → ${again.elapsedMs}`);
      assert.ok(later.items.some((item) => item.traceId === agent.traceId && item.name === 'invoke_agent planner'), 'the running agent is listed too');

      const running = await getJson<ApiTrace>(`${cairn.apiUrl}/api/v1/traces/${agent.traceId}`);
      assert.equal(running.status, 200);
      assert.equal(running.body.summary.rootName, 'invoke_agent planner');
      assert.deepEqual(running.body.spans.map((span) => [span.name, span.live]), [
        ['invoke_agent planner', true],
        ['execute_tool slow_lookup', true],
      ]);

      assert.equal(await agent.finish(), 0, agent.output());
      const finished = await eventually(async () => {
        const { status, body } = await getJson<ApiTrace>(`${cairn.apiUrl}/api/v1/traces/${agent.traceId}`);
        return status === 200 && body.spans.length === 2 && body.spans.every((span) => !span.live) ? body : undefined;
      }, 'the finished spans');
      const toolSpan = finished.spans.find((span) => span.spanId === agent.spanId)!;
      assert.ok(toolSpan.durationMs >= 1_500, `the tool ran ${toolSpan.durationMs} ms`);
      assert.equal(finished.summary.spanCount, 2);
      const { body: none } = await getJson<{ items: LiveItem[] }>(`${cairn.apiUrl}/api/v1/live`);
      assert.deepEqual(none.items.filter((item) => item.traceId === agent.traceId), []);
    } finally {
      agent.kill();
    }
  });
});

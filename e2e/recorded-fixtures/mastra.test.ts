// Mastra 0.24 (@mastra/core, its OTel `telemetry`), replayed into a real `cairn serve`. The agent
// trace is 54 spans, mostly internal method spans; two more traces (mastra.setLogger,
// mastra.getAgent) are set-up noise. Mastra records a two-step run in an awkward way: ONE
// mastra.stream.aisdk.doStream span without usage for the whole loop, mastra.stream with the last
// step's usage only (37/20), the run total (52/28) inside the agent.stream.result JSON, and each
// call's usage (15/8, 37/20) only inside the result JSON of its
// workflow.executionWorkflow.step.llm-execution span — which Cairn types as the model call.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { everyScenarioReplayed, replayedScenario, storageChecks, sumOf, useCairnServer } from './recorded-fixture-support.js';

const LIBRARY = 'mastra-core';
const SCENARIO = 'agent-tool-call';

const SPANS = {
  agentGenerate: 'e850a61d74168eea',
  agentStream: 'fb3d7e3fce9f6de7',
  /** Carries the last step's usage (stream.usage.* 37/20): counting it would be wrong twice over. */
  mastraStream: '1d808c5153faae35',
  /** Opened once for the loop's two calls, without usage: a wrapper, not a model call. */
  doStream: 'f828e4a157dcb6ca',
  /** The llm-execution steps: one per model call, usage inside their result JSON. */
  firstCall: '0e9942b06c71c4ed',
  secondCall: 'a7c56f635b2f265e',
  toolCall: '1a54f5843f4a57d7',
};

describe(`recorded ${LIBRARY} → cairn serve → query API`, () => {
  useCairnServer();
  everyScenarioReplayed(LIBRARY, [SCENARIO]);

  describe(SCENARIO, () => {
    const scenario = replayedScenario(LIBRARY, SCENARIO);
    const { manifest, trace, detail, listed } = scenario;
    storageChecks(scenario);

    it('keeps the set-up noise in traces of their own, without model or tool calls', async () => {
      assert.equal(scenario.traceIds.length, 3);
      const noise = await Promise.all(scenario.traceIds.slice(1).map((traceId) => trace(traceId)));
      assert.deepEqual(noise.map(({ summary }) => summary.rootName).sort(), ['mastra.getAgent', 'mastra.setLogger']);
      for (const { summary } of noise) assert.deepEqual([summary.llmCallCount, summary.toolCallCount, summary.inputTokens, summary.outputTokens], [0, 0, 0, 0]);
      assert.equal((await trace()).summary.rootName, 'agent.generate');
    });

    it('names the agent weather-agent, and types agent.generate and agent.stream as agents', async () => {
      const { summary } = await trace();
      assert.deepEqual(summary.agents, ['weather-agent']);
      assert.ok(await listed('agent=weather-agent'), 'the agent filter finds the trace');
      for (const spanId of [SPANS.agentGenerate, SPANS.agentStream]) {
        const span = await detail(spanId);
        assert.deepEqual([span.spanType, span.agentName], ['agent', 'weather-agent'], span.name);
      }
    });

    it('shows the get_weather tool call with its id, arguments and result', async () => {
      const call = manifest.fakeOpenAI[0]!.toolCalls[0]!;
      const { summary } = await trace();
      assert.equal(summary.toolCallCount, 1);
      const tool = await detail(SPANS.toolCall);
      assert.deepEqual([tool.spanType, tool.toolName, tool.toolCallId], ['tool', call.name, call.id]);
      assert.deepEqual(tool.input, JSON.parse(call.arguments));
      assert.deepEqual(tool.output, { location: 'Paris', temperatureC: 18, condition: 'sunny' });
      assert.ok(await listed('tool=get_weather'), 'the tool filter finds the trace');
    });

    it("counts no wrapper's usage: neither mastra.stream's last step, the loop's doStream nor the run total in agent.stream.result", async () => {
      const wrapper = await detail(SPANS.mastraStream);
      assert.ok(['agent', 'chain'].includes(wrapper.spanType), `mastra.stream is ${wrapper.spanType}, not a model call`);
      assert.deepEqual([wrapper.attributes['stream.usage.inputTokens'], wrapper.attributes['stream.usage.outputTokens']], [37, 20]);
      assert.deepEqual([wrapper.usage.inputTokens, wrapper.usage.outputTokens], [0, 0]);
      const doStream = await detail(SPANS.doStream);
      assert.ok(['agent', 'chain'].includes(doStream.spanType), `the loop's doStream is ${doStream.spanType}, not a model call`);
      const { summary } = await trace();
      assert.deepEqual([summary.inputTokens, summary.outputTokens], [sumOf(manifest, 'inputTokens'), sumOf(manifest, 'outputTokens')]);
    });

    it(`shows the ${manifest.fakeOpenAI.length} model calls with the fake's tokens, models and provider, and no error`, async () => {
      const { summary } = await trace();
      assert.equal(summary.llmCallCount, manifest.fakeOpenAI.length);
      assert.deepEqual([summary.inputTokens, summary.outputTokens], [sumOf(manifest, 'inputTokens'), sumOf(manifest, 'outputTokens')]);
      assert.ok(summary.models.includes(manifest.fakeOpenAI[0]!.responseModel), `${manifest.fakeOpenAI[0]!.responseModel} is in ${JSON.stringify(summary.models)}`);
      const calls = await Promise.all([SPANS.firstCall, SPANS.secondCall].map((spanId) => detail(spanId)));
      assert.deepEqual(
        calls.map((call) => [call.spanType, call.usage.inputTokens, call.usage.outputTokens, call.model, call.provider]),
        manifest.fakeOpenAI.map((call) => ['llm', call.inputTokens, call.outputTokens, call.responseModel, 'openai']),
      );
      assert.ok(calls.every((call) => ((call as typeof call & { costUsd: number | null }).costUsd ?? 0) > 0), 'each call is priced');
      assert.equal(summary.errorCount, 0);
      assert.equal(await listed('status=error'), false, 'the status=error filter leaves the trace out');
    });
  });
});

// Mastra 0.24 (@mastra/core, its OTel `telemetry`), replayed into a real `cairn serve`. The agent
// trace is 54 spans, mostly internal method spans; two more traces (mastra.setLogger,
// mastra.getAgent) are set-up noise. Mastra records a two-step run badly: ONE
// mastra.stream.aisdk.doStream span without usage for two calls to the model, mastra.stream with
// the last step's usage only (37/20), and the run's truth (52/28) only inside the
// agent.stream.result JSON. What Cairn can honestly show is asserted; the truth it cannot reach
// yet is a todo.

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
  /** The only model span, for both calls, without usage. */
  doStream: 'f828e4a157dcb6ca',
  toolCall: '1a54f5843f4a57d7',
};

const TODO_ONE_SPAN_FOR_TWO_CALLS =
  'Mastra 0.24 records one mastra.stream.aisdk.doStream span without usage for both model calls; the per-call ' +
  'usage (15/8, 37/20) and the response model exist only inside the JSON of the workflow.executionWorkflow.step.* ' +
  'arguments and results, and the run total (52/28) only in agent.stream.result: the semantic layer reads none of them';

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

    it("counts no wrapper's usage: neither mastra.stream's last step nor the run total in agent.stream.result", async () => {
      const wrapper = await detail(SPANS.mastraStream);
      assert.ok(['agent', 'chain'].includes(wrapper.spanType), `mastra.stream is ${wrapper.spanType}, not a model call`);
      assert.deepEqual([wrapper.attributes['stream.usage.inputTokens'], wrapper.attributes['stream.usage.outputTokens']], [37, 20]);
      const { summary } = await trace();
      // Below the truth while the calls' usage is unreachable (see the todo), never above it.
      assert.ok(summary.inputTokens <= sumOf(manifest, 'inputTokens') && summary.outputTokens <= sumOf(manifest, 'outputTokens'), `no double count: ${summary.inputTokens}/${summary.outputTokens}`);
      assert.ok(summary.llmCallCount <= manifest.fakeOpenAI.length, `at most ${manifest.fakeOpenAI.length} model calls, got ${summary.llmCallCount}`);
    });

    it('shows the model span with the requested model and provider, and no error', async () => {
      const doStream = await detail(SPANS.doStream);
      assert.deepEqual([doStream.spanType, doStream.model, doStream.provider], ['llm', manifest.fakeOpenAI[0]!.requestModel, 'openai']);
      const { summary } = await trace();
      assert.equal(summary.errorCount, 0);
      assert.equal(await listed('status=error'), false, 'the status=error filter leaves the trace out');
    });

    it(`shows the ${manifest.fakeOpenAI.length} model calls with the fake's tokens and model`, { todo: TODO_ONE_SPAN_FOR_TWO_CALLS }, async () => {
      const { summary } = await trace();
      assert.equal(summary.llmCallCount, manifest.fakeOpenAI.length);
      assert.deepEqual([summary.inputTokens, summary.outputTokens], [sumOf(manifest, 'inputTokens'), sumOf(manifest, 'outputTokens')]);
      assert.ok(summary.models.includes(manifest.fakeOpenAI[0]!.responseModel), `${manifest.fakeOpenAI[0]!.responseModel} is in ${JSON.stringify(summary.models)}`);
    });
  });
});

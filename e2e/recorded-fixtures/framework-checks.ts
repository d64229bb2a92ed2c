// What a user must see for a recorded framework or tracing-SDK scenario, through the query API:
// how many model and tool calls, tokens counted once per model call (never the wrappers' sums
// again), models, tool names and call ids, session and user, errors. The expectations name the
// library's spans by id (fixtures/record/deterministic-id-generator.ts keeps them stable across
// re-recordings); the numbers come from the fake's answers in the manifest.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { storageChecks, sumOf, type Scenario } from './recorded-fixture-support.js';

export interface FrameworkExpectations {
  /** The model-call spans in call order, one per answer of the fake (manifest.fakeOpenAI). */
  calls: { spanId: string; spanType: 'llm' | 'embedding' }[];
  /** The model a call span carries: the fake's answer, or the request model where the library records no other. */
  recordedModel: 'response' | 'request';
  /** The provider each call shows; null where the library records none. */
  provider: string | null;
  /** Spans around the calls that carry their summed usage themselves, with the attributes that hold it. */
  wrappers: { spanId: string; inputTokensAttribute: string; outputTokensAttribute?: string }[];
  tools: { spanId: string; name: string; callId: string | null }[];
  /** Whether the calls carry their messages, so the tool call and the answer show as canonical parts. */
  messages: boolean;
  agent: string | null;
  sessionId: string;
  userId: string;
  errors: { spanId: string; message: string }[];
  /** Spans that look like trouble (a WARNING level) but are not errors. */
  notErrors?: string[];
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function frameworkChecks(scenario: Scenario, expected: FrameworkExpectations): void {
  const { manifest, traceId, trace, detail, listed } = scenario;
  storageChecks(scenario);
  const exchanges = () => expected.calls.map((call, index) => ({ call, exchange: manifest.fakeOpenAI[index]! }));
  const recordedModel = (exchange: (typeof manifest.fakeOpenAI)[number]) =>
    expected.recordedModel === 'response' ? exchange.responseModel : exchange.requestModel;

  it(`shows ${count(expected.calls.length, 'model call')}, each with the fake's exact tokens, counted once`, async () => {
    assert.equal(expected.calls.length, manifest.fakeOpenAI.length, 'one expected call span per answer of the fake');
    const { summary, spans } = await trace();
    const llmCalls = expected.calls.filter((call) => call.spanType === 'llm').length;
    assert.equal(summary.llmCallCount, llmCalls);
    assert.equal(spans.filter((span) => span.spanType === 'embedding').length, expected.calls.length - llmCalls, 'embedding spans');
    for (const { call, exchange } of exchanges()) {
      const span = await detail(call.spanId);
      assert.equal(span.spanType, call.spanType, `type of ${span.name} ${call.spanId}`);
      assert.deepEqual([span.usage.inputTokens, span.usage.outputTokens], [exchange.inputTokens, exchange.outputTokens], `tokens of ${call.spanId}`);
      assert.equal(span.hasUsage, true);
      assert.equal(span.model, recordedModel(exchange));
      assert.equal(span.provider, expected.provider);
    }
    assert.deepEqual([summary.inputTokens, summary.outputTokens], [sumOf(manifest, 'inputTokens'), sumOf(manifest, 'outputTokens')]);
  });

  if (expected.wrappers.length > 0) {
    it("keeps the wrappers' own summed usage out of the totals: they are agent or chain spans", async () => {
      for (const wrapper of expected.wrappers) {
        const span = await detail(wrapper.spanId);
        assert.ok(['agent', 'chain'].includes(span.spanType), `${span.name} ${wrapper.spanId} is ${span.spanType}, not a model call`);
        // The library really put the run's sum on the wrapper: counting it would double the totals.
        assert.equal(span.attributes[wrapper.inputTokensAttribute], sumOf(manifest, 'inputTokens'), wrapper.inputTokensAttribute);
        if (wrapper.outputTokensAttribute) assert.equal(span.attributes[wrapper.outputTokensAttribute], sumOf(manifest, 'outputTokens'), wrapper.outputTokensAttribute);
      }
      const { summary } = await trace();
      assert.deepEqual([summary.inputTokens, summary.outputTokens], [sumOf(manifest, 'inputTokens'), sumOf(manifest, 'outputTokens')]);
    });
  }

  it('lists the models the calls used and finds the trace by model', async () => {
    const { summary } = await trace();
    const used = [...new Set(manifest.fakeOpenAI.map(recordedModel))];
    for (const model of used) assert.ok(summary.models.includes(model), `${model} is in ${JSON.stringify(summary.models)}`);
    // A wrapper may add the model it asked for (gpt-4o-mini for gpt-4o-mini-2024-07-18), nothing else.
    const asked = new Set(manifest.fakeOpenAI.flatMap((exchange) => [exchange.requestModel, exchange.responseModel]));
    for (const model of summary.models) assert.ok(asked.has(model), `${model} was requested or answered`);
    assert.ok(await listed(`model=${encodeURIComponent(used[0]!)}`), 'the model filter finds the trace');
    if (expected.provider) assert.ok(await listed(`provider=${expected.provider}`), 'the provider filter finds the trace');
  });

  const toolTitle = expected.tools.length === 0 ? 'shows no tool call' : `shows ${count(expected.tools.length, 'tool call')} with the tool's name${expected.tools.some((tool) => tool.callId) ? ' and call id' : ''}`;
  it(toolTitle, async () => {
    const { summary } = await trace();
    assert.equal(summary.toolCallCount, expected.tools.length);
    for (const tool of expected.tools) {
      const span = await detail(tool.spanId);
      assert.equal(span.spanType, 'tool', `type of ${span.name}`);
      assert.equal(span.toolName, tool.name);
      if (tool.callId) assert.equal(span.toolCallId, tool.callId);
      assert.ok(await listed(`tool=${encodeURIComponent(tool.name)}`), 'the tool filter finds the trace');
    }
  });

  if (expected.messages) {
    it("shows each call's answer as canonical parts: the tool call the fake made, then its text", async () => {
      for (const { call, exchange } of exchanges()) {
        const { output } = await detail(call.spanId);
        const parts = exchange.toolCalls.length > 0
          ? exchange.toolCalls.map((toolCall) => ({ type: 'tool_call', id: toolCall.id, name: toolCall.name, arguments: JSON.parse(toolCall.arguments) as unknown }))
          : [{ type: 'text', text: exchange.outputText }];
        assert.deepEqual(output, [{ role: 'assistant', parts }], `output of ${call.spanId}`);
      }
    });
  }

  it('shows the session and the user, and finds the trace by them', async () => {
    const { summary } = await trace();
    assert.deepEqual([summary.sessionId, summary.userId], [expected.sessionId, expected.userId]);
    assert.ok(await listed(`sessionId=${encodeURIComponent(expected.sessionId)}`), 'the sessionId filter finds the trace');
    assert.ok(await listed(`userId=${encodeURIComponent(expected.userId)}`), 'the userId filter finds the trace');
    const session = await scenario.api<{ traces: { traceId: string }[] }>(`/api/v1/sessions/${encodeURIComponent(expected.sessionId)}`);
    assert.ok(session.traces.some((item) => item.traceId === traceId), 'the session lists the trace');
  });

  if (expected.agent) {
    const agent = expected.agent;
    it(`names the agent ${agent}`, async () => {
      const { summary } = await trace();
      assert.ok(summary.agents.includes(agent), `${agent} is in ${JSON.stringify(summary.agents)}`);
      assert.ok(await listed(`agent=${encodeURIComponent(agent)}`), 'the agent filter finds the trace');
    });
  }

  it(expected.errors.length > 0 ? `shows ${count(expected.errors.length, 'error')} with the library's message` : 'shows no error', async () => {
    const { summary, spans } = await trace();
    assert.equal(summary.errorCount, expected.errors.length);
    for (const error of expected.errors) assert.deepEqual((await detail(error.spanId)).status, { code: 'error', message: error.message });
    const failed = new Set(expected.errors.map((error) => error.spanId));
    for (const span of spans) if (!failed.has(span.spanId)) assert.notEqual(span.status.code, 'error', `${span.name} ${span.spanId} is no error`);
    for (const spanId of expected.notErrors ?? []) assert.ok(spans.some((span) => span.spanId === spanId), `${spanId} is stored`);
    assert.equal(await listed('status=error'), expected.errors.length > 0, 'the status=error filter');
  });
}

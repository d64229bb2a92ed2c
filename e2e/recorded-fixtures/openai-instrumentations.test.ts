// The two instrumentations of the `openai` client (OTel GenAI conventions with OTLP log events,
// and OpenInference attributes) × five scenarios, replayed into a real `cairn serve`
// (recorded-fixture-support.ts says how).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyOf, everyScenarioReplayed, replayedScenario, storageChecks, sumOf, useCairnServer, type ApiTrace, type Scenario } from './recorded-fixture-support.js';

const OTEL_OPENAI = 'opentelemetry-instrumentation-openai';

/** What an OTel GenAI (gen_ai.*) recording must show: the fake's models and tokens, events attached. */
function genAiChecks(scenario: Scenario, spanType: 'llm' | 'embedding') {
  const { manifest, traceId, api, modelCalls, detail } = scenario;
  storageChecks(scenario);

  it(`shows each call as an ${spanType} span with the fake's model, provider and exact tokens`, async () => {
    for (const { span, exchange } of await modelCalls()) {
      assert.equal(span.spanType, spanType);
      assert.equal(span.kind, 'CLIENT');
      assert.equal(span.model, exchange.responseModel, 'model is the one the server answered with');
      assert.equal(span.provider, 'openai');
      assert.deepEqual([span.usage.inputTokens, span.usage.outputTokens], [exchange.inputTokens, exchange.outputTokens]);
      const spanDetail = await detail(span.spanId);
      assert.equal(spanDetail.requestModel, exchange.requestModel);
      assert.equal(spanDetail.hasUsage, true);
    }
    const trace = await api<ApiTrace>(`/api/v1/traces/${traceId}`);
    assert.deepEqual([trace.summary.inputTokens, trace.summary.outputTokens], [sumOf(manifest, 'inputTokens'), sumOf(manifest, 'outputTokens')]);
    assert.deepEqual(trace.summary.models, [...new Set(manifest.fakeOpenAI.map((exchange) => exchange.responseModel))]);
    assert.equal(trace.summary.llmCallCount, spanType === 'llm' ? manifest.fakeOpenAI.length : 0);
  });

  it('attaches every gen_ai log record to its span as an event, in order', async () => {
    for (const recorded of manifest.spans) {
      const expected = manifest.logRecords.filter((record) => record.spanId === recorded.spanId).map((record) => record.eventName);
      const { events } = await detail(recorded.spanId);
      assert.deepEqual(events.map((event) => event.name), expected, `events of ${recorded.name} ${recorded.spanId}`);
    }
  });

  it('finds the trace by model and provider in the trace list', async () => {
    const model = manifest.fakeOpenAI[0]!.responseModel;
    // from=0: the recording is older than the list's default 24-hour window.
    const listed = await api<{ items: { traceId: string; models: string[] }[] }>(`/api/v1/traces?from=0&provider=openai&model=${encodeURIComponent(model)}&spanType=${spanType}`);
    assert.ok(listed.items.some((item) => item.traceId === traceId), 'the trace is listed');
    assert.ok(listed.items.every((item) => item.models.includes(model)), 'the filter keeps only traces with that model');
  });
}

const OPENINFERENCE_OPENAI = 'openinference-instrumentation-openai';

/** What OpenInference 4.2.7 itself put on each call span (it differs from the fake's answer where noted). */
const OPENINFERENCE_CALLS: Record<string, { spanType: 'llm' | 'embedding'; modelAttribute: 'response' | 'request'; tokens: boolean }> = {
  'chat-completion': { spanType: 'llm', modelAttribute: 'response', tokens: true },
  'chat-tool-call': { spanType: 'llm', modelAttribute: 'response', tokens: true },
  // The library records neither the usage chunk nor the response model of a stream.
  'chat-streaming': { spanType: 'llm', modelAttribute: 'request', tokens: false },
  embeddings: { spanType: 'embedding', modelAttribute: 'request', tokens: false },
  responses: { spanType: 'llm', modelAttribute: 'response', tokens: true },
};

describe('recorded openai-client instrumentations → cairn serve → query API', () => {
  useCairnServer();

  describe(`recorded fixtures: ${OTEL_OPENAI}`, () => {
    everyScenarioReplayed(OTEL_OPENAI, ['chat-completion', 'chat-streaming', 'chat-tool-call', 'embeddings', 'responses']);

    describe('chat-completion', () => {
      const scenario = replayedScenario(OTEL_OPENAI, 'chat-completion');
      genAiChecks(scenario, 'llm');

      it('keeps the system, user and choice messages in the attached events', async () => {
        const { span, exchange } = await scenario.onlyCall();
        const { events, attributes } = await scenario.detail(span.spanId);
        assert.deepEqual(bodyOf(events.find((event) => event.name === 'gen_ai.system.message')), { content: 'You are a terse assistant.' });
        assert.deepEqual(bodyOf(events.find((event) => event.name === 'gen_ai.user.message')), { content: 'Say hello to Cairn.' });
        assert.deepEqual(bodyOf(events.find((event) => event.name === 'gen_ai.choice')), { finish_reason: 'stop', index: 0, message: { content: exchange.outputText } });
        assert.equal(attributes['gen_ai.response.id'], exchange.responseId);
        assert.deepEqual(attributes['gen_ai.response.finish_reasons'], ['stop']);
      });

      it('derives input and output messages from the attached events', async () => {
        const { span, exchange } = await scenario.onlyCall();
        const spanDetail = await scenario.detail(span.spanId);
        assert.deepEqual(spanDetail.input, [
          { role: 'system', parts: [{ type: 'text', text: 'You are a terse assistant.' }] },
          { role: 'user', parts: [{ type: 'text', text: 'Say hello to Cairn.' }] },
        ]);
        assert.deepEqual(spanDetail.output, [{ role: 'assistant', parts: [{ type: 'text', text: exchange.outputText }] }]);
        assert.equal(spanDetail.inputPreview, 'Say hello to Cairn.');
      });
    });

    describe('chat-tool-call', () => {
      const scenario = replayedScenario(OTEL_OPENAI, 'chat-tool-call');
      genAiChecks(scenario, 'llm');

      it('nests both calls under the application span, which is not a model call', async () => {
        const trace = await scenario.api<ApiTrace>(`/api/v1/traces/${scenario.traceId}`);
        const root = trace.spans.find((span) => span.parentSpanId === null)!;
        assert.equal(root.name, 'weather-question');
        assert.equal(trace.summary.rootName, 'weather-question');
        assert.equal(root.spanType, 'other');
        assert.deepEqual([root.usage.inputTokens, root.usage.outputTokens], [0, 0]);
        const children = trace.spans.filter((span) => span.parentSpanId === root.spanId);
        assert.deepEqual(children.map((span) => span.spanType), ['llm', 'llm']);
      });

      it('shows the tool call in the first choice and the tool result in the follow-up', async () => {
        const [first, second] = await scenario.modelCalls();
        const call = first!.exchange.toolCalls[0]!;
        const firstDetail = await scenario.detail(first!.span.spanId);
        assert.deepEqual(firstDetail.attributes['gen_ai.response.finish_reasons'], ['tool_calls']);
        assert.deepEqual(bodyOf(firstDetail.events.find((event) => event.name === 'gen_ai.choice')).message, {
          tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }],
        });
        const secondDetail = await scenario.detail(second!.span.spanId);
        assert.deepEqual(secondDetail.events.map((event) => event.name), ['gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.assistant.message', 'gen_ai.tool.message', 'gen_ai.choice']);
        const toolMessage = bodyOf(secondDetail.events.find((event) => event.name === 'gen_ai.tool.message'));
        assert.equal(toolMessage.id, call.id);
        assert.deepEqual(JSON.parse(toolMessage.content as string), { location: 'Paris', temperatureC: 18, condition: 'sunny' });
      });

      it('derives the tool call and tool result as canonical message parts', async () => {
        const [first, second] = await scenario.modelCalls();
        const call = first!.exchange.toolCalls[0]!;
        assert.deepEqual((await scenario.detail(first!.span.spanId)).output, [{ role: 'assistant', parts: [{ type: 'tool_call', id: call.id, name: call.name, arguments: JSON.parse(call.arguments) as unknown }] }]);
        const input = (await scenario.detail(second!.span.spanId)).input as { role: string; parts: { type: string }[] }[];
        assert.deepEqual(input.map((message) => [message.role, message.parts.map((part) => part.type)]), [['system', ['text']], ['user', ['text']], ['assistant', ['tool_call']], ['tool', ['tool_result']]]);
      });

      it('finds the conversation by its text, though its messages arrived as log records after the span', async () => {
        const listed = await scenario.api<{ items: { traceId: string }[] }>('/api/v1/traces?from=0&q=Paris');
        assert.ok(listed.items.some((item) => item.traceId === scenario.traceId), 'the tool-call trace is found by "Paris"');
      });
    });

    describe('chat-streaming', () => {
      const scenario = replayedScenario(OTEL_OPENAI, 'chat-streaming');
      genAiChecks(scenario, 'llm');

      it('keeps the usage of the last stream chunk and the reassembled streamed text', async () => {
        const { span, exchange } = await scenario.onlyCall();
        assert.ok(exchange.outputTokens > 0, 'the fake counted output tokens');
        const spanDetail = await scenario.detail(span.spanId);
        assert.equal(spanDetail.attributes['gen_ai.usage.output_tokens'], exchange.outputTokens);
        assert.deepEqual(bodyOf(spanDetail.events.find((event) => event.name === 'gen_ai.choice')), { finish_reason: 'stop', index: 0, message: { content: exchange.outputText } });
      });
    });

    describe('embeddings', () => {
      const scenario = replayedScenario(OTEL_OPENAI, 'embeddings');
      genAiChecks(scenario, 'embedding');

      it('records input tokens only and no message events', async () => {
        const { span } = await scenario.onlyCall();
        const spanDetail = await scenario.detail(span.spanId);
        assert.equal(spanDetail.operation, 'embeddings');
        assert.equal(spanDetail.usage.outputTokens, 0);
        assert.deepEqual(spanDetail.events, []);
      });
    });

    describe('responses', () => {
      const scenario = replayedScenario(OTEL_OPENAI, 'responses');
      genAiChecks(scenario, 'llm');

      it('keeps the current-convention operation details events with structured messages', async () => {
        const { span, exchange } = await scenario.onlyCall();
        const spanDetail = await scenario.detail(span.spanId);
        const [inputs, outputs] = spanDetail.events;
        assert.deepEqual(inputs?.attributes['gen_ai.input.messages'], [
          { role: 'system', parts: [{ type: 'text', content: 'Answer in one sentence.' }] },
          { role: 'user', parts: [{ type: 'text', content: 'Name a primary color.' }] },
        ]);
        assert.deepEqual(outputs?.attributes['gen_ai.output.messages'], [{ role: 'assistant', parts: [{ type: 'text', content: exchange.outputText }], finish_reason: 'stop' }]);
      });

      it('derives the full input and the output from the operation details events', async () => {
        const { span, exchange } = await scenario.onlyCall();
        const spanDetail = await scenario.detail(span.spanId);
        assert.deepEqual(spanDetail.input, [
          { role: 'system', parts: [{ type: 'text', text: 'Answer in one sentence.' }] },
          { role: 'user', parts: [{ type: 'text', text: 'Name a primary color.' }] },
        ]);
        assert.deepEqual(spanDetail.output, [{ role: 'assistant', parts: [{ type: 'text', text: exchange.outputText }] }]);
        assert.equal(spanDetail.inputPreview, 'Name a primary color.');
      });
    });
  });

  describe(`recorded fixtures: ${OPENINFERENCE_OPENAI}`, () => {
    everyScenarioReplayed(OPENINFERENCE_OPENAI, Object.keys(OPENINFERENCE_CALLS));

    for (const [name, expected] of Object.entries(OPENINFERENCE_CALLS)) {
      describe(name, () => {
        const scenario = replayedScenario(OPENINFERENCE_OPENAI, name);
        storageChecks(scenario);
        const modelAttributeKey = expected.spanType === 'llm' ? 'llm.model_name' : 'embedding.model_name';

        it(`types each call ${expected.spanType} from openinference.span.kind and keeps the library's attributes raw`, async () => {
          for (const { span, exchange } of await scenario.modelCalls()) {
            assert.equal(span.spanType, expected.spanType);
            const { attributes } = await scenario.detail(span.spanId);
            assert.equal(attributes[modelAttributeKey], expected.modelAttribute === 'response' ? exchange.responseModel : exchange.requestModel);
            assert.equal(attributes['llm.system'], 'openai');
            const tokens = [attributes['llm.token_count.prompt'], attributes['llm.token_count.completion']];
            assert.deepEqual(tokens, expected.tokens ? [exchange.inputTokens, exchange.outputTokens] : [undefined, undefined]);
          }
        });

        it('reads the OpenInference model, provider, tokens and messages into the canonical fields', async () => {
          for (const { span, exchange } of await scenario.modelCalls()) {
            const spanDetail = await scenario.detail(span.spanId);
            assert.equal(spanDetail.model, expected.modelAttribute === 'response' ? exchange.responseModel : exchange.requestModel);
            assert.equal(spanDetail.provider, 'openai');
            const tokens = expected.tokens ? [exchange.inputTokens, exchange.outputTokens] : [0, 0];
            assert.deepEqual([spanDetail.usage.inputTokens, spanDetail.usage.outputTokens], tokens);
            assert.equal(spanDetail.hasUsage, expected.tokens);
            assert.notEqual(spanDetail.input, null);
          }
          const { summary } = await scenario.trace();
          const totals = expected.tokens ? [sumOf(scenario.manifest, 'inputTokens'), sumOf(scenario.manifest, 'outputTokens')] : [0, 0];
          assert.deepEqual([summary.inputTokens, summary.outputTokens], totals);
          assert.equal(summary.llmCallCount, expected.spanType === 'llm' ? scenario.manifest.fakeOpenAI.length : 0);
        });
      });
    }
  });
});

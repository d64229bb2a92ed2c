// Vercel AI SDK 6 (`ai` with experimental_telemetry), replayed into a real `cairn serve`. The SDK
// puts usage on two levels: the ai.generateText / ai.streamText / ai.embed wrapper carries the
// run's sum, each doGenerate / doStream / doEmbed its own call. Only the calls may count.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameworkChecks, type FrameworkExpectations } from './framework-checks.js';
import { everyScenarioReplayed, replayedScenario, useCairnServer } from './recorded-fixture-support.js';

const LIBRARY = 'vercel-ai-sdk';

// metadata: { sessionId, userId } in every scenario's experimental_telemetry.
const VERCEL_IDENTITY = { sessionId: 'session-vercel-1', userId: 'user-vercel-42', errors: [] };

const SCENARIOS: Record<string, FrameworkExpectations> = {
  'generate-text-tool-call': {
    ...VERCEL_IDENTITY,
    // ai.generateText.doGenerate ×2: the tool call (chatcmpl-fake-1), then the answer (chatcmpl-fake-2).
    calls: [{ spanId: '8f338eededfb2436', spanType: 'llm' }, { spanId: 'f6f33a2f29a5ca9a', spanType: 'llm' }],
    recordedModel: 'response',
    // gen_ai.system is `openai.chat`: the provider is the part before the dot.
    provider: 'openai',
    wrappers: [{ spanId: 'a572556acef2a520', inputTokensAttribute: 'ai.usage.inputTokens', outputTokensAttribute: 'ai.usage.outputTokens' }],
    tools: [{ spanId: '1f0f0a956d2d4864', name: 'get_weather', callId: 'call_fake_1' }],
    messages: true,
    agent: 'weather-agent',
  },
  'stream-text': {
    ...VERCEL_IDENTITY,
    calls: [{ spanId: '4534ece3065a413c', spanType: 'llm' }],
    recordedModel: 'response',
    provider: 'openai',
    wrappers: [{ spanId: '631886bbf1006f46', inputTokensAttribute: 'ai.usage.inputTokens', outputTokensAttribute: 'ai.usage.outputTokens' }],
    tools: [],
    messages: true,
    agent: 'stream-story',
  },
  // The SDK records the requested embedding model only (no ai.response.model on doEmbed).
  embed: {
    ...VERCEL_IDENTITY,
    calls: [{ spanId: '95b52d54b18eb469', spanType: 'embedding' }],
    recordedModel: 'request',
    provider: 'openai',
    wrappers: [{ spanId: '73e12c5bd984c1ce', inputTokensAttribute: 'ai.usage.tokens' }],
    tools: [],
    messages: false,
    agent: 'embed-one',
  },
  'embed-many': {
    ...VERCEL_IDENTITY,
    calls: [{ spanId: '9b28a7c1efb99989', spanType: 'embedding' }],
    recordedModel: 'request',
    provider: 'openai',
    wrappers: [{ spanId: '55d1a6a29eb1f1c9', inputTokensAttribute: 'ai.usage.tokens' }],
    tools: [],
    messages: false,
    agent: 'embed-many',
  },
};

describe(`recorded ${LIBRARY} → cairn serve → query API`, () => {
  useCairnServer();
  everyScenarioReplayed(LIBRARY, Object.keys(SCENARIOS));

  for (const [name, expected] of Object.entries(SCENARIOS)) {
    describe(name, () => {
      const scenario = replayedScenario(LIBRARY, name);
      frameworkChecks(scenario, expected);

      if (name === 'generate-text-tool-call') {
        it('shows the tool call with its arguments and result, and the follow-up call reading the result', async () => {
          const call = scenario.manifest.fakeOpenAI[0]!.toolCalls[0]!;
          const tool = await scenario.detail('1f0f0a956d2d4864');
          assert.deepEqual(tool.input, JSON.parse(call.arguments));
          assert.deepEqual(tool.output, { location: 'Paris', temperatureC: 18, condition: 'sunny' });
          const input = (await scenario.detail('f6f33a2f29a5ca9a')).input as { role: string; parts: { type: string }[] }[];
          assert.deepEqual(input.map((message) => [message.role, message.parts.map((part) => part.type)]), [['system', ['text']], ['user', ['text']], ['assistant', ['tool_call']], ['tool', ['tool_result']]]);
        });
      }

      if (name === 'stream-text') {
        it('keeps the stream events on the doStream span', async () => {
          const { events } = await scenario.detail('4534ece3065a413c');
          assert.deepEqual(events.map((event) => event.name), ['ai.stream.firstChunk', 'ai.stream.finish']);
        });
      }
    });
  }
});

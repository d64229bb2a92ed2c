// Traceloop's node-server-sdk 0.27 (OpenLLMetry), replayed into a real `cairn serve`: its own
// workflow / agent / tool / task spans around instrumented `openai` calls, and its processor
// rewriting Vercel AI SDK spans, where the ai.generateText wrapper gets the same name as the calls.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameworkChecks, type FrameworkExpectations } from './framework-checks.js';
import { everyScenarioReplayed, replayedScenario, useCairnServer } from './recorded-fixture-support.js';

const LIBRARY = 'traceloop-node-server-sdk';

// traceloop.association.properties session_id / user_id, on every span.
const TRACELOOP_IDENTITY = { sessionId: 'session-traceloop-1', userId: 'user-traceloop-42', errors: [] };

const SCENARIOS: Record<string, FrameworkExpectations> = {
  'workflow-agent-tool': {
    ...TRACELOOP_IDENTITY,
    // `chat gpt-4o-mini` ×3: the tool call and the answer inside weather_agent.agent, then the summary inside summarize.task.
    calls: [{ spanId: 'ee20c82a3d6ddf3e', spanType: 'llm' }, { spanId: '9758587688e86aed', spanType: 'llm' }, { spanId: '83eec7f193be9b91', spanType: 'llm' }],
    recordedModel: 'response',
    provider: 'openai',
    // weather_report.workflow, weather_agent.agent and summarize.task carry no usage of their own.
    wrappers: [],
    // withTool records no call id.
    tools: [{ spanId: 'df93c5df6906c72a', name: 'get_weather', callId: null }],
    messages: true,
    agent: 'weather_agent',
  },
  'vercel-ai-generate-text': {
    ...TRACELOOP_IDENTITY,
    // The rewritten doGenerate spans, also named `chat gpt-4o-mini`.
    calls: [{ spanId: '295eb497afbbc8af', spanType: 'llm' }, { spanId: '147a2ce09348aea0', spanType: 'llm' }],
    recordedModel: 'response',
    provider: 'openai',
    // The rewritten ai.generateText: named `chat gpt-4o-mini` like the calls, told apart only by
    // ai.operationId ai.generateText; the sum in ai.usage.*, no gen_ai.usage.*.
    wrappers: [{ spanId: 'a87eb996ee3bd5ac', inputTokensAttribute: 'ai.usage.inputTokens', outputTokensAttribute: 'ai.usage.outputTokens' }],
    tools: [{ spanId: '81fe97ec1e4e51db', name: 'get_weather', callId: 'call_fake_1' }],
    messages: true,
    agent: 'weather-agent',
  },
};

describe(`recorded ${LIBRARY} → cairn serve → query API`, () => {
  useCairnServer();
  everyScenarioReplayed(LIBRARY, Object.keys(SCENARIOS));

  for (const [name, expected] of Object.entries(SCENARIOS)) {
    describe(name, () => {
      const scenario = replayedScenario(LIBRARY, name);
      frameworkChecks(scenario, expected);

      if (name === 'workflow-agent-tool') {
        it('types the workflow, agent and task spans from traceloop.span.kind, none of them a model call', async () => {
          const { spans } = await scenario.trace();
          const typeOf = (spanName: string) => spans.find((span) => span.name === spanName)?.spanType;
          assert.deepEqual([typeOf('weather_agent.agent'), typeOf('get_weather.tool')], ['agent', 'tool']);
          for (const wrapper of ['weather_report.workflow', 'summarize.task']) assert.ok(['agent', 'chain'].includes(typeOf(wrapper)!), `${wrapper} is ${typeOf(wrapper)}`);
        });
      }
    });
  }
});

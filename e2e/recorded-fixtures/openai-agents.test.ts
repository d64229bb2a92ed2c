// The OpenAI Agents SDK (@openai/agents 0.14.3, chat-completions model) traced by OpenInference's
// TracingProcessor (0.2.15), recorded against the fake OpenAI server and replayed into a real
// `cairn serve`. Per trace: model calls, tool calls, tokens (the fake's usage, counted once),
// models, tool names, session and user, agents, errors.

import { describe } from 'node:test';
import { agentRunChecks, type AgentRunExpectations } from './agent-run-checks.js';
import { everyScenarioReplayed, replayedScenario, useCairnServer } from './recorded-fixture-support.js';

const LIBRARY = 'openinference-instrumentation-openai-agents';

// setSession / setUser of @arizeai/openinference-core. The SDK's trace is the root (`Agent
// workflow`, kind AGENT), its workflow span a CHAIN of the same name, then the agent span
// (AGENT, named after the agent), one `turn` CHAIN per model call with the `generation` LLM span
// and the `function` TOOL spans under it.
const SCENARIOS: Record<string, AgentRunExpectations> = {
  'agent-tool-calls': {
    sessionId: 'session-oi-agents-1',
    userId: 'user-oi-agents-42',
    root: { spanId: '7e31e5e46e894936', name: 'Agent workflow', spanType: 'agent' },
    agents: ['weather_agent'],
    provider: 'openai',
    calls: ['c6eaaebcda320578', '5112d1767f1f91f9'],
    tools: [{ spanId: '69da5a02b4d1aa0c', name: 'get_weather' }, { spanId: 'b98c5a75869e23e9', name: 'get_time' }],
    errors: [],
  },
  'provider-error': {
    sessionId: 'session-oi-agents-1',
    userId: 'user-oi-agents-42',
    // @openai/agents-core 0.14.3 ends a trace only when the run succeeds (_wrapFunctionWithTraceLifecycle),
    // and the processor's fallback (end the root when a top-level agent span fails) misses because
    // the agent's parent is the workflow span: the root span is never ended, so never exported.
    root: null,
    agents: ['summary_agent'],
    provider: 'openai',
    calls: ['10d03e9ffed021e1'],
    tools: [],
    // The error travels up: the generation, its turn, the agent and the workflow span all fail.
    errors: [
      { spanId: '10d03e9ffed021e1', messageStart: '500 The fake provider failed on purpose' },
      { spanId: 'f677329f67df5ef4', messageStart: 'Error in agent run: {"error":"Error: 500 The fake provider failed on purpose"}' },
      { spanId: '92d9bfb6ba6f5000', messageStart: 'Error in agent run: {"error":"Error: 500 The fake provider failed on purpose"}' },
      { spanId: 'abace34154b47927', messageStart: 'Error in agent run: {"error":"Error: 500 The fake provider failed on purpose"}' },
    ],
  },
};

describe('recorded OpenAI Agents SDK (OpenInference) → cairn serve → query API', () => {
  useCairnServer();
  describe(LIBRARY, () => {
    everyScenarioReplayed(LIBRARY, Object.keys(SCENARIOS));
    for (const [name, expected] of Object.entries(SCENARIOS)) {
      describe(name, () => {
        agentRunChecks(replayedScenario(LIBRARY, name), expected);
      });
    }
  });
});

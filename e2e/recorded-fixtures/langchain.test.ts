// LangChain.js (@langchain/core 1.2.13, @langchain/openai 1.5.8 ChatOpenAI) instrumented by
// OpenInference (4.1.1), recorded against the fake OpenAI server and replayed into a real
// `cairn serve`. Per trace: model calls, tool calls, tokens (the fake's usage, counted once),
// models, tool names, session and user, errors. The fake's answers (manifest fakeOpenAI) and its
// on-purpose HTTP 500s (fakeFailures: a model call with no tokens) are the truth.

import { describe } from 'node:test';
import { agentRunChecks, type AgentRunExpectations } from './agent-run-checks.js';
import { everyScenarioReplayed, replayedScenario, useCairnServer } from './recorded-fixture-support.js';

const FAKE_500 = '500 The fake provider failed on purpose';

const LIBRARIES: Record<string, Record<string, AgentRunExpectations>> = {
  // LangChainInstrumentation.manuallyInstrument(callbacks manager); run metadata session_id / user_id.
  'openinference-instrumentation-langchain': {
    'agent-tool-calls': {
      sessionId: 'session-oi-langchain-1',
      userId: 'user-oi-langchain-42',
      root: { spanId: '4627df1aa2fe4b4d', name: 'weather_agent', spanType: 'chain' },
      agents: [],
      provider: 'openai',
      calls: ['0dee87ed1239cf71', '46f29de53eaa63ec'],
      tools: [{ spanId: '4aef62fb24870b82', name: 'get_weather' }, { spanId: 'f3651e8aa40e4cff', name: 'get_time' }],
      errors: [],
    },
    'provider-error': {
      sessionId: 'session-oi-langchain-1',
      userId: 'user-oi-langchain-42',
      root: { spanId: '71d1c064aec4202f', name: 'summary_agent', spanType: 'chain' },
      agents: [],
      provider: 'openai',
      calls: ['e01706c9a4a86a95'],
      tools: [],
      // The library appends the error's stack (absolute paths of the recording machine) to the message.
      errors: [{ spanId: 'e01706c9a4a86a95', messageStart: FAKE_500 }],
    },
  },
  // Traceloop.initialize (langchain and openAI instrumented) + withWorkflow weather_report with the
  // association properties. Its LangChain spans ignore the run tree: every span is a child of the
  // workflow span, and the `openai` client's own `chat gpt-4o-mini` span is a SIBLING of LangChain's
  // `chat gpt-4o-mini` span for the same call, both with gen_ai.usage.*.
  'traceloop-instrumentation-langchain': {
    'agent-tool-calls': {
      sessionId: 'session-tl-langchain-1',
      userId: 'user-tl-langchain-42',
      root: { spanId: 'ab342d6e9d9782dc', name: 'weather_report.workflow', spanType: 'chain' },
      agents: [],
      provider: 'openai',
      calls: ['32f220aa2d793565', 'ef4597478be153de'],
      tools: [{ spanId: '16d964f5564fe636', name: 'get_weather' }, { spanId: '4c514f8cdc93ba8d', name: 'get_time' }],
      errors: [],
    },
    'provider-error': {
      sessionId: 'session-tl-langchain-1',
      userId: 'user-tl-langchain-42',
      root: { spanId: '9fed3fd79ae48092', name: 'weather_report.workflow', spanType: 'chain' },
      agents: [],
      provider: 'openai',
      // Traceloop's openai instrumentation sends no span for the failed call: LangChain's is the only one.
      calls: ['58fbe6f3b7a42a0b'],
      tools: [],
      errors: [{ spanId: '58fbe6f3b7a42a0b', messageStart: FAKE_500 }],
    },
  },
};

describe('recorded LangChain instrumentations → cairn serve → query API', () => {
  useCairnServer();
  for (const [library, scenarios] of Object.entries(LIBRARIES)) {
    describe(library, () => {
      everyScenarioReplayed(library, Object.keys(scenarios));
      for (const [name, expected] of Object.entries(scenarios)) {
        describe(name, () => {
          agentRunChecks(replayedScenario(library, name), expected);
        });
      }
    });
  }
});

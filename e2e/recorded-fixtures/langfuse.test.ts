// Langfuse JS v4 and v5 (@langfuse/tracing + @langfuse/otel), replayed into a real `cairn serve`
// over OTLP/JSON at /api/public/otel/v1/traces. Both record the same scenario: generations with
// usage_details, a tool, an event at WARNING level, and a span whose Langfuse level is ERROR while
// its OTel status stays UNSET: a user must still see it as the trace's error.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameworkChecks, type FrameworkExpectations } from './framework-checks.js';
import { everyScenarioReplayed, replayedScenario, useCairnServer } from './recorded-fixture-support.js';

const SCENARIO = 'trace-generation-tool-error';

/** The span ids of each recording (fixtures/record/deterministic-id-generator.ts). */
const SPAN_IDS = {
  'langfuse-v4': { planCall: '6a121ebd95aef6a1', getWeather: 'd5c05072e20acabf', cacheMiss: '5f98324c05c97880', forecastLookup: 'd7fcad545293f442', answerCall: 'a0d1c0f46604ad6c' },
  'langfuse-v5': { planCall: 'e3b7718e61364998', getWeather: '5636841f6632ff20', cacheMiss: 'fb8dd8680a811f65', forecastLookup: '2476fb0f1404b738', answerCall: '0d740cf50b854f0e' },
};

function expectations(library: keyof typeof SPAN_IDS): FrameworkExpectations {
  const ids = SPAN_IDS[library];
  const version = library.slice('langfuse-'.length);
  return {
    calls: [{ spanId: ids.planCall, spanType: 'llm' }, { spanId: ids.answerCall, spanType: 'llm' }],
    // model.name is set from the response, so it is the fake's dated answer.
    recordedModel: 'response',
    // The generations carry no provider attribute.
    provider: null,
    // weather-request (the root) carries no usage.
    wrappers: [],
    // A Langfuse tool observation has no call id.
    tools: [{ spanId: ids.getWeather, name: 'get_weather', callId: null }],
    messages: true,
    agent: null,
    sessionId: `session-langfuse-${version}`,
    userId: `user-langfuse-${version}`,
    errors: [{ spanId: ids.forecastLookup, message: 'forecast service unavailable (503)' }],
    notErrors: [ids.cacheMiss],
  };
}

describe('recorded Langfuse JS → cairn serve → query API', () => {
  useCairnServer();

  for (const library of ['langfuse-v4', 'langfuse-v5'] as const) {
    describe(library, () => {
      everyScenarioReplayed(library, [SCENARIO]);

      describe(SCENARIO, () => {
        const scenario = replayedScenario(library, SCENARIO);
        frameworkChecks(scenario, expectations(library));

        it('keeps the WARNING event and the ERROR level raw; the SDK set no OTel error status', async () => {
          const ids = SPAN_IDS[library];
          const warning = await scenario.detail(ids.cacheMiss);
          assert.equal(warning.attributes['langfuse.observation.level'], 'WARNING');
          assert.notEqual(warning.status.code, 'error');
          const failed = await scenario.detail(ids.forecastLookup);
          assert.equal(failed.attributes['langfuse.observation.level'], 'ERROR');
          // So the error the user sees comes from the level, not from the span status.
          assert.equal(scenario.manifest.spans.find((span) => span.spanId === ids.forecastLookup)?.status, null);
        });
      });
    });
  }
});

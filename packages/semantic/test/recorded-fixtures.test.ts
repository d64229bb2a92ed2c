// Every recorded fixture (fixtures/recorded/<library>/<scenario>: OTLP bodies sent by the real
// library against the fake OpenAI server) decoded and normalized: per trace, model calls, tool
// calls, token totals over llm/embedding spans, models, tool names, sessions and errors must
// equal the fake's call-by-call truth in manifest.json — each token counted exactly once.

import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SpanRecord, WireSpan } from '@cairn/model';
import { decodeLogsJson, decodeLogsProtobuf, decodeTracesJson, decodeTracesProtobuf } from '@cairn/otlp';
import { demoteWrappingModelCalls, deriveSpanContent, explainSpan, normalizeSpan } from '../src/index.js';

const RECORDED = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/recorded');

interface Manifest {
  files: { file: string; path: string; contentType: string }[];
  fakeOpenAI: { endpoint: string; requestModel: string; responseModel: string; inputTokens: number; outputTokens: number; toolCalls: { name: string }[] }[];
}

/** Spans with their log-record events merged in by span id, as a store's read path does. */
function loadScenario(library: string, scenario: string): { manifest: Manifest; spans: WireSpan[] } {
  const dir = path.join(RECORDED, library, scenario);
  const raw = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest & { fakeAnthropic?: Manifest['fakeOpenAI']; fakeFailures?: { requestModel: string }[] };
  // A scenario calls one fake provider: the Anthropic fake's answers are the truth where it has
  // them. A call the fake failed on purpose (HTTP 500) is still a model call: no tokens, the request model.
  const failed = (raw.fakeFailures ?? []).map((failure) => ({ endpoint: 'failed', requestModel: failure.requestModel, responseModel: failure.requestModel, inputTokens: 0, outputTokens: 0, toolCalls: [] }));
  const manifest: Manifest = { ...raw, fakeOpenAI: [...raw.fakeOpenAI, ...(raw.fakeAnthropic ?? []), ...failed] };
  const spans: WireSpan[] = [];
  const events = new Map<string, WireSpan['events']>();
  for (const file of manifest.files) {
    const body = fs.readFileSync(path.join(dir, file.file));
    const json = file.contentType.includes('json');
    if (file.path.endsWith('/logs')) {
      for (const decoded of (json ? decodeLogsJson(body) : decodeLogsProtobuf(body)).events) {
        const list = events.get(decoded.spanId) ?? [];
        list.push(decoded.event);
        events.set(decoded.spanId, list);
      }
    } else spans.push(...(json ? decodeTracesJson(body) : decodeTracesProtobuf(body)).spans);
  }
  return { manifest, spans: spans.map((span) => ({ ...span, events: [...span.events, ...(events.get(span.spanId) ?? [])] })) };
}

const CONTEXT = { projectId: 'p', receivedUnixNano: 1n };

interface Totals {
  modelCalls: number;
  inputTokens: number;
  outputTokens: number;
  models: string[];
  tools: string[];
}

function totalsOf(records: SpanRecord[]): Totals {
  const calls = records.filter((record) => record.spanType === 'llm' || record.spanType === 'embedding');
  return {
    modelCalls: calls.length,
    inputTokens: calls.reduce((sum, record) => sum + record.usage.inputTokens, 0),
    outputTokens: calls.reduce((sum, record) => sum + record.usage.outputTokens, 0),
    models: [...new Set(calls.map((record) => record.model ?? ''))].sort(),
    tools: records.filter((record) => record.spanType === 'tool').map((record) => record.toolName ?? '').sort(),
  };
}

function truthOf(manifest: Manifest): Totals {
  return {
    modelCalls: manifest.fakeOpenAI.length,
    inputTokens: manifest.fakeOpenAI.reduce((sum, call) => sum + call.inputTokens, 0),
    outputTokens: manifest.fakeOpenAI.reduce((sum, call) => sum + call.outputTokens, 0),
    models: [...new Set(manifest.fakeOpenAI.map((call) => call.responseModel))].sort(),
    tools: manifest.fakeOpenAI.flatMap((call) => call.toolCalls.map((toolCall) => toolCall.name)).sort(),
  };
}

/** Scenarios where the library itself does not record what the fake answered (see fixtures/README.md). */
const LIBRARY_GAPS: Record<string, Partial<Totals>> = {
  // OpenInference 4.2.7: streams record no usage and the request model; embeddings no usage.
  'openinference-instrumentation-openai/chat-streaming': { inputTokens: 0, outputTokens: 0, models: ['gpt-4o-mini'] },
  'openinference-instrumentation-openai/embeddings': { inputTokens: 0, outputTokens: 0, models: ['text-embedding-3-small'] },
  // Vercel AI SDK embed spans carry the request model only.
  'vercel-ai-sdk/embed': { models: ['text-embedding-3-small'] },
  'vercel-ai-sdk/embed-many': { models: ['text-embedding-3-small'] },
};

/** Tool spans each library records (the fake's tool calls, run by the app or the framework). */
const TOOL_SPANS: Record<string, string[]> = {
  'opentelemetry-instrumentation-openai': [],
  'openinference-instrumentation-openai': [],
};

const libraries = fs.existsSync(RECORDED) ? fs.readdirSync(RECORDED).sort() : [];

describe('recorded fixtures: tokens and calls counted once', () => {
  for (const library of libraries) {
    for (const scenario of fs.readdirSync(path.join(RECORDED, library)).sort()) {
      it(`${library}/${scenario}`, () => {
        const { manifest, spans } = loadScenario(library, scenario);
        // As ingest does: span by span, then one call recorded twice (nested, or as a sibling
        // by another instrumentation) is counted once.
        const records = spans.map((span) => normalizeSpan(span, CONTEXT));
        demoteWrappingModelCalls(records);
        const expected = { ...truthOf(manifest), ...LIBRARY_GAPS[`${library}/${scenario}`] };
        if (TOOL_SPANS[library] !== undefined) expected.tools = TOOL_SPANS[library];
        assert.deepEqual(totalsOf(records), expected);
        for (const span of spans) {
          const explanation = explainSpan(span);
          assert.doesNotThrow(() => JSON.stringify(explanation), 'explain output is JSON');
        }
      });
    }
  }
});

describe('recorded fixtures: sessions, users and errors', () => {
  const sessionsOf = (library: string, scenario: string) => {
    const records = loadScenario(library, scenario).spans.map((span) => normalizeSpan(span, CONTEXT));
    return {
      sessions: [...new Set(records.map((record) => record.sessionId))],
      users: [...new Set(records.map((record) => record.userId))],
      errors: records.filter((record) => record.status.code === 'error').map((record) => record.name),
      records,
    };
  };

  it('Langfuse v4 and v5: session, user and tags on every span; level=ERROR is an error, raw status kept', () => {
    for (const version of ['v4', 'v5']) {
      const { sessions, users, errors, records } = sessionsOf(`langfuse-${version}`, 'trace-generation-tool-error');
      assert.deepEqual(sessions, [`session-langfuse-${version}`]);
      assert.deepEqual(users, [`user-langfuse-${version}`]);
      assert.deepEqual(errors, ['forecast-lookup']);
      const failed = records.find((record) => record.name === 'forecast-lookup')!;
      assert.deepEqual(failed.rawStatus?.code, 'unset');
      assert.ok(records.every((record) => (record.tags ?? []).length > 0), 'trace tags reach every span');
    }
  });

  it('Traceloop: association properties give session and user; the agent and tool are named', () => {
    const { sessions, users, records } = sessionsOf('traceloop-node-server-sdk', 'workflow-agent-tool');
    assert.deepEqual(sessions, ['session-traceloop-1']);
    assert.deepEqual(users, ['user-traceloop-42']);
    assert.equal(records.find((record) => record.spanType === 'agent')?.agentName, 'weather_agent');
  });

  it('Vercel AI SDK: metadata gives session and user; the outer generateText is an agent that counts nothing', () => {
    const { sessions, users, records } = sessionsOf('vercel-ai-sdk', 'generate-text-tool-call');
    assert.deepEqual(sessions, ['session-vercel-1']);
    assert.deepEqual(users, ['user-vercel-42']);
    const outer = records.find((record) => record.name === 'ai.generateText')!;
    assert.equal(outer.spanType, 'agent');
    assert.equal(outer.hasUsage, false);
    assert.ok(typeof outer.attributes['ai.usage.inputTokens'] !== 'undefined' || typeof outer.attributes['ai.usage.promptTokens'] !== 'undefined', 'its usage stays raw');
    const steps = records.filter((record) => record.name === 'ai.generateText.doGenerate');
    assert.deepEqual(steps.map((record) => record.finishReasons), [['tool-calls'], ['stop']]);
  });
});

describe('recorded fixtures: messages from detached log records (read-time derivation)', () => {
  const OTEL = 'opentelemetry-instrumentation-openai';

  it('legacy gen_ai.*.message / gen_ai.choice records give input and output messages', () => {
    const { spans } = loadScenario(OTEL, 'chat-completion');
    const call = spans.find((span) => span.attributes['gen_ai.operation.name'] === 'chat')!;
    const content = deriveSpanContent(call);
    assert.deepEqual(content.input, [
      { role: 'system', parts: [{ type: 'text', text: 'You are a terse assistant.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Say hello to Cairn.' }] },
    ]);
    assert.equal(content.inputPreview, 'Say hello to Cairn.');
    assert.equal((content.output as { role: string }[])[0]?.role, 'assistant');
  });

  it('Responses API: instructions on the span do not hide the user message of the details record, and the output record is read', () => {
    const { spans } = loadScenario(OTEL, 'responses');
    const call = spans.find((span) => span.attributes['gen_ai.system_instructions'] !== undefined)!;
    const content = deriveSpanContent(call);
    assert.deepEqual(content.input, [
      { role: 'system', parts: [{ type: 'text', text: 'Answer in one sentence.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Name a primary color.' }] },
    ]);
    const output = content.output as { role: string; parts: { type: string }[] }[];
    assert.deepEqual(output.map((message) => [message.role, message.parts.map((part) => part.type)]), [['assistant', ['text']]]);
  });

  it('tool call and tool result become canonical parts', () => {
    const { spans } = loadScenario(OTEL, 'chat-tool-call');
    const calls = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat').sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1));
    const firstOutput = deriveSpanContent(calls[0]!).output as { parts: { type: string; name?: string }[] }[];
    assert.equal(firstOutput[0]?.parts[0]?.type, 'tool_call');
    assert.equal(firstOutput[0]?.parts[0]?.name, 'get_weather');
    const secondInput = deriveSpanContent(calls[1]!).input as { role: string; parts: { type: string }[] }[];
    assert.deepEqual(secondInput.map((message) => [message.role, message.parts.map((part) => part.type)]), [
      ['system', ['text']],
      ['user', ['text']],
      ['assistant', ['tool_call']],
      ['tool', ['tool_result']],
    ]);
  });
});

describe('recorded fixtures: Mastra 0.24 agentic loop', () => {
  const { manifest, spans } = loadScenario('mastra-core', 'agent-tool-call');
  const records = spans.map((span) => normalizeSpan(span, CONTEXT));
  const byStart = (a: SpanRecord, b: SpanRecord) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1);

  it('each llm-execution step is one model call with that call’s usage, response model, provider and finish reason', () => {
    const calls = records.filter((record) => record.spanType === 'llm').sort(byStart);
    assert.deepEqual(calls.map((record) => record.name), ['workflow.executionWorkflow.step.llm-execution', 'workflow.executionWorkflow.step.llm-execution']);
    assert.deepEqual(
      calls.map((record) => [record.usage.inputTokens, record.usage.outputTokens, record.model, record.requestModel, record.provider]),
      manifest.fakeOpenAI.map((call) => [call.inputTokens, call.outputTokens, call.responseModel, call.requestModel, 'openai']),
    );
    assert.deepEqual(calls.map((record) => record.finishReasons), [['tool-calls'], ['stop']]);
    // The gpt-4o-mini price applies to the snapshot the fake answered with.
    assert.ok(calls.every((record) => record.costProvenance?.source === 'table' && (record.costUsd ?? 0) > 0), 'priced from the table');
  });

  it('the calls show the request messages and the answer, tool call included', () => {
    const [first, second] = records.filter((record) => record.spanType === 'llm').sort(byStart);
    const input = first!.input as { role: string; parts: { type: string }[] }[];
    assert.deepEqual(input.map((message) => message.role), ['system', 'user']);
    assert.deepEqual(first!.output, [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'call_fake_1', name: 'get_weather', arguments: { location: 'Paris' } }] }]);
    assert.equal(first!.outputPreview.includes('get_weather'), true, first!.outputPreview);
    const secondInput = second!.input as { role: string }[];
    assert.deepEqual(secondInput.map((message) => message.role), ['system', 'user', 'assistant', 'tool']);
  });

  it('wrappers that repeat the usage (mastra.stream, the loop doStream, other steps, agent.stream) are not model calls and carry no tokens', () => {
    for (const name of ['mastra.stream', 'mastra.stream.aisdk.doStream', 'workflow.executionWorkflow.step.add-response-to-messagelist', 'workflow.agentic-loop.step.executionWorkflow', 'agent.stream']) {
      const wrappers = records.filter((record) => record.name === name);
      assert.ok(wrappers.length > 0, name);
      for (const record of wrappers) {
        assert.ok(!['llm', 'embedding'].includes(record.spanType), `${name} is ${record.spanType}`);
        assert.equal(record.usage.inputTokens + record.usage.outputTokens, 0, `${name} counts no tokens`);
      }
    }
  });

  it('explain names the JSON path each usage count came from', () => {
    const call = spans.find((span) => span.name === 'workflow.executionWorkflow.step.llm-execution')!;
    const explanation = JSON.stringify(explainSpan(call));
    assert.ok(explanation.includes('workflow.executionWorkflow.step.llm-execution.result → output.usage.inputTokens'), explanation.slice(0, 400));
  });
});

// Spans in the current OTel GenAI form (≥1.37), produced by the real OpenTelemetry JS SDK.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import type { SpanRecord } from '@cairn/model';
import { normalizeSpan } from '../src/index.js';
import { CONTEXT } from './helpers/wire-span.js';
import { recordSdkSpans } from './helpers/sdk-spans.js';

async function normalizeSdkSpans(produce: Parameters<typeof recordSdkSpans>[0]): Promise<SpanRecord[]> {
  const spans = await recordSdkSpans(produce);
  return spans.map((span) => normalizeSpan(span, CONTEXT));
}

const INPUT_MESSAGES = [
  { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
  { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
  { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'rainy, 57°F' }] },
  { role: 'user', parts: [{ type: 'text', content: 'And\n\n   tomorrow?  ' }] },
];

await test('current gen_ai chat span', async (t) => {
  await t.test('fills model, provider, usage, messages and previews', async () => {
    const [record] = await normalizeSdkSpans((tracer) => {
      tracer
        .startSpan('chat gpt-4o', {
          kind: SpanKind.CLIENT,
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o',
            'gen_ai.response.model': 'gpt-4o-2024-08-06',
            'gen_ai.conversation.id': 'conv-1',
            'gen_ai.usage.input_tokens': 120,
            'gen_ai.usage.output_tokens': 35,
            'gen_ai.usage.cache_read.input_tokens': 100,
            'gen_ai.usage.cache_creation.input_tokens': 4,
            'gen_ai.usage.reasoning.output_tokens': 10,
            'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'You are a weather bot.' }]),
            'gen_ai.input.messages': JSON.stringify(INPUT_MESSAGES),
            'gen_ai.output.messages': JSON.stringify([
              {
                role: 'assistant',
                parts: [{ type: 'tool_call', id: 'call_2', name: 'get_weather', arguments: { city: 'Paris', day: 'tomorrow' } }],
                finish_reason: 'tool_call',
              },
            ]),
          },
        })
        .end();
    });
    assert.ok(record);
    assert.equal(record.spanType, 'llm');
    assert.equal(record.serviceName, 'sdk-service');
    assert.equal(record.projectId, 'default');
    assert.equal(record.model, 'gpt-4o-2024-08-06');
    assert.equal(record.requestModel, 'gpt-4o');
    assert.equal(record.provider, 'openai');
    assert.equal(record.operation, 'chat');
    assert.equal(record.sessionId, 'conv-1');
    assert.deepEqual(record.usage, {
      inputTokens: 120,
      outputTokens: 35,
      cacheReadTokens: 100,
      cacheWriteTokens: 4,
      reasoningTokens: 10,
    });
    assert.equal(record.hasUsage, true);
    // Priced from the bundled table: 16 fresh + 100 cached + 4 cache-write input, 35 output (docs/costs.md).
    assert.equal(record.costUsd, 0.000525);
    assert.equal(record.costProvenance?.source, 'table');
    assert.deepEqual(record.dialects, ['gen_ai']);
    assert.deepEqual(record.input, [
      { role: 'system', parts: [{ type: 'text', text: 'You are a weather bot.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
      { role: 'tool', parts: [{ type: 'tool_result', id: 'call_1', result: 'rainy, 57°F' }] },
      { role: 'user', parts: [{ type: 'text', text: 'And\n\n   tomorrow?  ' }] },
    ]);
    assert.deepEqual(record.output, [
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_2', name: 'get_weather', arguments: { city: 'Paris', day: 'tomorrow' } }],
      },
    ]);
    assert.equal(record.inputPreview, 'And tomorrow?');
    assert.equal(record.outputPreview, '→ get_weather({"city":"Paris","day":"tomorrow"})');
    // The raw attributes stay exactly as they came.
    assert.equal(record.attributes['gen_ai.input.messages'], JSON.stringify(INPUT_MESSAGES));
    assert.equal(record.attributes['gen_ai.usage.input_tokens'], 120n);
    assert.equal(record.kind, 3);
  });

  await t.test('previews the answer text, not reasoning parts, and accepts tool results under `result`', async () => {
    const [record] = await normalizeSdkSpans((tracer) => {
      tracer
        .startSpan('chat claude', {
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'anthropic',
            'gen_ai.request.model': 'claude-sonnet-4',
            'gen_ai.input.messages': JSON.stringify([
              { role: 'tool', parts: [{ type: 'tool_call_response', id: 't1', result: { temp: 21 } }] },
            ]),
            'gen_ai.output.messages': JSON.stringify([
              {
                role: 'assistant',
                parts: [
                  { type: 'reasoning', content: 'The user wants the weather.' },
                  { type: 'text', content: 'It is 21 °C in Paris.' },
                ],
                finish_reason: 'stop',
              },
            ]),
          },
        })
        .end();
    });
    assert.ok(record);
    assert.deepEqual(record.input, [{ role: 'tool', parts: [{ type: 'tool_result', id: 't1', result: { temp: 21 } }] }]);
    assert.equal(record.inputPreview, '{"temp":21}');
    assert.deepEqual(record.output, [
      {
        role: 'assistant',
        parts: [
          { type: 'text', text: '{"type":"reasoning","content":"The user wants the weather."}' },
          { type: 'text', text: 'It is 21 °C in Paris.' },
        ],
      },
    ]);
    assert.equal(record.outputPreview, 'It is 21 °C in Paris.');
  });

  await t.test('classifies embeddings as one model call and counts its tokens', async () => {
    const [record] = await normalizeSdkSpans((tracer) => {
      tracer
        .startSpan('embeddings text-embedding-3-small', {
          attributes: {
            'gen_ai.operation.name': 'embeddings',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'text-embedding-3-small',
            'gen_ai.usage.input_tokens': 8,
            'gen_ai.embeddings.dimension.count': 1536,
          },
        })
        .end();
    });
    assert.ok(record);
    assert.equal(record.spanType, 'embedding');
    assert.equal(record.model, 'text-embedding-3-small');
    assert.equal(record.usage.inputTokens, 8);
    assert.equal(record.usage.outputTokens, 0);
    assert.equal(record.hasUsage, true);
    assert.equal(record.input, null);
    assert.equal(record.output, null);
    assert.equal(record.inputPreview, '');
  });

  await t.test('takes the input and output of execute_tool spans from the call arguments and result', async () => {
    const records = await normalizeSdkSpans((tracer) => {
      tracer
        .startSpan('execute_tool get_weather', {
          attributes: {
            'gen_ai.operation.name': 'execute_tool',
            'gen_ai.tool.name': 'get_weather',
            'gen_ai.tool.call.id': 'call_2',
            'gen_ai.tool.call.arguments': '{"city": "Paris"}',
            'gen_ai.tool.call.result': '{"temp": 21, "sky": "sunny"}',
          },
        })
        .end();
      tracer
        .startSpan('execute_tool lookup', {
          attributes: {
            'gen_ai.operation.name': 'execute_tool',
            'gen_ai.tool.name': 'lookup',
            'gen_ai.tool.call.arguments': '{city: Paris',
            'gen_ai.tool.call.result': 'no results',
          },
        })
        .end();
    });
    const [weather, lookup] = records;
    assert.ok(weather && lookup);
    assert.equal(weather.spanType, 'tool');
    assert.equal(weather.toolName, 'get_weather');
    assert.equal(weather.toolCallId, 'call_2');
    assert.deepEqual(weather.input, { city: 'Paris' });
    assert.deepEqual(weather.output, { temp: 21, sky: 'sunny' });
    assert.equal(weather.inputPreview, '{"city":"Paris"}');
    assert.equal(weather.outputPreview, '{"temp":21,"sky":"sunny"}');
    assert.equal(weather.hasUsage, false);
    // Not JSON: kept as the raw text.
    assert.equal(lookup.input, '{city: Paris');
    assert.equal(lookup.output, 'no results');
    assert.equal(lookup.outputPreview, 'no results');
  });

  await t.test('keeps agent rollup tokens out of usage so a trace counts each model call once', async () => {
    const records = await normalizeSdkSpans((tracer) => {
      tracer.startActiveSpan(
        'invoke_agent weather-agent',
        {
          attributes: {
            'gen_ai.operation.name': 'invoke_agent',
            'gen_ai.agent.name': 'weather-agent',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o',
            'gen_ai.usage.input_tokens': 300,
            'gen_ai.usage.output_tokens': 70,
            'cairn.cost_usd': 0.01,
          },
        },
        (agent) => {
          for (const [input, output] of [
            [100, 30],
            [200, 40],
          ] as const) {
            tracer
              .startSpan('chat gpt-4o', {
                attributes: {
                  'gen_ai.operation.name': 'chat',
                  'gen_ai.provider.name': 'openai',
                  'gen_ai.request.model': 'gpt-4o',
                  'gen_ai.usage.input_tokens': input,
                  'gen_ai.usage.output_tokens': output,
                },
              })
              .end();
          }
          agent.end();
        },
      );
    });
    const agent = records.find((record) => record.spanType === 'agent');
    assert.ok(agent);
    assert.equal(agent.agentName, 'weather-agent');
    assert.deepEqual(agent.usage, { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    assert.equal(agent.hasUsage, false);
    assert.equal(agent.costUsd, null);
    assert.equal(agent.attributes['gen_ai.usage.input_tokens'], 300n);
    const totalInput = records.reduce((sum, record) => sum + record.usage.inputTokens, 0);
    const totalOutput = records.reduce((sum, record) => sum + record.usage.outputTokens, 0);
    assert.equal(totalInput, 300);
    assert.equal(totalOutput, 70);
  });

  await t.test('reads retrieval query and documents', async () => {
    const [record] = await normalizeSdkSpans((tracer) => {
      tracer
        .startSpan('retrieval kb', {
          attributes: {
            'gen_ai.operation.name': 'retrieval',
            'gen_ai.data_source.id': 'kb',
            'gen_ai.retrieval.query.text': 'refund policy',
            'gen_ai.retrieval.documents': '[{"id":"doc-1","score":0.92},{"id":"doc-7","score":0.81}]',
          },
        })
        .end();
    });
    assert.ok(record);
    assert.equal(record.spanType, 'retrieval');
    assert.equal(record.input, 'refund policy');
    assert.deepEqual(record.output, [
      { id: 'doc-1', score: 0.92 },
      { id: 'doc-7', score: 0.81 },
    ]);
    assert.equal(record.inputPreview, 'refund policy');
  });

  await t.test('counts an explicit cost on a model call', async () => {
    const [record] = await normalizeSdkSpans((tracer) => {
      tracer
        .startSpan('chat', {
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.cost': 0.0042, 'gen_ai.usage.output_tokens': 5 },
        })
        .end();
    });
    assert.ok(record);
    assert.equal(record.costUsd, 0.0042);
  });
});

// Legacy OTel GenAI forms still emitted by many instrumentations: gen_ai.system, prompt/completion
// token names, per-message events, and the gen_ai.prompt / gen_ai.completion attributes.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { normalizeSpan } from '../src/index.js';
import { recordSdkSpans } from './helpers/sdk-spans.js';
import { CONTEXT, spanEvent, wireSpan } from './helpers/wire-span.js';

await test('legacy gen_ai spans', async (t) => {
  await t.test('reads gen_ai.system, prompt/completion tokens and the per-message span events', async () => {
    const [span] = await recordSdkSpans((tracer) => {
      const chat = tracer.startSpan('chat gpt-35-turbo', {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.system': 'az.ai.openai',
          'gen_ai.request.model': 'gpt-35-turbo',
          'gen_ai.usage.prompt_tokens': 52,
          'gen_ai.usage.completion_tokens': 17,
        },
      });
      chat.addEvent('gen_ai.system.message', { 'gen_ai.system': 'az.ai.openai', content: 'Be brief.' });
      chat.addEvent('gen_ai.user.message', { 'gen_ai.system': 'az.ai.openai', content: 'Weather in Paris?' });
      chat.addEvent('gen_ai.assistant.message', {
        'gen_ai.system': 'az.ai.openai',
        tool_calls: JSON.stringify([
          { id: 'call_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        ]),
      });
      chat.addEvent('gen_ai.tool.message', { 'gen_ai.system': 'az.ai.openai', content: 'rainy', id: 'call_9' });
      chat.addEvent('gen_ai.choice', {
        'gen_ai.system': 'az.ai.openai',
        index: 0,
        finish_reason: 'stop',
        message: JSON.stringify({ role: 'assistant', content: 'Rainy in Paris.' }),
      });
      chat.end();
    });
    assert.ok(span);
    const record = normalizeSpan(span, CONTEXT);
    assert.equal(record.spanType, 'llm');
    assert.equal(record.provider, 'azure.ai.openai');
    assert.equal(record.usage.inputTokens, 52);
    assert.equal(record.usage.outputTokens, 17);
    assert.equal(record.hasUsage, true);
    assert.deepEqual(record.input, [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_9', name: 'get_weather', arguments: { city: 'Paris' } }] },
      { role: 'tool', parts: [{ type: 'tool_result', id: 'call_9', result: 'rainy' }] },
    ]);
    assert.deepEqual(record.output, [{ role: 'assistant', parts: [{ type: 'text', text: 'Rainy in Paris.' }] }]);
    assert.equal(record.inputPreview, 'Weather in Paris?');
    assert.equal(record.outputPreview, 'Rainy in Paris.');
    assert.deepEqual(record.dialects, ['gen_ai']);
  });

  await t.test('reads event bodies attached as a `body` attribute (log records bridged onto the span)', () => {
    const record = normalizeSpan(
      wireSpan({
        attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai', 'gen_ai.usage.prompt_tokens': '12' },
        events: [
          spanEvent('gen_ai.user.message', { body: { content: 'Hi there' } }),
          spanEvent('gen_ai.choice', {
            body: '{"index":0,"finish_reason":"tool_calls","message":{"tool_calls":[{"id":"c1","type":"function","function":{"name":"search","arguments":"{\\"q\\":\\"otel\\"}"}}]}}',
          }),
        ],
      }),
      CONTEXT,
    );
    assert.equal(record.usage.inputTokens, 12);
    assert.deepEqual(record.input, [{ role: 'user', parts: [{ type: 'text', text: 'Hi there' }] }]);
    assert.deepEqual(record.output, [
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'search', arguments: { q: 'otel' } }] },
    ]);
    assert.equal(record.outputPreview, '→ search({"q":"otel"})');
  });

  await t.test('reads gen_ai.prompt / gen_ai.completion as plain text or message JSON, and guesses llm from model + provider', () => {
    const record = normalizeSpan(
      wireSpan({
        attributes: {
          'gen_ai.system': 'mistralai',
          'gen_ai.request.model': 'mistral-large',
          'gen_ai.prompt': 'Summarize the report.',
          'gen_ai.completion': '[{"role":"assistant","content":"The report says…"}]',
          'gen_ai.usage.prompt_tokens': 9.0,
        },
      }),
      CONTEXT,
    );
    assert.equal(record.spanType, 'llm');
    assert.equal(record.operation, null);
    assert.equal(record.provider, 'mistral_ai');
    assert.equal(record.usage.inputTokens, 9);
    assert.deepEqual(record.input, [{ role: 'user', parts: [{ type: 'text', text: 'Summarize the report.' }] }]);
    assert.deepEqual(record.output, [{ role: 'assistant', parts: [{ type: 'text', text: 'The report says…' }] }]);
  });

  await t.test('reads the ≤1.26 gen_ai.content.prompt / gen_ai.content.completion events', () => {
    const record = normalizeSpan(
      wireSpan({
        attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai' },
        events: [
          spanEvent('gen_ai.content.prompt', { 'gen_ai.prompt': '[{"role":"user","content":"What is OTLP?"}]' }),
          spanEvent('gen_ai.content.completion', { 'gen_ai.completion': '[{"role":"assistant","content":"A protocol."}]' }),
        ],
      }),
      CONTEXT,
    );
    assert.equal(record.inputPreview, 'What is OTLP?');
    assert.equal(record.outputPreview, 'A protocol.');
  });

  await t.test('reads messages from a gen_ai.client.inference.operation.details event', () => {
    const record = normalizeSpan(
      wireSpan({
        attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai' },
        events: [
          spanEvent('gen_ai.client.inference.operation.details', {
            'gen_ai.system_instructions': [{ type: 'text', content: 'Be terse.' }],
            'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'Ping?' }] }],
            'gen_ai.output.messages': [{ role: 'assistant', parts: [{ type: 'text', content: 'Pong.' }], finish_reason: 'stop' }],
          }),
        ],
      }),
      CONTEXT,
    );
    assert.deepEqual(record.input, [
      { role: 'system', parts: [{ type: 'text', text: 'Be terse.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Ping?' }] },
    ]);
    assert.equal(record.outputPreview, 'Pong.');
  });
});

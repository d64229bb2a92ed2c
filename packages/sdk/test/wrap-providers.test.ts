import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startFakeAnthropic, type FakeAnthropicServer } from '../../../fixtures/fake-anthropic/fake-anthropic-server.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../../../fixtures/fake-openai/fake-openai-server.js';
import { agent, wrapAnthropic, wrapOpenAI } from '../src/index.js';
import { byName, collectGarbageUntil, idOf, parentOf, setUpTracing } from './support.js';

const tracing = setUpTracing();
let fakeOpenAI: FakeOpenAIServer;
let fakeAnthropic: FakeAnthropicServer;
let openai: OpenAI;
let anthropic: Anthropic;

before(async () => {
  fakeOpenAI = await startFakeOpenAI();
  fakeAnthropic = await startFakeAnthropic();
  openai = wrapOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: fakeOpenAI.baseUrl, maxRetries: 0 }));
  anthropic = wrapAnthropic(new Anthropic({ apiKey: 'test', baseURL: fakeAnthropic.baseUrl, maxRetries: 0 }));
});
after(async () => {
  await tracing.shutdown();
  await fakeOpenAI.close();
  await fakeAnthropic.close();
});
beforeEach(() => tracing.reset());

const json = (value: unknown) => JSON.parse(String(value)) as unknown;
const weatherTool = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } };

describe('wrapOpenAI (real openai client → fake provider)', () => {
  it('records a chat completion under the current agent span, with tokens and a tool call', async () => {
    const completion = await agent('weather-bot', () =>
      openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'What is the weather in Lyon?' }], tools: [weatherTool] }),
    );
    assert.equal(completion.choices[0]?.message.tool_calls?.[0]?.id, fakeOpenAI.exchanges[0]?.toolCalls[0]?.id);
    const spans = await tracing.spans();
    const span = byName(spans, 'chat gpt-4o-mini');
    assert.equal(parentOf(span), idOf(byName(spans, 'invoke_agent weather-bot')));
    const exchange = fakeOpenAI.exchanges.at(-1)!;
    assert.equal(span.attributes['gen_ai.provider.name'], 'openai');
    assert.equal(span.attributes['gen_ai.response.model'], exchange.responseModel);
    assert.equal(span.attributes['gen_ai.usage.input_tokens'], exchange.inputTokens);
    assert.equal(span.attributes['gen_ai.usage.output_tokens'], exchange.outputTokens);
    assert.deepEqual(span.attributes['gen_ai.response.finish_reasons'], ['tool_calls']);
    assert.deepEqual(json(span.attributes['gen_ai.output.messages']), [
      { role: 'assistant', parts: [{ type: 'tool_call', id: exchange.toolCalls[0]!.id, name: 'get_weather', arguments: { location: 'Lyon' } }], finish_reason: 'tool_calls' },
    ]);
  });

  it('records a streamed completion with time to first chunk and usage from the final chunk', async () => {
    const stream = await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello there' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'Fake reply to: Hello there');
    const span = byName(await tracing.spans(), 'chat gpt-4o');
    const exchange = fakeOpenAI.exchanges.at(-1)!;
    assert.equal(span.attributes['gen_ai.request.stream'], true);
    assert.equal(span.attributes['gen_ai.usage.input_tokens'], exchange.inputTokens);
    assert.equal(span.attributes['gen_ai.usage.output_tokens'], exchange.outputTokens);
    const ttft = Number(span.attributes['gen_ai.response.time_to_first_chunk']);
    assert.ok(ttft > 0 && ttft < 5, `ttft ${ttft}`);
    assert.deepEqual(json(span.attributes['gen_ai.output.messages']), [{ role: 'assistant', parts: [{ type: 'text', content: text }], finish_reason: 'stop' }]);
  });

  it('ends a streamed span once when the caller breaks out early', async () => {
    const stream = await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'one two three four five' }], stream: true });
    for await (const _chunk of stream) break;
    const span = byName(await tracing.spans(), 'chat gpt-4o');
    assert.equal(span.attributes['cairn.stream.abandoned'], true);
  });

  it('asks a stream for usage when the caller did not say, without touching the caller\'s request', async () => {
    const request = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'Count tokens' }], stream: true as const };
    const stream = await openai.chat.completions.create(request);
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.deepEqual(Object.keys(request), ['model', 'messages', 'stream']);
    const exchange = fakeOpenAI.exchanges.at(-1)!;
    assert.equal(chunks.at(-1)?.usage?.prompt_tokens, exchange.inputTokens, 'the last chunk carries usage');
    const span = byName(await tracing.spans(), 'chat gpt-4o');
    assert.equal(span.attributes['gen_ai.usage.input_tokens'], exchange.inputTokens);
    assert.equal(span.attributes['gen_ai.usage.output_tokens'], exchange.outputTokens);
  });

  it('keeps an explicit include_usage: false', async () => {
    const stream = await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'No usage' }], stream: true, stream_options: { include_usage: false } });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.ok(chunks.every((chunk) => !chunk.usage));
    const span = byName(await tracing.spans(), 'chat gpt-4o');
    assert.equal(span.attributes['gen_ai.usage.input_tokens'], undefined);
  });

  it('ends the span of a stream that is never iterated once the app drops it', async () => {
    const open = async () => {
      const stream = await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Nobody reads this' }], stream: true });
      return stream.controller;
    };
    const controller = await open();
    const ended = await collectGarbageUntil(async () => (await tracing.spans()).length > 0);
    controller.abort();
    assert.ok(ended, 'the span ends once the stream is collected');
    const span = byName(await tracing.spans(), 'chat gpt-4o');
    assert.equal(span.attributes['cairn.stream.abandoned'], true);
    assert.equal(span.attributes['cairn.stream.chunks'], 0);
  });

  it('records the Responses API and embeddings', async () => {
    const response = await openai.responses.create({ model: 'gpt-4.1', instructions: 'Be brief.', input: 'Say hi' });
    await openai.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'], dimensions: 8 });
    const spans = await tracing.spans();
    const chat = byName(spans, 'chat gpt-4.1');
    assert.equal(chat.attributes['gen_ai.response.id'], response.id);
    assert.equal(chat.attributes['gen_ai.usage.output_tokens'], response.usage?.output_tokens);
    assert.deepEqual(json(chat.attributes['gen_ai.output.messages']), [{ role: 'assistant', parts: [{ type: 'text', content: response.output_text }] }]);
    const embed = byName(spans, 'embeddings text-embedding-3-small');
    assert.equal(embed.attributes['gen_ai.operation.name'], 'embeddings');
    assert.equal(embed.attributes['gen_ai.embeddings.dimension.count'], 8);
    assert.equal(embed.attributes['gen_ai.usage.input_tokens'], fakeOpenAI.exchanges.at(-1)!.inputTokens);
  });

  it('records provider errors on the span and rethrows the client error', async () => {
    await assert.rejects(openai.chat.completions.create({ messages: [{ role: 'user', content: 'x' }] } as never), OpenAI.APIError);
    const spans = await tracing.spans();
    assert.equal(spans.length, 1);
    assert.equal(spans[0]!.status.code, 2);
    assert.equal(spans[0]!.attributes['error.type'], 'BadRequestError');
  });
});

describe('wrapAnthropic (real @anthropic-ai/sdk client → fake provider)', () => {
  it('records messages with tool use and counts tokens once (built-in spans off)', async () => {
    const message = await anthropic.messages.create({
      model: 'claude-sonnet-4', max_tokens: 100, system: 'You are a weather bot.',
      messages: [{ role: 'user', content: 'What is the weather in Oslo?' }],
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { location: { type: 'string' } } } }],
    });
    const spans = await tracing.spans();
    assert.equal(spans.length, 1, spans.map((span) => span.name).join(', '));
    const span = spans[0]!;
    assert.equal(span.name, 'chat claude-sonnet-4');
    assert.equal(span.attributes['gen_ai.provider.name'], 'anthropic');
    assert.equal(span.attributes['gen_ai.response.model'], message.model);
    assert.equal(span.attributes['gen_ai.usage.input_tokens'], message.usage.input_tokens);
    assert.deepEqual(span.attributes['gen_ai.response.finish_reasons'], ['tool_use']);
    assert.deepEqual(json(span.attributes['gen_ai.system_instructions']), [{ type: 'text', content: 'You are a weather bot.' }]);
    assert.deepEqual(json(span.attributes['gen_ai.output.messages']), [
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'toolu_fake_1', name: 'get_weather', arguments: { location: 'Oslo' } }], finish_reason: 'tool_use' },
    ]);
  });

  it('records a streamed message (create with stream and the messages.stream helper)', async () => {
    const stream = await anthropic.messages.create({ model: 'claude-haiku', max_tokens: 50, messages: [{ role: 'user', content: 'Hi there' }], stream: true });
    let text = '';
    for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    const final = await anthropic.messages.stream({ model: 'claude-opus', max_tokens: 50, messages: [{ role: 'user', content: 'Bye' }] }).finalMessage();
    const spans = await tracing.spans();
    const first = byName(spans, 'chat claude-haiku');
    assert.equal(text, 'Fake reply to: Hi there');
    assert.deepEqual(json(first.attributes['gen_ai.output.messages']), [{ role: 'assistant', parts: [{ type: 'text', content: text }], finish_reason: 'end_turn' }]);
    assert.ok(Number(first.attributes['gen_ai.response.time_to_first_chunk']) > 0);
    assert.equal(first.attributes['gen_ai.usage.output_tokens'], Math.ceil(text.length / 4));
    const second = byName(spans, 'chat claude-opus');
    assert.equal(second.attributes['gen_ai.usage.output_tokens'], final.usage.output_tokens);
    assert.equal(second.attributes['gen_ai.response.id'], final.id);
  });
});

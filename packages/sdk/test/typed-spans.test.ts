import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanStatusCode } from '@opentelemetry/api';
import { agent, type CairnSpan, chain, embedding, evaluation, events, guardrail, llm, observe, reranker, retrieval, session, step, tool, user, voice } from '../src/index.js';
import { byName, collectGarbageUntil, idOf, parentOf, setUpTracing, warnings } from './support.js';

const tracing = setUpTracing();
after(() => tracing.shutdown());
beforeEach(() => {
  tracing.reset();
  warnings.length = 0;
});

describe('typed spans', () => {
  it('emits GenAI attributes per type, with session and user on every span below, parents kept across await', async () => {
    const answer = await session('sess-1', () =>
      user('user-7', () =>
        agent('planner', async () => {
          await sleep(2);
          const text = await llm({ model: 'gpt-4o', provider: 'openai', prompt: { name: 'plan', version: 3, template: 'Plan {{goal}}' } }, async (span) => {
            await sleep(1);
            span.setInput('What is 2+2?').setOutput('4').setUsage({ inputTokens: 12, outputTokens: 1 }).setResponseModel('gpt-4o-2024-08-06');
            return '4';
          });
          await tool({ name: 'calculator', callId: 'call_1' }, async (span) => {
            await sleep(1);
            span.setInput({ expression: '2+2' }).setOutput(4);
          });
          await retrieval({ dataSource: 'docs' }, async (span) => span.setInput('query').setOutput([{ id: 'd1', score: 0.9 }]));
          embedding({ model: 'text-embedding-3-small', provider: 'openai' }, () => undefined);
          reranker({ model: 'rerank-v3', provider: 'cohere' }, () => undefined);
          guardrail('pii-check', () => undefined);
          evaluation('faithfulness', () => undefined);
          voice({ operation: 'transcribe', codec: 'opus', sampleRateHz: 16000, language: 'en', confidence: 0.93 }, (span) => events.bargeIn({ atMillis: 120 }, span));
          chain('pipeline', () => step('normalize', () => undefined));
          return text;
        }),
      ),
    );
    assert.equal(answer, '4');
    const spans = await tracing.spans();
    const root = byName(spans, 'invoke_agent planner');
    const model = byName(spans, 'chat gpt-4o');
    const calc = byName(spans, 'execute_tool calculator');
    assert.equal(parentOf(model), idOf(root));
    assert.equal(parentOf(calc), idOf(root));
    assert.equal(parentOf(byName(spans, 'normalize')), idOf(byName(spans, 'invoke_workflow pipeline')));
    for (const span of spans) {
      assert.equal(span.attributes['gen_ai.conversation.id'], 'sess-1', span.name);
      assert.equal(span.attributes['user.id'], 'user-7', span.name);
      assert.equal(span.spanContext().traceId, root.spanContext().traceId);
    }
    assert.equal(root.attributes['gen_ai.operation.name'], 'invoke_agent');
    assert.equal(root.attributes['gen_ai.agent.name'], 'planner');
    assert.deepEqual(
      { op: model.attributes['gen_ai.operation.name'], provider: model.attributes['gen_ai.provider.name'], model: model.attributes['gen_ai.request.model'], response: model.attributes['gen_ai.response.model'], input: model.attributes['gen_ai.usage.input_tokens'], output: model.attributes['gen_ai.usage.output_tokens'] },
      { op: 'chat', provider: 'openai', model: 'gpt-4o', response: 'gpt-4o-2024-08-06', input: 12, output: 1 },
    );
    assert.equal(model.attributes['gen_ai.prompt.name'], 'plan');
    assert.equal(model.attributes['cairn.prompt.version'], '3');
    assert.match(String(model.attributes['cairn.prompt.template_hash']), /^[0-9a-f]{16}$/);
    assert.deepEqual(JSON.parse(String(model.attributes['gen_ai.input.messages'])), [{ role: 'user', parts: [{ type: 'text', content: 'What is 2+2?' }] }]);
    assert.equal(calc.attributes['gen_ai.tool.call.arguments'], '{"expression":"2+2"}');
    assert.equal(calc.attributes['gen_ai.tool.call.result'], '4');
    assert.equal(calc.attributes['gen_ai.tool.call.id'], 'call_1');
    assert.equal(byName(spans, 'retrieval docs').attributes['gen_ai.retrieval.query.text'], 'query');
    assert.equal(byName(spans, 'embeddings text-embedding-3-small').attributes['gen_ai.operation.name'], 'embeddings');
    assert.equal(byName(spans, 'rerank rerank-v3').attributes['gen_ai.operation.name'], 'rerank');
    assert.equal(byName(spans, 'guardrail pii-check').attributes['openinference.span.kind'], 'GUARDRAIL');
    assert.equal(byName(spans, 'evaluation faithfulness').attributes['openinference.span.kind'], 'EVALUATOR');
    const speech = byName(spans, 'voice.transcribe');
    assert.equal(speech.attributes['cairn.span.type'], 'voice');
    assert.equal(speech.attributes['cairn.voice.sample_rate_hz'], 16000);
    assert.equal(speech.events[0]?.name, 'cairn.voice.barge_in');
  });

  it('records errors, rethrows them unchanged, and adds the documented events to the active span', async () => {
    const failure = new TypeError('boom');
    await assert.rejects(
      tool('flaky', async () => {
        events.retry({ attempt: 2, reason: 'timeout' });
        events.fallback({ from: 'gpt-4o', to: 'gpt-4o-mini' });
        events.cacheHit({ cache: 'semantic' });
        events.rateLimited({ retryAfterMillis: 500 });
        events.policyBlocked({ policy: 'no-pii' });
        events.timeout({ timeoutMillis: 30_000 });
        throw failure;
      }),
      (error) => error === failure,
    );
    const span = byName(await tracing.spans(), 'execute_tool flaky');
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.equal(span.attributes['error.type'], 'TypeError');
    assert.deepEqual(span.events.map((event) => event.name), ['cairn.retry', 'cairn.fallback', 'cairn.cache.hit', 'cairn.rate_limited', 'cairn.policy.blocked', 'cairn.timeout', 'exception']);
  });
});

describe('observe()', () => {
  it('wraps sync and async functions, keeping this, arguments and return values', async () => {
    const calculator = { factor: 3, multiply(value: number) { return value * this.factor; } };
    const multiply = observe(calculator.multiply, { type: 'tool', name: 'multiply' });
    assert.equal(multiply.call(calculator, 5), 15);
    const fetchDocs = observe(async (query: string) => [`doc about ${query}`], { type: 'retrieval', dataSource: 'kb' });
    assert.deepEqual(await fetchDocs('cats'), ['doc about cats']);
    const spans = await tracing.spans();
    assert.equal(byName(spans, 'execute_tool multiply').attributes['gen_ai.tool.call.result'], '15');
    assert.equal(byName(spans, 'retrieval kb').attributes['gen_ai.retrieval.documents'], '["doc about cats"]');
  });

  it('keeps a generator span open until it is exhausted, with children inside it', async () => {
    const numbers = observe(function* (count: number) {
      for (let index = 0; index < count; index++) yield tool('inner', () => index);
    }, { type: 'chain', name: 'numbers' });
    assert.deepEqual([...numbers(3)], [0, 1, 2]);
    const spans = await tracing.spans();
    const outer = byName(spans, 'invoke_workflow numbers');
    assert.equal(outer.attributes['cairn.stream.chunks'], 3);
    const inner = spans.filter((span) => span.name === 'execute_tool inner');
    assert.equal(inner.length, 3);
    for (const span of inner) assert.equal(parentOf(span), idOf(outer));
  });

  it('ends an async-generator span once when the stream completes, errors, is aborted, or is left early', async () => {
    const produce = observe(async function* (items: number, failAt: number | undefined, signal?: AbortSignal) {
      for (let index = 0; index < items; index++) {
        await sleep(1);
        signal?.throwIfAborted();
        if (index === failAt) throw new Error('stream broke');
        yield index;
      }
    }, { type: 'llm', model: 'm', provider: 'p' });

    const complete: number[] = [];
    for await (const item of produce(3, undefined)) complete.push(item);
    assert.deepEqual(complete, [0, 1, 2]);

    await assert.rejects(async () => {
      for await (const _item of produce(5, 2)) void _item;
    }, /stream broke/);

    const controller = new AbortController();
    await assert.rejects(async () => {
      for await (const item of produce(5, undefined, controller.signal)) if (item === 1) controller.abort();
    }, { name: 'AbortError' });

    for await (const item of produce(10, undefined)) if (item === 1) break;

    const spans = (await tracing.spans()).filter((span) => span.name === 'chat m');
    assert.equal(spans.length, 4, 'each stream ends its span exactly once');
    const [done, broke, aborted, left] = spans;
    assert.equal(done!.status.code, SpanStatusCode.UNSET);
    assert.equal(done!.attributes['cairn.stream.chunks'], 3);
    assert.equal(broke!.status.message, 'stream broke');
    assert.equal(aborted!.attributes['error.type'], 'AbortError');
    assert.equal(left!.status.code, SpanStatusCode.UNSET);
    assert.equal(left!.attributes['cairn.stream.abandoned'], true);
    assert.equal(left!.attributes['cairn.stream.chunks'], 2);
    assert.deepEqual(warnings.filter((message) => /end/.test(message)), []);
  });

  it('ends the span of a generator that is dropped without being iterated, at the time it was returned', async () => {
    const numbers = observe(function* () {
      yield 1;
    }, { type: 'chain', name: 'never-read' });
    const returnedAt = Date.now();
    // Called and dropped in a scope of its own, so nothing keeps the generator alive.
    ((): void => void numbers())();
    await sleep(20);
    const ended = await collectGarbageUntil(async () => (await tracing.spans()).length > 0);
    assert.ok(ended, 'the span ends once the generator is collected');
    const span = byName(await tracing.spans(), 'invoke_workflow never-read');
    assert.equal(span.attributes['cairn.stream.abandoned'], true);
    assert.equal(span.attributes['cairn.stream.chunks'], 0);
    const endMillis = span.endTime[0] * 1000 + span.endTime[1] / 1e6;
    assert.ok(endMillis - returnedAt < 15, `ended ${endMillis - returnedAt} ms after it was returned, not when it was collected`);
  });

  it('instruments an async-iterable object returned by a promise in place', async () => {
    const source = {
      extra: 'kept',
      async *[Symbol.asyncIterator]() {
        yield 'a';
        yield 'b';
      },
    };
    const open = observe(async () => source, { type: 'llm', model: 'stream-model', provider: 'p', captureOutput: false });
    const stream = await open();
    assert.equal(stream, source);
    const seen: string[] = [];
    for await (const item of stream) seen.push(item);
    assert.deepEqual(seen, ['a', 'b']);
    const span = byName(await tracing.spans(), 'chat stream-model');
    assert.equal(span.attributes['cairn.stream.chunks'], 2);
  });
});

describe('safety', () => {
  it('never throws from its own code: odd values, spans used after end, a second init()', async () => {
    const { init } = await import('../src/index.js');
    assert.doesNotThrow(() => init({ serviceName: 'again' }));
    let kept: CairnSpan | undefined;
    tool('odd', (span) => {
      kept = span;
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      span.setInput(cyclic).setOutput(10n).setUsage({ inputTokens: Number.NaN, outputTokens: -1 });
    });
    assert.doesNotThrow(() => kept!.setOutput('late').addEvent('late'));
    const span = byName(await tracing.spans(), 'execute_tool odd');
    assert.equal(span.attributes['gen_ai.usage.input_tokens'], undefined);
    assert.equal(span.attributes['gen_ai.tool.call.result'], '"10"');
  });
});

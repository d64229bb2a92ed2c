// Mapping explain (which attribute filled which field, what lost, what was ignored or missing)
// and bad input: wrong types, huge strings, invalid JSON, unknown operations and mixed dialects
// keep the raw value, are flagged, and never throw. Property tests use a seeded PRNG.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { AttributeMap, AttributeValue } from '@cairn/model';
import { explainSpan, normalizeSpan } from '../src/index.js';
import { CONTEXT, wireSpan } from './helpers/wire-span.js';

await test('explain names the source of each field, overridden values, ignored attributes and missing fields', () => {
  const span = wireSpan({
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'llm.model_name': 'gpt-4o-mini',
      'openinference.span.kind': 'LLM',
      'gen_ai.usage.input_tokens': 10n,
      'llm.token_count.completion': 3n,
      'gen_ai.request.temperature': 0.2,
    },
  });
  const explanation = explainSpan(span);
  const field = (name: string) => explanation.fields.find((entry) => entry.field === name);
  assert.deepEqual(field('model'), { field: 'model', value: 'gpt-4o', dialect: 'gen_ai', sources: ['gen_ai.request.model'] });
  assert.deepEqual(field('usage.outputTokens'), { field: 'usage.outputTokens', value: 3, dialect: 'openinference', sources: ['llm.token_count.completion'] });
  assert.deepEqual(field('spanType')?.sources, ['gen_ai.operation.name']);
  assert.deepEqual(
    explanation.overridden.map((entry) => [entry.field, entry.dialect, entry.value, entry.keptFrom]),
    [['model', 'openinference', 'gpt-4o-mini', 'gen_ai']],
  );
  assert.deepEqual(explanation.ignoredAttributes, ['gen_ai.request.temperature']);
  assert.deepEqual(explanation.missing, ['provider', 'input', 'output']);
  assert.deepEqual(explanation.dialects, ['gen_ai', 'openinference']);
  assert.doesNotThrow(() => JSON.stringify(explanation));
});

await test('explain says why usage on a wrapper is not counted, and flags unknown operations and bad values', () => {
  const agent = explainSpan(wireSpan({ name: 'ai.generateText', attributes: { 'ai.operationId': 'ai.generateText', 'ai.usage.promptTokens': 5n } }));
  assert.match(agent.notCounted ?? '', /not counted/);
  const odd = explainSpan(
    wireSpan({ attributes: { 'gen_ai.operation.name': 'dance', 'gen_ai.usage.input_tokens': 'lots', 'gen_ai.request.model': ['a'], 'gen_ai.input.messages': '[{"role":' } }),
  );
  const problems = odd.problems.map((problem) => problem.source);
  assert.ok(problems.includes('gen_ai.operation.name'), 'unknown operation flagged');
  assert.ok(problems.includes('gen_ai.usage.input_tokens'), 'bad count flagged');
  assert.ok(problems.includes('gen_ai.request.model'), 'wrong type flagged');
  const record = normalizeSpan(wireSpan({ attributes: { 'gen_ai.input.messages': '[{"role":' } }), CONTEXT);
  assert.equal(record.input, '[{"role":', 'invalid JSON kept as the raw string');
});

/** mulberry32: a small seeded PRNG so failures reproduce. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [
  'gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.system_instructions', 'gen_ai.prompt', 'gen_ai.completion',
  'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'gen_ai.usage.cache_read.input_tokens', 'gen_ai.operation.name',
  'llm.input_messages.0.message.role', 'llm.input_messages.0.message.content', 'llm.input_messages.99999999.message.content',
  'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments', 'llm.token_count.prompt', 'input.value',
  'openinference.span.kind', 'ai.prompt.messages', 'ai.response.toolCalls', 'ai.usage.inputTokens', 'ai.operationId',
  'gen_ai.prompt.0.content', 'gen_ai.completion.0.tool_calls.0.arguments', 'langfuse.observation.usage_details',
  'langfuse.observation.input', 'langfuse.observation.type', 'langfuse.observation.completion_start_time',
  'retrieval.documents.0.document.score', 'mastra.span.type', 'cairn.span.type', 'tag.tags', 'gen_ai.response.finish_reasons',
];

function randomValue(random: () => number): AttributeValue {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  switch (Math.floor(random() * 9)) {
    case 0: return pick(['', '[', '{"role":', '[{"role":"user","parts":[{"type":"text"}]}]', '[1,2,3]', '[null]', '{"messages":5}', 'NaN', '-5', '1e400', 'chat', 'LLM', 'generation']);
    case 1: return 'x'.repeat(Math.floor(random() * 200_000));
    case 2: return BigInt(Math.floor((random() - 0.5) * 1e15));
    case 3: return pick([Number.NaN, Infinity, -1, 0.5, 1e308, -0]);
    case 4: return random() < 0.5;
    case 5: return new Uint8Array([1, 2, 3]);
    case 6: return [randomValue(random), randomValue(random)] as AttributeValue;
    case 7: return { role: randomValue(random), content: randomValue(random), parts: [randomValue(random)] } as unknown as AttributeValue;
    default: return JSON.stringify([{ role: pick(['user', 'tool', 7, null]), content: pick(['hi', null, { a: 1 }, [1]]), tool_calls: pick(['[', [{ function: null }], 3]) }]);
  }
}

await test('property: message and usage parsers never throw and keep counts sane (seeded, bounded)', () => {
  for (const seed of [1, 2, 3, 42, 1234]) {
    const random = prng(seed);
    for (let iteration = 0; iteration < 150; iteration++) {
      const attributes: AttributeMap = {};
      const count = 1 + Math.floor(random() * 8);
      for (let index = 0; index < count; index++) attributes[KEYS[Math.floor(random() * KEYS.length)]!] = randomValue(random);
      const span = wireSpan({ name: random() < 0.3 ? 'ai.generateText.doGenerate' : 'span', attributes });
      const context = `seed ${seed} iteration ${iteration}`;
      const record = normalizeSpan(span, CONTEXT);
      for (const value of Object.values(record.usage)) assert.ok(Number.isInteger(value) && value >= 0, `${context}: usage ${value}`);
      assert.ok(record.inputPreview.length <= 240 && record.outputPreview.length <= 240, context);
      if (record.spanType !== 'llm' && record.spanType !== 'embedding') assert.equal(record.hasUsage, false, context);
      const explanation = explainSpan(span);
      assert.doesNotThrow(() => JSON.stringify(explanation), context);
      assert.ok(explanation.problems.length <= 200, context);
    }
  }
});

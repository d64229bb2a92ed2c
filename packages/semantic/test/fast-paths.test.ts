// The ingest fast paths (plain message JSON read without JSON.parse, previews of text that is
// already one line) must give exactly what the general paths give: the same messages laid out
// with whitespace, which the fast paths refuse, are the reference.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { PREVIEW_MAX_CHARS } from '@cairn/model';
import { normalizeSpan } from '../src/index.js';
import { CONTEXT, wireSpan } from './helpers/wire-span.js';

function normalizeChat(input: unknown, output: unknown, indent?: number) {
  return normalizeSpan(
    wireSpan({
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.input.messages': JSON.stringify(input, null, indent),
        'gen_ai.output.messages': JSON.stringify(output, null, indent),
      },
    }),
    CONTEXT,
  );
}

function contentOf(record: ReturnType<typeof normalizeSpan>) {
  return { input: record.input, output: record.output, inputPreview: record.inputPreview, outputPreview: record.outputPreview };
}

const text = (content: string) => ({ type: 'text', content });
const long = 'lorem ipsum dolor sit amet '.repeat(20).trim();

const CASES: Array<[string, unknown, unknown]> = [
  ['one plain message each', [{ role: 'user', parts: [text('What is the refund policy?')] }], [{ role: 'assistant', parts: [text('30 days.')], finish_reason: 'stop' }]],
  [
    'several messages: the last user message and the first answer',
    [{ role: 'system', parts: [text('Be brief.')] }, { role: 'user', parts: [text('first')] }, { role: 'assistant', parts: [text('ok')] }, { role: 'user', parts: [text('second question')] }],
    [{ role: 'assistant', parts: [text('one')] }, { role: 'assistant', parts: [text('two')] }],
  ],
  ['a cut preview', [{ role: 'user', parts: [text(long)] }], [{ role: 'assistant', parts: [text(`${'x'.repeat(PREVIEW_MAX_CHARS - 2)}\ud83d\ude00 tail`)] }]],
  ['whitespace to collapse', [{ role: 'user', parts: [text('  two  spaces\tand\ttabs ')] }], [{ role: 'assistant', parts: [text('line\nbreak\u00a0nbsp\u2028')] }]],
  ['escapes and quotes', [{ role: 'user', parts: [text('say "hi" \\ bye')] }], [{ role: 'assistant', parts: [text('tab\there')] }]],
  ['an empty role takes the default', [{ role: '', parts: [text('who am I')] }], [{ role: '', parts: [text('nobody')] }]],
  ['other parts and keys', [{ role: 'user', parts: [text('a'), { type: 'blob', mime_type: 'image/png' }] }], [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'lookup', arguments: { q: 1 } }] }]],
];

await test('fast paths give what the general paths give', async (t) => {
  for (const [name, input, output] of CASES) {
    await t.test(name, () => {
      assert.deepEqual(contentOf(normalizeChat(input, output)), contentOf(normalizeChat(input, output, 2)));
    });
  }

  await t.test('plain text messages become canonical text parts', () => {
    const record = normalizeChat(CASES[1]![1], CASES[1]![2]);
    assert.equal(record.inputPreview, 'second question');
    assert.equal(record.outputPreview, 'one');
    assert.deepEqual(record.output, [{ role: 'assistant', parts: [{ type: 'text', text: 'one' }] }, { role: 'assistant', parts: [{ type: 'text', text: 'two' }] }]);
  });

  await t.test('text that is not a message list stays a value', () => {
    const record = normalizeSpan(wireSpan({ attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.output.messages': '[{"role":"assistant","parts":[{"type":"text","content":"cut' } }), CONTEXT);
    assert.equal(record.output, '[{"role":"assistant","parts":[{"type":"text","content":"cut');
  });
});

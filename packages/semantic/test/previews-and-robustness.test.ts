// Previews stay one short line, and odd or hostile attribute values never break normalization.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { AttributeMap, WireSpan } from '@cairn/model';
import { PREVIEW_MAX_CHARS } from '@cairn/model';
import { normalizeSpan } from '../src/index.js';
import { CONTEXT, spanEvent, wireSpan } from './helpers/wire-span.js';

function normalizeAttributes(attributes: AttributeMap) {
  return normalizeSpan(wireSpan({ attributes }), CONTEXT);
}

function chatWith(input: string, output: string) {
  return normalizeAttributes({
    'gen_ai.operation.name': 'chat',
    'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: input }] }]),
    'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: output }] }]),
  });
}

await test('previews', async (t) => {
  await t.test('cuts long text to PREVIEW_MAX_CHARS ending with an ellipsis', () => {
    const record = chatWith('word '.repeat(500), 'x'.repeat(PREVIEW_MAX_CHARS + 1));
    assert.equal(record.inputPreview.length, PREVIEW_MAX_CHARS);
    assert.ok(record.inputPreview.endsWith('…'));
    assert.ok(record.inputPreview.startsWith('word word'));
    assert.equal(record.outputPreview.length, PREVIEW_MAX_CHARS);
    assert.equal(chatWith('x'.repeat(PREVIEW_MAX_CHARS), 'ok').inputPreview, 'x'.repeat(PREVIEW_MAX_CHARS));
  });

  await t.test('collapses newlines and tabs into single spaces', () => {
    assert.equal(chatWith('  line one\n\n\tline two  ', 'a\r\nb').inputPreview, 'line one line two');
    assert.equal(chatWith('x', 'a\r\nb').outputPreview, 'a b');
  });

  await t.test('never splits a surrogate pair at the cut', () => {
    const preview = chatWith('a'.repeat(PREVIEW_MAX_CHARS - 2) + '😀'.repeat(10), 'ok').inputPreview;
    assert.ok(preview.length <= PREVIEW_MAX_CHARS);
    assert.doesNotMatch(preview, /[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  await t.test('stays cheap and short on a multi-megabyte value', () => {
    const huge = 'y'.repeat(4_000_000);
    const started = performance.now();
    const record = normalizeAttributes({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.call.result': huge });
    assert.equal(record.outputPreview.length, PREVIEW_MAX_CHARS);
    assert.equal(record.output, huge);
    assert.ok(performance.now() - started < 200);
  });
});

await test('garbage inputs', async (t) => {
  await t.test('ignores values of the wrong type instead of throwing', () => {
    const record = normalizeAttributes({
      'gen_ai.operation.name': ['chat'],
      'gen_ai.request.model': { nested: 'x' },
      'gen_ai.provider.name': true,
      'gen_ai.usage.input_tokens': 'many',
      'gen_ai.usage.output_tokens': -5n,
      'gen_ai.usage.cache_read.input_tokens': Number.NaN,
      'gen_ai.usage.reasoning.output_tokens': Number.POSITIVE_INFINITY,
      'gen_ai.agent.name': new Uint8Array([1, 2]),
      'session.id': '',
      'user.id': null,
    });
    assert.equal(record.spanType, 'other');
    assert.equal(record.model, null);
    assert.equal(record.provider, null);
    assert.equal(record.agentName, null);
    assert.equal(record.sessionId, null);
    assert.equal(record.userId, null);
    assert.equal(record.hasUsage, false);
    assert.deepEqual(record.dialects, ['gen_ai']);
  });

  await t.test('keeps unparseable or non-message content as the raw value', () => {
    const invalid = normalizeAttributes({ 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': '[{"role": "user", "parts": [' });
    assert.equal(invalid.input, '[{"role": "user", "parts": [');
    assert.equal(invalid.inputPreview, '[{"role": "user", "parts": [');
    const notMessages = normalizeAttributes({ 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': '["a", 1]' });
    assert.deepEqual(notMessages.input, ['a', 1]);
    assert.equal(notMessages.inputPreview, '["a",1]');
    const number = normalizeAttributes({ 'gen_ai.operation.name': 'chat', 'gen_ai.output.messages': 42n });
    assert.equal(number.output, 42n);
    assert.equal(number.outputPreview, '42');
  });

  await t.test('turns odd parts into text and odd messages into empty ones', () => {
    const record = normalizeAttributes({
      'gen_ai.operation.name': 'chat',
      'gen_ai.input.messages': JSON.stringify([
        { role: 'user', parts: [null, 7, { type: 'blob', modality: 'image', content: 'AAAA' }, { type: 'text' }] },
        { parts: 'not a list' },
        { role: 5 },
      ]),
    });
    assert.deepEqual(record.input, [
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'null' },
          { type: 'text', text: '7' },
          { type: 'text', text: '{"type":"blob","modality":"image","content":"AAAA"}' },
          { type: 'text', text: '{"type":"text"}' },
        ],
      },
      { role: 'user', parts: [] },
      { role: 'user', parts: [] },
    ]);
  });

  await t.test('reads structured (kvlist) messages with int values', () => {
    const record = normalizeAttributes({
      'gen_ai.operation.name': 'chat',
      'gen_ai.output.messages': [
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'c', name: 'add', arguments: { a: 1n, b: 2.5 } }] },
      ],
    });
    assert.deepEqual(record.output, [
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'c', name: 'add', arguments: { a: 1n, b: 2.5 } }] },
    ]);
    assert.equal(record.outputPreview, '→ add({"a":1,"b":2.5})');
  });

  await t.test('survives odd legacy events', () => {
    const record = normalizeSpan(
      wireSpan({
        attributes: { 'gen_ai.operation.name': 'chat' },
        events: [
          spanEvent('gen_ai.user.message', { body: 'not json {' }),
          spanEvent('gen_ai.assistant.message', { tool_calls: '[1, "x", {"function": 3}]' }),
          spanEvent('gen_ai.choice', { body: [1, 2] }),
          spanEvent('gen_ai.tool.message', {}),
        ],
      }),
      CONTEXT,
    );
    assert.equal(record.inputPreview, 'not json {');
    assert.ok(Array.isArray(record.input));
    assert.ok(Array.isArray(record.output));
  });

  await t.test('keeps every field of the wire span unchanged', () => {
    const span: WireSpan = wireSpan({
      name: 'chat gpt-4o',
      parentSpanId: '53995c3f42cd8ad8',
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': 'hello', custom: 1n },
      status: { code: 'error', message: 'rate limited' },
      events: [spanEvent('exception', { 'exception.message': 'boom' })],
    });
    const record = normalizeSpan(span, CONTEXT);
    for (const key of Object.keys(span) as (keyof WireSpan)[]) assert.equal(record[key], span[key], key);
    assert.equal(record.receivedUnixNano, CONTEXT.receivedUnixNano);
    assert.deepEqual(record.input, 'hello');
  });
});

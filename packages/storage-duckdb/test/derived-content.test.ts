// Spans normalized on ingest keep only their raw attributes; getSpan derives input/output again.
// What a user must not notice: getSpan returns the same input/output the normalizer produced,
// with message text in any script, large attributes split out, and events.

import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { SpanEvent, WireSpan } from '@cairn/model';
import { normalizeSpan } from '@cairn/semantic';
import { openDuckDbStore } from '../src/index.js';

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const TRACE_ID = '5b8aa5a2d2c872e8321cf37308d69df2';

function span(spanId: string, attributes: WireSpan['attributes'], events: SpanEvent[] = []): WireSpan {
  return {
    traceId: TRACE_ID,
    spanId,
    parentSpanId: null,
    traceState: '',
    flags: 1,
    name: 'chat gpt-4o',
    kind: 3,
    startTimeUnixNano: 1_763_700_000_000_000_000n + BigInt(spanId.length),
    endTimeUnixNano: 1_763_700_000_250_000_000n,
    attributes,
    droppedAttributesCount: 0,
    events,
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 'unset', message: '' },
    resource: { attributes: { 'service.name': 'støre-test' }, droppedAttributesCount: 0, schemaUrl: '' },
    scope: { name: 'test', version: '', attributes: {}, schemaUrl: '' },
  };
}

const CONTEXT = { projectId: 'default', receivedUnixNano: 1_763_700_001_000_000_000n };

describe('DuckDB store: input/output derived from the raw attributes', () => {
  it('returns the normalizer’s input/output from getSpan for chat, tool and legacy-event spans', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-derived-'));
    dirs.push(dir);
    const store = await openDuckDbStore({ dataDir: dir, largeAttributeChars: 200 });
    try {
      const long = 'Wie spät ist es in 東京? 🕰️ '.repeat(20);
      const chat = normalizeSpan(
        span('a1a1a1a1a1a1a1a1', {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: long }] }]),
          'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Es ist 9 Uhr.' }] }]),
          'gen_ai.usage.input_tokens': 12n,
        }),
        CONTEXT,
      );
      const tool = normalizeSpan(
        span('b2b2b2b2b2b2b2b2', {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'clock',
          'gen_ai.tool.call.arguments': '{"city":"Tokyo"}',
          'gen_ai.tool.call.result': '09:00',
        }),
        CONTEXT,
      );
      const legacy = normalizeSpan(
        span('c3c3c3c3c3c3c3c3', { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o' }, [
          { timeUnixNano: 1_763_700_000_100_000_000n, name: 'gen_ai.user.message', attributes: { content: 'hola' }, droppedAttributesCount: 0 },
        ]),
        CONTEXT,
      );
      const result = await store.write({ spans: [chat, tool, legacy], events: [] });
      assert.equal(result.accepted, 3);
      for (const record of [chat, tool, legacy]) {
        const detail = await store.getSpan('default', TRACE_ID, record.spanId);
        assert.ok(detail, `span ${record.spanId} is stored`);
        assert.deepEqual(detail.input, record.input);
        assert.deepEqual(detail.output, record.output);
        assert.deepEqual(detail.attributes, record.attributes);
        assert.equal(detail.inputPreview, record.inputPreview);
      }
      assert.notEqual(chat.input, null, 'the chat span has input to derive');
    } finally {
      await store.close();
    }
  });

  it('keeps the input/output of a record that is not the normalizer’s own as written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-derived-'));
    dirs.push(dir);
    const store = await openDuckDbStore({ dataDir: dir });
    try {
      const normalized = normalizeSpan(
        span('d4d4d4d4d4d4d4d4', { 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"raw"}]}]' }),
        CONTEXT,
      );
      const edited = { ...normalized, input: [{ role: 'user', parts: [{ type: 'text', text: 'redacted' }] }] };
      await store.write({ spans: [edited], events: [] });
      const detail = await store.getSpan('default', TRACE_ID, edited.spanId);
      assert.deepEqual(detail?.input, edited.input);
    } finally {
      await store.close();
    }
  });
});

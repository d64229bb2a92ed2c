import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelParameters } from '../src/model/model-parameters.js';
import { retrievalDocuments } from '../src/model/retrieval-documents.js';
import { classifySpanEvent, eventMarkers } from '../src/model/span-events.js';
import { BASE_NS } from './support/api-span.js';

describe('modelParameters', () => {
  it('lists gen_ai.request.* without the model, well-known parameters first', () => {
    const parameters = modelParameters({
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.request.seed': 7,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.max_tokens': 512,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.stop_sequences': ['\n\n', 'END'],
      'gen_ai.request.encoding_formats': ['float'],
      'gen_ai.usage.input_tokens': 10,
    });
    assert.deepEqual(parameters, [
      { name: 'temperature', value: '0.2' },
      { name: 'max_tokens', value: '512' },
      { name: 'top_p', value: '0.9' },
      { name: 'stop_sequences', value: '\n\n, END' },
      { name: 'seed', value: '7' },
      { name: 'encoding_formats', value: 'float' },
    ]);
  });

  it('reads OpenInference invocation parameters and Vercel AI SDK settings under the same names', () => {
    assert.deepEqual(modelParameters({ 'llm.invocation_parameters': '{"model":"gpt-4o","temperature":0,"max_completion_tokens":100}' }), [
      { name: 'temperature', value: '0' },
      { name: 'max_tokens', value: '100' },
    ]);
    assert.deepEqual(modelParameters({ 'ai.settings.maxOutputTokens': 64, 'ai.settings.topP': 1 }), [
      { name: 'max_tokens', value: '64' },
      { name: 'top_p', value: '1' },
    ]);
    assert.deepEqual(modelParameters({ 'llm.invocation_parameters': 'not json' }), []);
  });
});

describe('retrievalDocuments', () => {
  it('reads the gen_ai.retrieval.documents list, parsed or as JSON text', () => {
    const list = [
      { id: 'refunds.md#damaged', score: 0.91, content: 'Damaged items are refunded in full.' },
      { id: 'shipping.md#claims', score: 0.74, content: 'Open a carrier claim.', metadata: '{"page":3}' },
    ];
    const expected = [
      { id: 'refunds.md#damaged', score: 0.91, content: 'Damaged items are refunded in full.', metadata: null },
      { id: 'shipping.md#claims', score: 0.74, content: 'Open a carrier claim.', metadata: { page: 3 } },
    ];
    assert.deepEqual(retrievalDocuments(list), expected);
    assert.deepEqual(retrievalDocuments(JSON.stringify(list)), expected);
  });

  it('reads OpenInference nesting, flattened attributes and LangChain page_content', () => {
    assert.deepEqual(retrievalDocuments([{ document: { id: 7, score: '0.5', content: 'x' } }]), [{ id: '7', score: 0.5, content: 'x', metadata: null }]);
    assert.deepEqual(
      retrievalDocuments(null, {
        'retrieval.documents.1.document.content': 'second',
        'retrieval.documents.0.document.content': 'first',
        'retrieval.documents.0.document.score': 0.8,
      }),
      [
        { id: null, score: 0.8, content: 'first', metadata: null },
        { id: null, score: null, content: 'second', metadata: null },
      ],
    );
    assert.equal(retrievalDocuments([{ page_content: 'lc' }])![0]!.content, 'lc');
  });

  it('returns null when the output is not a document list, so the raw payload is shown instead', () => {
    assert.equal(retrievalDocuments(null), null);
    assert.equal(retrievalDocuments({ results: [] }), null);
    assert.equal(retrievalDocuments([{ foo: 1 }]), null);
    assert.equal(retrievalDocuments('plain text answer'), null);
  });
});

describe('span events on the timeline', () => {
  it('tells exceptions, retries, fallbacks, cache hits and rate limits apart', () => {
    const kind = (name: string, attributes: Record<string, unknown> = {}) => classifySpanEvent({ name, attributes });
    assert.equal(kind('exception', { 'exception.type': 'PaymentGatewayError' }), 'exception');
    assert.equal(kind('exception', { 'exception.type': 'RateLimitError', 'exception.message': '429 Too Many Requests' }), 'rate_limited');
    assert.equal(kind('retry', { 'retry.attempt': 1, 'http.response.status_code': 502 }), 'retry');
    assert.equal(kind('gen_ai.retrying'), 'retry');
    assert.equal(kind('retry', { 'http.response.status_code': 429 }), 'rate_limited');
    assert.equal(kind('model.fallback'), 'fallback');
    assert.equal(kind('cache.hit'), 'cache_hit');
    assert.equal(kind('rate_limited'), 'rate_limited');
    assert.equal(kind('gen_ai.content.prompt'), 'other');
  });

  it('places each event on the trace waterfall and relative to its span', () => {
    const at = (ms: number) => ({ timeUnixNano: (BASE_NS + BigInt(ms) * 1_000_000n).toString(), time: '', name: 'retry', attributes: {} });
    const spanStart = BASE_NS + 1_000_000_000n;
    const markers = eventMarkers([at(1_500), at(5_000)], spanStart, BASE_NS, 2_000);
    assert.deepEqual(
      markers.map((marker) => [marker.kind, marker.leftPercent, marker.offsetMs]),
      [
        ['retry', 75, 500],
        ['retry', 100, 4_000],
      ],
    );
  });
});

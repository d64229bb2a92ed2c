// The stored attribute JSON: lossless for every OTLP value type, and the same text whether a map
// takes the plain-values fast path or the typed encoding.

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { AttributeMap } from '../src/index.js';
import { decodeStoredAttributes, encodeStoredAttributes } from '../src/index.js';

describe('stored attribute JSON', () => {
  it('round-trips every value type exactly', () => {
    const map: AttributeMap = {
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 9_007_199_254_740_993n,
      'app.flag': true,
      'app.ratio': 0.25,
      'app.nan': NaN,
      'app.inf': -Infinity,
      'app.bytes': new Uint8Array([0, 255, 7]),
      'app.list': ['a', 1n, false],
      'app.kv': { nested: 'yes', count: 2n },
      'app.empty': null,
    };
    assert.deepEqual(decodeStoredAttributes(encodeStoredAttributes(map)), map);
  });

  it('writes plain maps as plain JSON, keys in order, and switches to typed values when one needs it', () => {
    const plain: AttributeMap = { b: 'x"y', a: 1.5, c: false, d: -0 };
    assert.equal(encodeStoredAttributes(plain), '{"b":"x\\"y","a":1.5,"c":false,"d":0}');
    assert.equal(encodeStoredAttributes({ ...plain, e: 3n }), '{"b":"x\\"y","a":1.5,"c":false,"d":0,"e":{"$int":"3"}}');
    assert.equal(encodeStoredAttributes({ e: Infinity, a: 'z' }), '{"e":{"$double":"Infinity"},"a":"z"}');
    assert.equal(encodeStoredAttributes({}), '{}');
  });
});

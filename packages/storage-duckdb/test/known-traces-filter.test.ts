// The filter that lets a write of new traces skip the trace_parts lookup: an id that was added
// must always be reported as possibly stored (a "no" skips dedupe against the store).

import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { KnownTracesFilter } from '../src/internal/known-traces-filter.js';

test('added trace ids are always "maybe"; ids never added are mostly "no"', () => {
  const filter = new KnownTracesFilter();
  const added = Array.from({ length: 200_000 }, () => randomBytes(16).toString('hex'));
  // Ids that differ in one character, as sequential test ids do.
  const sequential = Array.from({ length: 1000 }, (_, index) => index.toString(16).padStart(32, '0'));
  for (const id of [...added, ...sequential]) filter.add(id);
  assert.ok([...added, ...sequential].every((id) => filter.mayContain(id)));
  const others = Array.from({ length: 20_000 }, () => randomBytes(16).toString('hex'));
  const falseMaybes = others.filter((id) => filter.mayContain(id)).length;
  assert.ok(falseMaybes < others.length / 100, `${falseMaybes} of ${others.length} unseen ids reported as maybe stored`);
  const nextSequential = Array.from({ length: 1000 }, (_, index) => (index + 1000).toString(16).padStart(32, '0'));
  assert.ok(nextSequential.filter((id) => filter.mayContain(id)).length < 10);
});

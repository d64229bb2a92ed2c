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

test('a filter is sized for the ids it expects, reports full past them, and stays exact for added ids', () => {
  const filter = new KnownTracesFilter(1000, 1000);
  // 1,000 ids at 16 bits each round up to 2^14 bits: 1,024 ids.
  assert.equal(filter.capacity, 1024);
  const ids = Array.from({ length: 1024 }, () => randomBytes(16).toString('hex'));
  for (const id of ids) filter.add(id);
  for (const id of ids) filter.add(id);
  assert.equal(filter.full, false, 'ids added again do not count');
  assert.ok(filter.size <= 1024 && filter.size > 1000, `${filter.size} new ids counted`);
  const others = Array.from({ length: 20_000 }, () => randomBytes(16).toString('hex'));
  const falseMaybes = others.filter((id) => filter.mayContain(id)).length;
  assert.ok(falseMaybes < others.length / 100, `${falseMaybes} of ${others.length} unseen ids reported as maybe stored at capacity`);
  for (let index = 0; index < 100; index++) filter.add(randomBytes(16).toString('hex'));
  assert.equal(filter.full, true);
  assert.ok(ids.every((id) => filter.mayContain(id)));

  assert.ok(new KnownTracesFilter(10_000_000).capacity >= 10_000_000, 'sized by the ids expected');
  assert.equal(new KnownTracesFilter(10).capacity, 2 ** 22, 'at least the default size (8 MiB)');
});

// `cairn prices recompute` prices spans as `cairn serve` does: with the projects' own prices that
// the server keeps in the price directory (PUT /api/v1/projects/ID/prices), not only the bundled table.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseRewriteOptions } from '../src/rewrite-options.js';
import type { CommandIo } from '../src/rewrite-options.js';

test('recompute options load every project file of the price directory', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-cli-prices-dir-'));
  try {
    await mkdir(join(dataDir, 'prices'));
    const prices = { version: 'acme-1', models: [{ id: 'gpt-4o-mini', prices: { input: 0.1, output: 0.5 } }] };
    await writeFile(join(dataDir, 'prices', 'acme.json'), JSON.stringify(prices));
    const io = { env: {}, nowMillis: Date.UTC(2026, 0, 1) } as unknown as CommandIo;
    const options = await parseRewriteOptions(['--data-dir', dataDir, '--since', '7d'], io, true);
    const at = BigInt(Date.UTC(2025, 5, 1)) * 1_000_000n;
    const own = options.pricing.lookup('acme', ['gpt-4o-mini'], 'openai', at);
    assert.deepEqual([own.match?.table.version, own.match?.table.origin], ['acme-1', 'custom']);
    const other = options.pricing.lookup('someone-else', ['gpt-4o-mini'], 'openai', at);
    assert.equal(other.match?.table.origin, 'bundled');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

// `cairn prices list` and `show`, and the --since option. The commands that rewrite stored spans
// run against a real store in rewrite-commands.test.ts.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BUNDLED_PRICE_TABLE, PricingContext } from '@cairn/semantic';
import { formatPriceList, formatPriceShow } from '../src/commands/prices.js';
import { loadPricesFile } from '../src/prices-file.js';
import { parseSince } from '../src/since-option.js';

const START = BigInt(Date.parse('2025-11-20T12:00:00Z')) * 1_000_000n;

async function customPricesFile(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cairn-prices-'));
  const file = path.join(dir, 'prices.json');
  await fs.writeFile(file, JSON.stringify({ version: 'negotiated-1', models: [{ id: 'gpt-4o', providers: ['openai'], prices: { input: 1, output: 4 } }] }));
  return file;
}

describe('cairn prices list / show', () => {
  it('lists every bundled price with its date, and tiers under their model', () => {
    const text = formatPriceList(BUNDLED_PRICE_TABLE);
    assert.ok(text.startsWith(`bundled prices, version ${BUNDLED_PRICE_TABLE.version}`));
    assert.match(text, /\ngpt-4o-mini\s+2024-07-18\s+0\.15\s+0\.075\s+-\s+-\s+0\.6\s/);
    assert.match(text, /\ngemini-2\.5-pro .*\n {2}> 200000 prompt tokens\s+2\.5\s+0\.25/);
  });

  it('shows how a dated snapshot matched and the model price history', () => {
    const shown = formatPriceShow(new PricingContext(), 'claude-sonnet-4-20250514', { provider: 'anthropic', atUnixNano: START, projectId: 'default' });
    assert.equal(shown.found, true);
    assert.match(shown.output, /claude-sonnet-4-20250514 → claude-sonnet-4 \(snapshot match\)/);
    assert.match(shown.output, /over 200000 prompt tokens \(over_200k_input\): input \$6/);
    assert.match(shown.output, /reported apart from input tokens/);
    const unknown = formatPriceShow(new PricingContext(), 'gpt-4o-mini-tts', { provider: null, atUnixNano: START, projectId: 'default' });
    assert.equal(unknown.found, false);
  });

  it('reads a custom price file and names the bad field of a broken one', async () => {
    const file = await customPricesFile();
    try {
      assert.equal((await loadPricesFile(file)).version, 'negotiated-1');
      await fs.writeFile(file, JSON.stringify({ version: 'x', models: [{ id: 'm', prices: { output: 'cheap' } }] }));
      await assert.rejects(loadPricesFile(file), /models\[0\]\.prices\.output must be a number/);
      await assert.rejects(loadPricesFile(path.join(path.dirname(file), 'missing.json')), /cannot read \(ENOENT\)/);
    } finally {
      await fs.rm(path.dirname(file), { recursive: true, force: true });
    }
  });
});

describe('--since', () => {
  it('parses --since as a date, a time or an age', () => {
    const now = Date.parse('2025-11-20T12:00:00Z');
    assert.equal(parseSince('7d', now), BigInt(now - 7 * 86_400_000) * 1_000_000n);
    assert.equal(parseSince('2025-06-10', now), BigInt(Date.parse('2025-06-10T00:00:00Z')) * 1_000_000n);
    assert.throws(() => parseSince('last week', now), /--since "last week": must be a date/);
  });
});

// Reads a custom price file (`--prices FILE`): the bundled table's JSON format, documented in
// docs/costs.md, checked field by field so a typo names its place instead of pricing wrong.

import fs from 'node:fs/promises';
import path from 'node:path';
import type { PriceTable } from '@cairn/semantic';
import { parsePriceTable, PricingContext } from '@cairn/semantic';
import { ConfigError } from './config.js';

export async function loadPricesFile(file: string): Promise<PriceTable> {
  const resolved = path.resolve(file);
  let text: string;
  try {
    text = await fs.readFile(resolved, 'utf8');
  } catch (error) {
    throw new ConfigError(`--prices ${JSON.stringify(file)}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`--prices ${JSON.stringify(file)}: not valid JSON (${(error as Error).message})`);
  }
  try {
    return parsePriceTable(value, 'custom', file);
  } catch (error) {
    throw new ConfigError(`--prices ${(error as Error).message}`);
  }
}

/** The bundled prices, with the file's custom prices over them when a file is given. */
export async function pricingFromOption(file: string | undefined): Promise<PricingContext> {
  return new PricingContext({ custom: file === undefined ? [] : [await loadPricesFile(file)] });
}

// Reads a custom price file (`--prices FILE`): the bundled table's JSON format, documented in
// docs/costs.md, checked field by field so a typo names its place instead of pricing wrong.

import fs from 'node:fs/promises';
import path from 'node:path';
import type { PriceTable } from '@cairn/semantic';
import { parsePriceTable, PricingContext } from '@cairn/semantic';
import type { ServeConfig } from './config.js';
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

/** Where projects' own prices live: --prices-dir, else `prices` in the data directory. */
export function projectPricesDirectory(config: Pick<ServeConfig, 'dataDir' | 'pricesDir'>): string {
  return path.resolve(config.pricesDir ?? path.join(config.dataDir, 'prices'));
}

/**
 * Registers every project's own prices from the price directory (the ones `cairn serve` keeps
 * for PUT /api/v1/projects/ID/prices), so recompute prices spans as the server does.
 */
export async function addProjectPrices(pricing: PricingContext, directory: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new ConfigError(`--prices-dir ${JSON.stringify(directory)}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  for (const name of names.filter((file) => file.endsWith('.json') && !file.startsWith('.')).sort()) {
    const projectId = name.slice(0, -'.json'.length);
    const table = await loadPricesFile(path.join(directory, name));
    pricing.setProjectPrices(projectId, table);
  }
}

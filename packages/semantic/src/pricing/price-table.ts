// A price table as data: per model id, prices in USD per 1M tokens for each token class, with the
// date they took effect and optional tiers. The bundled table and custom price files share it.

/** The token classes a price can be set for. `cacheWrite` is a 5-minute cache write. */
export type TokenClass = 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'cacheWrite1h' | 'reasoning';
export const TOKEN_CLASSES: readonly TokenClass[] = ['input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h', 'reasoning'];

/** USD per 1,000,000 tokens; a missing class falls back as documented in docs/costs.md. */
export type TokenPrices = Partial<Record<TokenClass, number>>;

/**
 * Whether a provider counts cached prompt tokens inside the input count (OpenAI, Gemini,
 * DeepSeek, OTel GenAI) or apart from it (Anthropic's `input_tokens`, Bedrock Converse).
 */
export type CacheConvention = 'input_includes_cache' | 'cache_separate';

export interface PriceTier {
  /** Stable name shown in explanations, e.g. "over_200k_input". */
  name: string;
  /** The tier applies when the whole prompt (cached tokens included) is larger than this. */
  abovePromptTokens: number;
  /** Prices that replace the base ones; classes not listed keep the base price. */
  prices: TokenPrices;
}

export interface PriceEntry {
  /** Lowercase model id, e.g. "gpt-4o" or "claude-sonnet-4". */
  id: string;
  /** Other exact ids for the same model and price (e.g. "claude-sonnet-4-0"). */
  aliases: string[];
  /** Providers (canonical gen_ai.provider.name values) that sell at this price; empty = any. */
  providers: string[];
  /** YYYY-MM-DD (UTC): the price holds from this day until the next entry of the same id. */
  effectiveFrom: string;
  effectiveFromUnixNano: bigint;
  prices: TokenPrices;
  /** Checked in order of abovePromptTokens, highest first. */
  tiers: PriceTier[];
  /** null: the provider default (input includes cache). */
  cacheConvention: CacheConvention | null;
  note: string | null;
  /** Where the price was read (a provider page or price list), or why it could not be checked. */
  source: string | null;
  /** `<id>@<effectiveFrom>`: names this price in provenance. */
  priceId: string;
}

export interface PriceTable {
  /** Written into every priced span's provenance. */
  version: string;
  origin: 'bundled' | 'custom';
  /** Project ids a custom table applies to; null = every project. */
  projects: string[] | null;
  listPricesCheckedOn: string | null;
  /** Provider → where the prices were read. */
  sources: Record<string, string>;
  entries: PriceEntry[];
}

export class PriceTableError extends Error {
  override readonly name = 'PriceTableError';
  readonly code = 'invalid_price_table';
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const NANOS_PER_MILLI = 1_000_000n;

/**
 * Checks a parsed price file and returns it as a PriceTable, or throws PriceTableError naming the
 * first bad field (`label` names the file in the message).
 */
export function parsePriceTable(value: unknown, origin: PriceTable['origin'], label: string): PriceTable {
  const fail = (path: string, problem: string): never => {
    throw new PriceTableError(`${label}: ${path} ${problem}`);
  };
  if (!isObject(value)) return fail('(top level)', 'must be a JSON object');
  const version = value.version;
  if (typeof version !== 'string' || version.trim() === '') return fail('version', 'must be a non-empty string');
  const projects = value.projects === undefined || value.projects === null ? null : stringList(value.projects, 'projects', fail);
  const models = value.models;
  if (!Array.isArray(models)) return fail('models', 'must be an array of price entries');
  const entries = models.map((model, index) => parseEntry(model, `models[${index}]`, fail));
  const sources: Record<string, string> = {};
  if (isObject(value.sources)) for (const [key, text] of Object.entries(value.sources)) if (typeof text === 'string') sources[key] = text;
  return {
    version,
    origin,
    projects,
    listPricesCheckedOn: typeof value.listPricesCheckedOn === 'string' ? value.listPricesCheckedOn : null,
    sources,
    entries,
  };
}

function parseEntry(value: unknown, path: string, fail: (path: string, problem: string) => never): PriceEntry {
  if (!isObject(value)) return fail(path, 'must be an object');
  const id = value.id;
  if (typeof id !== 'string' || id.trim() === '') return fail(`${path}.id`, 'must be a non-empty model id');
  const effectiveFrom = value.effectiveFrom ?? '1970-01-01';
  if (typeof effectiveFrom !== 'string' || !DATE_PATTERN.test(effectiveFrom) || Number.isNaN(Date.parse(`${effectiveFrom}T00:00:00Z`))) {
    return fail(`${path}.effectiveFrom`, 'must be a date YYYY-MM-DD');
  }
  const prices = parsePrices(value.prices, `${path}.prices`, fail);
  if (Object.keys(prices).length === 0) return fail(`${path}.prices`, 'must set at least one price');
  const tiers = value.tiers === undefined ? [] : parseTiers(value.tiers, `${path}.tiers`, fail);
  const cacheConvention = value.cacheConvention ?? null;
  if (cacheConvention !== null && cacheConvention !== 'input_includes_cache' && cacheConvention !== 'cache_separate') {
    return fail(`${path}.cacheConvention`, 'must be "input_includes_cache" or "cache_separate"');
  }
  const normalizedId = id.trim().toLowerCase();
  return {
    id: normalizedId,
    aliases: value.aliases === undefined ? [] : stringList(value.aliases, `${path}.aliases`, fail).map((alias) => alias.toLowerCase()),
    providers: value.providers === undefined ? [] : stringList(value.providers, `${path}.providers`, fail),
    effectiveFrom,
    effectiveFromUnixNano: BigInt(Date.parse(`${effectiveFrom}T00:00:00Z`)) * NANOS_PER_MILLI,
    prices,
    tiers: tiers.sort((a, b) => b.abovePromptTokens - a.abovePromptTokens),
    cacheConvention,
    note: typeof value.note === 'string' ? value.note : null,
    source: typeof value.source === 'string' ? value.source : null,
    priceId: `${normalizedId}@${effectiveFrom}`,
  };
}

function parseTiers(value: unknown, path: string, fail: (path: string, problem: string) => never): PriceTier[] {
  if (!Array.isArray(value)) return fail(path, 'must be an array');
  return value.map((tier, index) => {
    const tierPath = `${path}[${index}]`;
    if (!isObject(tier)) return fail(tierPath, 'must be an object');
    if (typeof tier.name !== 'string' || tier.name === '') return fail(`${tierPath}.name`, 'must be a non-empty string');
    const above = tier.abovePromptTokens;
    if (typeof above !== 'number' || !Number.isInteger(above) || above < 0) return fail(`${tierPath}.abovePromptTokens`, 'must be a whole number ≥ 0');
    return { name: tier.name, abovePromptTokens: above, prices: parsePrices(tier.prices, `${tierPath}.prices`, fail) };
  });
}

function parsePrices(value: unknown, path: string, fail: (path: string, problem: string) => never): TokenPrices {
  if (!isObject(value)) return fail(path, 'must be an object of USD per 1M tokens');
  const prices: TokenPrices = {};
  for (const [key, price] of Object.entries(value)) {
    if (!(TOKEN_CLASSES as readonly string[]).includes(key)) return fail(`${path}.${key}`, `is not a token class (${TOKEN_CLASSES.join(', ')})`);
    if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) return fail(`${path}.${key}`, 'must be a number ≥ 0 (USD per 1M tokens)');
    prices[key as TokenClass] = price;
  }
  return prices;
}

function stringList(value: unknown, path: string, fail: (path: string, problem: string) => never): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) return fail(path, 'must be an array of non-empty strings');
  return value as string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

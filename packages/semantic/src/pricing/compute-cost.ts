// The cost of one model call and the arithmetic behind it. Pure: the same span and prices give
// the same breakdown, so a stored cost can be explained (and recomputed) at any later time.
//
//   input_includes_cache:  fresh input = input − cache read − cache write
//   cache_separate:        fresh input = input
//   output_includes_reasoning: plain output = output − reasoning
//   reasoning_separate:        plain output = output
//   cost = Σ tokens × price / 1e6 over fresh input, cache read, cache write, plain output, reasoning

import type { AttributeMap, CostProvenance, SpanType, TokenUsage } from '@cairn/model';
import type { PriceMatch, PricingContext } from './pricing-context.js';
import type { CacheConvention, PriceTier, TokenClass, TokenPrices } from './price-table.js';
import type { ReasoningConvention } from './usage-convention.js';
import { readUsage } from './usage-convention.js';

export interface CostLine {
  tokenClass: TokenClass;
  tokens: number;
  /** The price used, USD per 1M tokens. */
  usdPerMillion: number;
  /** The class whose price was used: differs from tokenClass when that class has no own price. */
  pricedAs: TokenClass;
  amountUsd: number;
}

export interface CostBreakdown {
  provenance: CostProvenance;
  /** What the span costs: the app's amount, the computed one, or null (unknown model, no usage). */
  costUsd: number | null;
  /** The amount the app sent, when it sent one. */
  appCostUsd: number | null;
  /** What the prices give (also when the app's amount wins, to compare); null without a price. */
  computedCostUsd: number | null;
  price: {
    priceId: string;
    modelId: string;
    reportedModel: string;
    matchedBy: PriceMatch['matchedBy'];
    tableVersion: string;
    tableOrigin: 'bundled' | 'custom';
    effectiveFrom: string;
    /** The day a later price replaced this one, or null while it is current. */
    effectiveUntil: string | null;
  } | null;
  tier: { name: string; abovePromptTokens: number } | null;
  /** Every prompt token, cached ones included: what tiers are decided on. */
  promptTokens: number;
  cacheConvention: CacheConvention;
  cacheConventionReason: string;
  reasoningConvention: ReasoningConvention;
  reasoningConventionReason: string;
  lines: CostLine[];
  /** Why there is no computed cost, simplifications made, and similar facts for the reader. */
  notes: string[];
}

/** What pricing needs to know about a span (a SpanRecord or a stored span has all of it). */
export interface CostSubject {
  projectId: string;
  spanType: SpanType;
  model: string | null;
  requestModel: string | null;
  provider: string | null;
  usage: TokenUsage;
  hasUsage: boolean;
  attributes: AttributeMap;
  startTimeUnixNano: bigint;
}

const MODEL_CALL_TYPES: ReadonlySet<SpanType> = new Set<SpanType>(['llm', 'embedding']);

/**
 * The cost of a model call, or null for any other span type (agents and chains repeat the usage
 * of the calls they wrap; counting them would count it twice). `appCostUsd` is an amount the
 * app sent (see appCostOf); it wins over the prices.
 */
export function computeCost(subject: CostSubject, appCostUsd: number | undefined, pricing: PricingContext): CostBreakdown | null {
  if (!MODEL_CALL_TYPES.has(subject.spanType)) return null;
  const notes: string[] = [];
  const lookup = pricing.lookup(subject.projectId, [subject.model, subject.requestModel], subject.provider, subject.startTimeUnixNano);
  const match = lookup.match;
  const reading = readUsage(subject.usage, subject.attributes, match?.entry.cacheConvention ?? null);
  const promptTokens = promptTokensOf(subject.usage, reading.cache);
  const tier = match === null ? null : tierFor(match.entry.tiers, promptTokens);
  const lines = match === null || !subject.hasUsage ? [] : costLines(subject.usage, reading.cache, reading.reasoning, pricesFor(match.entry.prices, tier), notes);
  const computedCostUsd = match === null || !subject.hasUsage ? null : roundUsd(lines.reduce((sum, line) => sum + line.amountUsd, 0));

  let source: CostProvenance['source'];
  let costUsd: number | null;
  if (appCostUsd !== undefined) {
    source = 'app';
    costUsd = appCostUsd;
    notes.push('the app sent this cost; it wins over computed prices');
  } else if (!subject.hasUsage) {
    source = 'no_usage';
    costUsd = null;
    notes.push('the span reported no token counts');
  } else if (match === null) {
    source = 'unknown_model';
    costUsd = null;
    notes.push(`${lookup.reason}; add it with custom prices (docs/costs.md)`);
  } else {
    source = match.table.origin === 'custom' ? 'custom' : 'table';
    costUsd = computedCostUsd;
  }
  if (match?.entry.note) notes.push(match.entry.note);
  const priced = source === 'table' || source === 'custom';
  return {
    provenance: {
      source,
      priceTableVersion: priced && match !== null ? match.table.version : null,
      priceId: priced && match !== null ? match.entry.priceId : null,
      tier: priced && tier !== null ? tier.name : null,
    },
    costUsd,
    appCostUsd: appCostUsd ?? null,
    computedCostUsd,
    price:
      match === null
        ? null
        : {
            priceId: match.entry.priceId,
            modelId: match.entry.id,
            reportedModel: match.reportedModel,
            matchedBy: match.matchedBy,
            tableVersion: match.table.version,
            tableOrigin: match.table.origin,
            effectiveFrom: match.entry.effectiveFrom,
            effectiveUntil: match.next?.effectiveFrom ?? null,
          },
    tier: tier === null ? null : { name: tier.name, abovePromptTokens: tier.abovePromptTokens },
    promptTokens,
    cacheConvention: reading.cache,
    cacheConventionReason: reading.cacheReason,
    reasoningConvention: reading.reasoning,
    reasoningConventionReason: reading.reasoningReason,
    lines,
    notes,
  };
}

function promptTokensOf(usage: TokenUsage, cache: CacheConvention): number {
  return cache === 'cache_separate' ? usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens : usage.inputTokens;
}

function tierFor(tiers: readonly PriceTier[], promptTokens: number): PriceTier | null {
  // Sorted highest threshold first when parsed.
  for (const tier of tiers) if (promptTokens > tier.abovePromptTokens) return tier;
  return null;
}

function pricesFor(base: TokenPrices, tier: PriceTier | null): TokenPrices {
  return tier === null ? base : { ...base, ...tier.prices };
}

/** Missing class prices fall back: cache read/write → input, 1h write → 5m write → input, reasoning → output. */
const FALLBACKS: Record<TokenClass, readonly TokenClass[]> = {
  input: ['input'],
  output: ['output'],
  cacheRead: ['cacheRead', 'input'],
  cacheWrite: ['cacheWrite', 'input'],
  cacheWrite1h: ['cacheWrite1h', 'cacheWrite', 'input'],
  reasoning: ['reasoning', 'output'],
};

function costLines(usage: TokenUsage, cache: CacheConvention, reasoning: ReasoningConvention, prices: TokenPrices, notes: string[]): CostLine[] {
  const cached = usage.cacheReadTokens + usage.cacheWriteTokens;
  const counts: [TokenClass, number][] = [
    ['input', cache === 'cache_separate' ? usage.inputTokens : Math.max(0, usage.inputTokens - cached)],
    ['cacheRead', usage.cacheReadTokens],
    // Spans carry one cache-write count; the 1-hour price (2× input at Anthropic) is not applied.
    ['cacheWrite', usage.cacheWriteTokens],
    ['output', reasoning === 'output_includes_reasoning' ? Math.max(0, usage.outputTokens - usage.reasoningTokens) : usage.outputTokens],
    ['reasoning', usage.reasoningTokens],
  ];
  const lines: CostLine[] = [];
  for (const [tokenClass, tokens] of counts) {
    if (tokens === 0) continue;
    const pricedAs = FALLBACKS[tokenClass].find((candidate) => prices[candidate] !== undefined);
    if (pricedAs === undefined) {
      notes.push(`no ${tokenClass} price: ${tokens} ${tokenClass} tokens are not charged`);
      continue;
    }
    if (pricedAs !== tokenClass && tokenClass !== 'reasoning') notes.push(`no ${tokenClass} price: charged at the ${pricedAs} price`);
    const usdPerMillion = prices[pricedAs]!;
    lines.push({ tokenClass, tokens, usdPerMillion, pricedAs, amountUsd: roundUsd((tokens * usdPerMillion) / 1_000_000) });
  }
  return lines;
}

/** Float sums of prices like 0.1 + 0.2 leave noise digits; 12 decimals is far below a token's price. */
function roundUsd(amount: number): number {
  return Math.round(amount * 1e12) / 1e12;
}

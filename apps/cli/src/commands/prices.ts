// `cairn prices list|show|recompute`: print the price table, explain which price a model name
// gets, and recompute the cost of stored spans after prices changed.

import { parseArgs } from 'node:util';
import type { StoredSpan, TraceStore } from '@cairn/storage';
import type { PriceEntry, PriceTable, PricingContext, TokenPrices } from '@cairn/semantic';
import { NORMALIZER_VERSION, recomputeCost } from '@cairn/semantic';
import { ConfigError } from '../config.js';
import { pricingFromOption } from '../prices-file.js';
import type { CommandIo } from '../rewrite-options.js';
import { parseRewriteOptions } from '../rewrite-options.js';
import { parseSince } from '../since-option.js';

const BATCH_SPANS = 1_000;

export async function prices(args: string[], io: CommandIo): Promise<number> {
  const [subcommand, ...rest] = args;
  switch (subcommand) {
    case 'list': {
      const { values } = parseArgs({ args: rest, strict: true, options: { provider: { type: 'string' }, prices: { type: 'string' }, json: { type: 'boolean' } } });
      const pricing = await pricingFromOption(values.prices);
      for (const table of [...pricing.customPrices, pricing.bundled]) {
        io.stdout(values.json === true ? `${JSON.stringify(tableAsJson(table, values.provider), null, 2)}\n` : formatPriceList(table, values.provider));
      }
      return 0;
    }
    case 'show': {
      const { values, positionals } = parseArgs({
        args: rest,
        strict: true,
        allowPositionals: true,
        options: { provider: { type: 'string' }, at: { type: 'string' }, project: { type: 'string' }, prices: { type: 'string' } },
      });
      if (positionals.length !== 1) throw new ConfigError('usage: cairn prices show <model> [--provider P] [--at TIME] [--project ID] [--prices FILE]');
      const pricing = await pricingFromOption(values.prices);
      const atUnixNano = values.at === undefined ? BigInt(io.nowMillis) * 1_000_000n : parseSince(values.at, io.nowMillis);
      const text = formatPriceShow(pricing, positionals[0]!, { provider: values.provider ?? null, atUnixNano, projectId: values.project ?? 'default' });
      io.stdout(text.output);
      return text.found ? 0 : 1;
    }
    case 'recompute': {
      const options = await parseRewriteOptions(rest, io, true);
      const store = await io.openStore(options.config);
      try {
        const summary = await recomputeCosts(store, options);
        io.stdout(formatRecomputeSummary(summary, options.dryRun));
        return 0;
      } finally {
        await store.close();
      }
    }
    default:
      throw new ConfigError(`unknown subcommand ${JSON.stringify(subcommand ?? '')}: use cairn prices list | show <model> | recompute --since TIME`);
  }
}

export interface RecomputeSummary {
  scanned: number;
  changed: number;
  updated: number;
  /** Sum of the scanned spans' cost before and after, USD. */
  costBeforeUsd: number;
  costAfterUsd: number;
  /** Cost source → spans, after recomputing. */
  bySource: Record<string, number>;
}

/**
 * Recomputes the cost of every stored model call that started in the window with the given
 * prices; amounts the app sent are kept. Writes only spans whose cost or provenance changed.
 */
export async function recomputeCosts(
  store: Pick<TraceStore, 'scanSpans' | 'updateSpanSemantics'>,
  options: { projectId?: string; fromUnixNano: bigint; toUnixNano: bigint; pricing: PricingContext; dryRun: boolean },
): Promise<RecomputeSummary> {
  const summary: RecomputeSummary = { scanned: 0, changed: 0, updated: 0, costBeforeUsd: 0, costAfterUsd: 0, bySource: {} };
  const scan = store.scanSpans({
    projectId: options.projectId,
    fromUnixNano: options.fromUnixNano,
    toUnixNano: options.toUnixNano,
    spanTypes: ['llm', 'embedding'],
    batchSize: BATCH_SPANS,
  });
  for await (const batch of scan) {
    const changed: StoredSpan[] = [];
    for (const span of batch) {
      summary.scanned++;
      const recomputed = recomputeCost(span, options.pricing);
      summary.costBeforeUsd += span.costUsd ?? 0;
      summary.costAfterUsd += recomputed.costUsd ?? 0;
      const source = recomputed.costProvenance?.source ?? 'none';
      summary.bySource[source] = (summary.bySource[source] ?? 0) + 1;
      if (recomputed.changed) changed.push({ ...span, costUsd: recomputed.costUsd, costProvenance: recomputed.costProvenance });
    }
    summary.changed += changed.length;
    if (!options.dryRun && changed.length > 0) summary.updated += (await store.updateSpanSemantics(changed, NORMALIZER_VERSION)).updated;
  }
  return summary;
}

function formatRecomputeSummary(summary: RecomputeSummary, dryRun: boolean): string {
  const sources = Object.entries(summary.bySource)
    .map(([source, count]) => `${source} ${count}`)
    .join(', ');
  return (
    `model calls scanned: ${summary.scanned} (${sources || 'none'})\n` +
    `cost changed:        ${summary.changed}${dryRun ? ' (dry run: nothing written)' : `, ${summary.updated} updated`}\n` +
    `total cost:          $${usd(summary.costBeforeUsd)} → $${usd(summary.costAfterUsd)}\n`
  );
}

const COLUMNS: readonly [string, keyof TokenPrices][] = [
  ['input', 'input'],
  ['cache read', 'cacheRead'],
  ['cache write', 'cacheWrite'],
  ['write 1h', 'cacheWrite1h'],
  ['output', 'output'],
  ['reasoning', 'reasoning'],
];

/** The table as aligned text: one line per price, tiers indented below it. USD per 1M tokens. */
export function formatPriceList(table: PriceTable, provider?: string): string {
  const entries = table.entries.filter((entry) => provider === undefined || entry.providers.length === 0 || entry.providers.includes(provider));
  const rows: string[][] = [['model', 'from', ...COLUMNS.map(([title]) => title), 'providers']];
  for (const entry of entries) {
    rows.push([entry.id, entry.effectiveFrom, ...COLUMNS.map(([, key]) => price(entry.prices[key])), entry.providers.join(',') || 'any']);
    for (const tier of entry.tiers) rows.push([`  > ${tier.abovePromptTokens} prompt tokens`, '', ...COLUMNS.map(([, key]) => price(tier.prices[key])), tier.name]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const header = `${table.origin} prices, version ${table.version}${table.listPricesCheckedOn ? `, list prices checked ${table.listPricesCheckedOn}` : ''}; USD per 1M tokens, "-" = not priced apart (see docs/costs.md)\n`;
  return header + rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}

/** Which price a model name gets, how it matched, and the model's price history. */
export function formatPriceShow(
  pricing: PricingContext,
  model: string,
  options: { provider: string | null; atUnixNano: bigint; projectId: string },
): { output: string; found: boolean } {
  const lookup = pricing.lookup(options.projectId, [model], options.provider, options.atUnixNano);
  if (lookup.match === null) return { output: `${model}: ${lookup.reason}\n`, found: false };
  const { entry, table, matchedBy } = lookup.match;
  const lines = [
    `${model} → ${entry.id} (${matchedBy} match) in ${table.origin} prices ${table.version}`,
    `price ${entry.priceId}: ${describePrices(entry.prices)}`,
    ...entry.tiers.map((tier) => `  over ${tier.abovePromptTokens} prompt tokens (${tier.name}): ${describePrices(tier.prices)}`),
    `cache tokens: ${entry.cacheConvention === 'cache_separate' ? 'reported apart from input tokens' : 'counted inside input tokens'} (unless the span shows otherwise)`,
    `providers: ${entry.providers.join(', ') || 'any'}`,
  ];
  if (entry.note !== null) lines.push(`note: ${entry.note}`);
  const history = pricing.history(table, entry.id);
  if (history.length > 1) {
    lines.push('history:');
    history.forEach((past: PriceEntry, index) => {
      const until = history[index + 1]?.effectiveFrom ?? 'now';
      lines.push(`  ${past.effectiveFrom} … ${until}: ${describePrices(past.prices)}`);
    });
  }
  return { output: `${lines.join('\n')}\n`, found: true };
}

function describePrices(prices: TokenPrices): string {
  return COLUMNS.filter(([, key]) => prices[key] !== undefined)
    .map(([title, key]) => `${title} $${prices[key]}`)
    .join(', ');
}

function tableAsJson(table: PriceTable, provider: string | undefined): unknown {
  return {
    version: table.version,
    origin: table.origin,
    listPricesCheckedOn: table.listPricesCheckedOn,
    models: table.entries
      .filter((entry) => provider === undefined || entry.providers.length === 0 || entry.providers.includes(provider))
      .map(({ effectiveFromUnixNano: _nanos, ...entry }) => entry),
  };
}

function price(value: number | undefined): string {
  return value === undefined ? '-' : String(value);
}

function usd(amount: number): string {
  return amount.toFixed(6);
}

// Options shared by the commands that rewrite stored spans (`cairn prices recompute`,
// `cairn renormalize`): which store (the `cairn serve` flags), which spans, which prices.

import { parseArgs } from 'node:util';
import type { PricingContext } from '@cairn/semantic';
import type { TraceStore } from '@cairn/storage';
import type { SERVE_OPTIONS, ServeConfig } from './config.js';
import { ConfigError, resolveServeConfig } from './config.js';
import { addProjectPrices, pricingFromOption, projectPricesDirectory } from './prices-file.js';
import { parseSince } from './since-option.js';

/** What a command needs from its process: output, environment, clock, and how to open a store. */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  nowMillis: number;
  openStore(config: ServeConfig): Promise<TraceStore>;
}

export interface RewriteOptions {
  config: ServeConfig;
  projectId: string | undefined;
  fromUnixNano: bigint;
  toUnixNano: bigint;
  pricing: PricingContext;
  dryRun: boolean;
  /** renormalize: rewrite spans already at the current normalizer version too. */
  all: boolean;
}

const STORE_FLAGS = ['data-dir', 'store', 'clickhouse-url', 'clickhouse-database', 'clickhouse-cluster', 'clickhouse-shards', 'clickhouse-zookeeper-path', 'prices-dir'] as const;

export async function parseRewriteOptions(args: string[], io: CommandIo, sinceRequired: boolean): Promise<RewriteOptions> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      ...Object.fromEntries(STORE_FLAGS.map((flag) => [flag, { type: 'string' as const }])),
      since: { type: 'string' },
      until: { type: 'string' },
      project: { type: 'string' },
      prices: { type: 'string' },
      'dry-run': { type: 'boolean' },
      all: { type: 'boolean' },
    },
  });
  const flags: Partial<Record<keyof typeof SERVE_OPTIONS, string>> = {};
  const given = values as Record<string, string | boolean | undefined>;
  for (const flag of STORE_FLAGS) {
    const value = given[flag];
    if (typeof value === 'string') flags[flag] = value;
  }
  const since = values.since;
  if (since === undefined && sinceRequired) throw new ConfigError('--since is required (a date such as 2025-06-10, or an age such as 7d)');
  const config = resolveServeConfig(flags, io.env);
  const pricing = await pricingFromOption(values.prices);
  // Spans are recomputed with the prices `cairn serve` would give them now, project prices included.
  await addProjectPrices(pricing, projectPricesDirectory(config));
  return {
    config,
    projectId: values.project,
    fromUnixNano: since === undefined ? 0n : parseSince(since, io.nowMillis),
    toUnixNano: values.until === undefined ? BigInt(io.nowMillis + 86_400_000) * 1_000_000n : parseSince(values.until, io.nowMillis),
    pricing,
    dryRun: values['dry-run'] === true,
    all: values.all === true,
  };
}

export const REWRITE_FLAGS_HELP = `  --since TIME        spans that started at or after TIME: 2025-06-10, 2025-06-10T12:00:00Z, or 7d / 12h / 30m ago
  --until TIME        ... and before TIME (default: now, plus a day of clock skew)
  --project ID        one project only (default: every project)
  --prices FILE       custom prices over the bundled table (docs/costs.md)
  --prices-dir DIR    projects' own prices, as \`cairn serve\` keeps them (default DATA_DIR/prices)
  --dry-run           report what would change, write nothing
  --data-dir DIR, --store duckdb|clickhouse, --clickhouse-*   the store, as for \`cairn serve\``;

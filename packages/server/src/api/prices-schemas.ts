// The price API's bodies and answers as zod schemas. `priceFileSchema` is the format of the
// bundled table, of `--prices FILE` and of a project's prices (docs/costs.md): PUT bodies are
// validated with it, so a typo is a 400 naming the field, and the OpenAPI document is built from it.
// parsePriceTable (@cairn/semantic) then turns the checked document into a PriceTable.

import { TOKEN_CLASSES } from '@cairn/semantic';
import { z } from 'zod';
import { component } from './api-schemas.js';

const usdPerMillion = z.number({ error: 'must be a number (USD per 1M tokens)' }).finite().min(0, { error: 'must be a number ≥ 0 (USD per 1M tokens)' });

/** The tokens classes a price can be set for; at least one. */
const tokenPrices = z
  .object(Object.fromEntries(TOKEN_CLASSES.map((tokenClass) => [tokenClass, usdPerMillion.optional()])) as Record<(typeof TOKEN_CLASSES)[number], z.ZodOptional<typeof usdPerMillion>>)
  .strict()
  .describe(`USD per 1,000,000 tokens by token class (${TOKEN_CLASSES.join(', ')}); a class without a price falls back (cache → input, reasoning → output).`);

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' })
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)), { error: 'must be a real calendar date' });

const nonEmptyText = z.string().trim().min(1, { error: 'must not be empty' });

export const PriceEntrySchema = component(
  z
    .object({
      $comment: z.string().optional(),
      id: nonEmptyText.describe('Model id as spans report it, any case, e.g. "gpt-4o" or "my-finetune".'),
      aliases: z.array(nonEmptyText).optional().describe('Other exact ids at this price.'),
      providers: z.array(nonEmptyText).optional().describe('Canonical provider names that sell at this price (gen_ai.provider.name); empty or absent: any.'),
      effectiveFrom: isoDate.optional().describe('The day (UTC) the price took effect; default 1970-01-01.'),
      prices: tokenPrices.refine((prices) => Object.values(prices).some((price) => price !== undefined), { error: 'must set at least one price' }),
      tiers: z
        .array(
          z
            .object({
              name: nonEmptyText,
              abovePromptTokens: z.number().int({ error: 'must be a whole number' }).min(0),
              prices: tokenPrices,
            })
            .strict(),
        )
        .optional()
        .describe('Prices that replace the base ones when the whole prompt is larger than abovePromptTokens.'),
      cacheConvention: z.enum(['input_includes_cache', 'cache_separate']).optional(),
      note: z.string().optional(),
      source: z.string().optional().describe('Where the price was read.'),
    })
    .strict(),
  'PriceEntry',
  'One price of a model, USD per 1M tokens (the price file format, docs/costs.md).',
);

export const PriceFileSchema = component(
  z
    .object({
      $comment: z.string().optional(),
      version: nonEmptyText.describe('Written into the cost provenance of every span priced from this table.'),
      projects: z.array(nonEmptyText).nullable().optional(),
      listPricesCheckedOn: isoDate.optional(),
      currency: z.literal('USD').optional(),
      unitTokens: z.literal(1_000_000).optional(),
      sources: z.record(z.string(), z.string()).optional(),
      models: z.array(PriceEntrySchema).describe('The prices; several entries of one id with different effectiveFrom give its history.'),
    })
    .strict(),
  'PriceFile',
  'A price table: the bundled one, a --prices FILE, or a project\'s prices.',
);

/** PUT /api/v1/projects/{projectId}/prices: the price file format; the URL names the project. */
export const ProjectPricesBodySchema = component(
  // No `projects`: the project is the one in the URL (a body naming others is a 400).
  PriceFileSchema.omit({ projects: true }).extend({
    version: nonEmptyText.optional().describe('Default: "<projectId>@<time of the PUT>".'),
  }),
  'ProjectPricesBody',
  "A project's own prices: they win over --prices files and the bundled table for that project's spans.",
);

export type PriceFile = z.output<typeof PriceFileSchema>;
export type ProjectPricesBody = z.output<typeof ProjectPricesBodySchema>;

const tableSummary = z.object({
  version: z.string(),
  origin: z.enum(['project', 'file', 'bundled']),
  projects: z.array(z.string()).nullable(),
  listPricesCheckedOn: z.string().nullable(),
  sources: z.record(z.string(), z.string()),
  entryCount: z.number().int(),
});

export const ApiEffectivePriceEntry = component(
  z.object({
    origin: z.enum(['project', 'file', 'bundled']).describe('project: set over the API for this project; file: a --prices file; bundled: shipped with Cairn.'),
    tableVersion: z.string(),
    priceId: z.string().describe('<id>@<effectiveFrom>: what cost provenance names.'),
    id: z.string(),
    aliases: z.array(z.string()),
    providers: z.array(z.string()),
    effectiveFrom: z.string(),
    prices: z.record(z.string(), z.number()),
    tiers: z.array(z.object({ name: z.string(), abovePromptTokens: z.number().int(), prices: z.record(z.string(), z.number()) })),
    cacheConvention: z.string().nullable(),
    note: z.string().nullable(),
    source: z.string().nullable(),
    shadowedBy: z.string().nullable().describe('The tableVersion of a higher-precedence table that lists the same model id; null when this entry is in effect.'),
  }),
  'EffectivePriceEntry',
  'One price as it applies to a project, with where it comes from.',
);

export const ApiEffectivePrices = component(
  z.object({
    projectId: z.string(),
    tables: z.array(tableSummary).describe('Highest precedence first.'),
    storage: z.object({ description: z.string(), reloadMillis: z.number().int().nullable() }),
    entries: z.array(ApiEffectivePriceEntry),
  }),
  'EffectivePrices',
  'The prices that apply to a project: its own, then --prices files, then the bundled table.',
);

export const ApiProjectPrices = component(
  z.object({
    projectId: z.string(),
    version: z.string(),
    updatedAt: z.string().nullable(),
    entryCount: z.number().int(),
    prices: PriceFileSchema,
    storage: z.object({ description: z.string(), reloadMillis: z.number().int().nullable() }),
    note: z.string(),
  }),
  'ProjectPrices',
  "A project's own prices as stored.",
);

/** Project ids double as file names: letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const projectIdParam = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, { error: 'must be 1–128 letters, digits, ".", "_" or "-", starting with a letter or digit' })
  .describe('Project id.');

export const pricesQueryParams = z
  .object({ project: projectIdParam.optional().describe("Whose effective prices; default: the server's project.") })
  .strict();

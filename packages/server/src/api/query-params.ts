// Query-parameter schemas of the query API. The same zod schemas validate requests and generate
// the OpenAPI parameters (openapi-document.ts), so the document cannot drift from the server.

import { FINDING_KINDS } from '@cairn/analysis';
import { SPAN_TYPES } from '@cairn/model';
import { z } from 'zod';
import { parseTimeParam } from './time-param.js';

export const MAX_PAGE_LIMIT = 500;
export const DEFAULT_PAGE_LIMIT = 50;
/** Default window: the last 24 hours, plus a minute ahead for clients whose clocks run fast. */
export const DEFAULT_WINDOW_NANOS = 24n * 3600n * 1_000_000_000n;
export const CLOCK_SKEW_ALLOWANCE_NANOS = 60n * 1_000_000_000n;

const SORT_FIELDS = ['startTime', 'duration', 'cost', 'tokens'] as const;
const SORT_VALUES = SORT_FIELDS.flatMap((field) => [field, `-${field}`] as const);

const timeParam = (description: string) =>
  z
    .string()
    .transform((text, context) => {
      const nanos = parseTimeParam(text);
      if (nanos === null) {
        context.addIssue({
          code: 'custom',
          message: `"${text.slice(0, 40)}" is not an ISO 8601 time (e.g. 2026-11-21T10:00:00Z) or epoch milliseconds`,
        });
        return z.NEVER;
      }
      return nanos;
    })
    .optional()
    .meta({ description, examples: ['2026-11-21T10:00:00Z', '1795255200000'] });

const numberParam = (description: string) =>
  z.coerce.number({ error: 'must be a number' }).min(0, { error: 'must not be negative' }).optional().describe(description);

const textParam = (description: string) => z.string().min(1, { error: 'must not be empty' }).optional().describe(description);

export const pageParams = {
  from: timeParam('Start of the window (inclusive), ISO 8601 or epoch milliseconds. Default: 24 hours before now.'),
  to: timeParam('End of the window (exclusive), ISO 8601 or epoch milliseconds. Default: now (plus one minute for clock skew).'),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(1, { error: 'must be at least 1' })
    .max(MAX_PAGE_LIMIT, { error: `must be at most ${MAX_PAGE_LIMIT}` })
    .default(DEFAULT_PAGE_LIMIT)
    .describe(`Page size, 1 to ${MAX_PAGE_LIMIT}.`),
  cursor: textParam('Opaque cursor from the previous page\'s nextCursor.'),
};

export const traceListParams = z.strictObject({
  ...pageParams,
  service: textParam('Service name of any span of the trace.'),
  name: textParam('Root span name.'),
  spanType: z.enum(SPAN_TYPES).optional().describe('Some span of the trace has this type.'),
  model: textParam('Some span used this model.'),
  provider: textParam('Some span called this provider.'),
  agent: textParam('Some span belongs to this agent.'),
  tool: textParam('Some span called this tool.'),
  status: z.enum(['error', 'ok']).optional().describe('error: the trace has an error span; ok: it has none.'),
  sessionId: textParam('Session id.'),
  userId: textParam('User id.'),
  q: textParam('Case-insensitive text in span names, inputs and outputs.'),
  minDurationMs: numberParam('Minimum trace duration in milliseconds.'),
  minCostUsd: numberParam('Minimum trace cost in US dollars.'),
  finding: z
    .enum(FINDING_KINDS)
    .optional()
    .describe('The trace has a persisted finding of this kind (the background analyzer flags traces once they are quiet).'),
  sort: z
    .enum(SORT_VALUES)
    .default('-startTime')
    .describe('Sort field; a leading "-" sorts descending.'),
});

export const sessionListParams = z.strictObject(pageParams);

/** Prefix of the repeatable raw-attribute filter: attr.<key>=<value>. */
export const ATTRIBUTE_PARAM_PREFIX = 'attr.';

export const traceIdParam = z
  .string()
  .regex(/^[0-9a-fA-F]{32}$/, { error: 'must be 32 hexadecimal characters' })
  .transform((id) => id.toLowerCase())
  .describe('Trace id, 32 hex characters (case-insensitive).');

export const spanIdParam = z
  .string()
  .regex(/^[0-9a-fA-F]{16}$/, { error: 'must be 16 hexadecimal characters' })
  .transform((id) => id.toLowerCase())
  .describe('Span id, 16 hex characters (case-insensitive).');

/** GET /api/v1/diff: the two traces to align; a is the baseline. */
export const diffParams = z.strictObject({
  a: traceIdParam.describe('Baseline trace id, 32 hex characters.'),
  b: traceIdParam.describe('Trace id to compare with the baseline, 32 hex characters.'),
});

export const sessionIdParam = z.string().min(1).max(1024).describe('Session id as sent in the spans.');

export type TraceListParams = z.output<typeof traceListParams>;
export type DiffParams = z.output<typeof diffParams>;
export type SessionListParams = z.output<typeof sessionListParams>;

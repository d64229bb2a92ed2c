// GET /api/v1/traces/{traceId}?view=tree: its query parameter and response record as zod
// schemas (registered for the OpenAPI document). The tree view is what the viewer's tree and
// waterfall draw, as rows of a fixed field list rather than one object per span: a 20,000-span
// trace is about half the bytes and parses in a fraction of the time of the default view.

import { SPAN_KIND_NAMES, SPAN_TYPES, STATUS_CODE_NAMES } from '@cairn/model';
import { z } from 'zod';
import { ApiPlaceholder, ApiTraceSummary, component, nanos } from './api-schemas.js';

export const traceViewParams = z.strictObject({
  view: z
    .enum(['full', 'tree'])
    .default('full')
    .describe(
      'full (default): every span as a Span record. tree: per span only what a tree and waterfall draw (ids, parent, name, kind, type, service, times, status, model, agent, tool, tokens, cost, previews, event times and names), as rows under a field list.',
    ),
});

const count = z.number().min(0);

/** The tree view's row fields in order; rows are arrays of these cells. */
export const TREE_FIELDS = {
  spanId: z.string(),
  parentSpanId: z.string().nullable().describe('null for a root span.'),
  name: z.string(),
  kind: z.enum(SPAN_KIND_NAMES),
  spanType: z.enum(SPAN_TYPES),
  serviceName: z.string(),
  startTimeUnixNano: nanos('Span start.'),
  endTimeUnixNano: nanos('Span end.'),
  durationMs: z.number(),
  statusCode: z.enum(STATUS_CODE_NAMES),
  statusMessage: z.string(),
  model: z.string().nullable(),
  provider: z.string().nullable(),
  operation: z.string().nullable(),
  agentName: z.string().nullable(),
  toolName: z.string().nullable(),
  inputTokens: count,
  outputTokens: count,
  cacheReadTokens: count,
  cacheWriteTokens: count,
  reasoningTokens: count,
  costUsd: z.number().nullable(),
  inputPreview: z.string(),
  outputPreview: z.string(),
  live: z.boolean().describe('True while the span is running (a live record).'),
  events: z
    .array(z.tuple([nanos('Event time.'), z.string().describe('Event name.')]))
    .nullable()
    .describe('[timeUnixNano, name] of each event of the span, in the order the span was sent with them (by time once events that arrived as log records are merged in; attributes are in the span detail); null when it has none.'),
} as const;

export type TreeField = keyof typeof TREE_FIELDS;
/** The same names as TREE_ROW_FIELDS, in whose order stores build rows (a test holds them equal). */
export const TREE_FIELD_NAMES = Object.keys(TREE_FIELDS) as TreeField[];

const treeRow = z.tuple(Object.values(TREE_FIELDS) as unknown as [z.ZodType, ...z.ZodType[]]);

export const ApiTraceTree = component(
  z.object({
    summary: ApiTraceSummary,
    placeholders: z.array(ApiPlaceholder),
    fields: z.array(z.enum(TREE_FIELD_NAMES as [TreeField, ...TreeField[]])).describe('Names of the cells of each row, in order. Fields may be added at the end; read cells by name.'),
    rows: z.array(treeRow).describe('One row per span, ordered by start time (then span id).'),
  }),
  'TraceTree',
  'The tree view of a trace (?view=tree): per span what a span tree and waterfall draw. Open a span with /traces/{traceId}/spans/{spanId} for its attributes, event attributes, links and payloads.',
);

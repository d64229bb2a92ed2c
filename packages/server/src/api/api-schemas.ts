// The query API's response records as zod schemas. They document the API (openapi-document.ts)
// and type the shaping functions (shape-records.ts), so code and document describe the same
// fields. Responses are not validated at run time; the types keep them in line.

import { SPAN_KIND_NAMES, SPAN_TYPES, STATUS_CODE_NAMES } from '@cairn/model';
import { z } from 'zod';

/** Schemas listed under components.schemas, by id. */
export const apiSchemaRegistry = z.registry<{ id: string; description?: string }>();

export function component<Schema extends z.ZodType>(schema: Schema, id: string, description: string): Schema {
  apiSchemaRegistry.add(schema, { id, description });
  return schema;
}

export const nanos = (description: string) =>
  z.string().regex(/^\d+$/).describe(`${description} Nanoseconds since the Unix epoch as a decimal string.`);
const isoTime = (description: string) => z.string().describe(`${description} ISO 8601, millisecond precision.`);
export const count = z.number().int().min(0);
const nullableText = (description: string) => z.string().nullable().describe(description);
const attributeMap = z
  .record(z.string(), z.unknown())
  .describe('Raw attributes, lossless: 64-bit integers are written with all their digits, bytes as base64.');

export const ApiError = component(
  z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
  'Error',
  'Every 4xx and 5xx answer of the query API.',
);

export const ApiTokenUsage = component(
  z.object({
    inputTokens: count,
    outputTokens: count,
    cacheReadTokens: count,
    cacheWriteTokens: count,
    reasoningTokens: count,
  }),
  'TokenUsage',
  'Tokens of a single model call (zero on spans that are not model calls).',
);

export const ApiTraceSummary = component(
  z.object({
    traceId: z.string(),
    rootName: z.string().describe('Name of the root span, or "(missing root)" while it has not arrived.'),
    serviceName: z.string(),
    startTime: isoTime('Start of the earliest span.'),
    startTimeUnixNano: nanos('Start of the earliest span.'),
    endTimeUnixNano: nanos('End of the latest span.'),
    durationMs: z.number(),
    spanCount: count,
    errorCount: count,
    llmCallCount: count,
    toolCallCount: count,
    inputTokens: count.describe('Over single model calls only, so wrappers are not counted twice.'),
    outputTokens: count,
    costUsd: z.number(),
    models: z.array(z.string()),
    agents: z.array(z.string()),
    sessionId: nullableText('Session id, when a span carried one.'),
    userId: nullableText('User id, when a span carried one.'),
    hasRoot: z.boolean().describe('False while the root span (one without a parent) has not been received.'),
  }),
  'TraceSummary',
  'One trace of the trace list.',
);

const spanFields = {
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: nullableText('null for a root span.'),
  name: z.string(),
  kind: z.enum(SPAN_KIND_NAMES).describe('OTLP SpanKind name.'),
  spanType: z.enum(SPAN_TYPES),
  serviceName: z.string(),
  startTimeUnixNano: nanos('Span start.'),
  endTimeUnixNano: nanos('Span end.'),
  startTime: isoTime('Span start.'),
  durationMs: z.number(),
  status: z.object({ code: z.enum(STATUS_CODE_NAMES), message: z.string() }),
  model: nullableText('Response model, else request model.'),
  provider: z.string().nullable(),
  operation: z.string().nullable(),
  agentName: z.string().nullable(),
  toolName: z.string().nullable(),
  sessionId: z.string().nullable(),
  userId: z.string().nullable(),
  usage: ApiTokenUsage,
  costUsd: z.number().nullable().describe('Cost of this span in US dollars, when known.'),
  inputPreview: z.string().describe('Short single-line text of the input.'),
  outputPreview: z.string(),
  live: z
    .boolean()
    .describe('True while the span is running: a live record reported by the SDK, whose end time is when it was last reported. The finished span replaces it.'),
};

export const ApiSpan = component(z.object(spanFields), 'Span', 'A span without its large payloads.');

export const ApiMessagePart = component(
  z.union([
    z.object({ type: z.literal('text'), text: z.string() }),
    z.object({ type: z.literal('tool_call'), id: z.string().nullable(), name: z.string(), arguments: z.unknown() }),
    z.object({ type: z.literal('tool_result'), id: z.string().nullable(), result: z.unknown() }),
  ]),
  'MessagePart',
  'One part of a canonical message.',
);

export const ApiMessage = component(
  z.object({ role: z.string(), parts: z.array(ApiMessagePart) }),
  'Message',
  'A chat message in Cairn\'s canonical form.',
);

const payload = z
  .union([z.array(ApiMessage), z.unknown()])
  .describe('Canonical messages when the source carried messages, else the raw value; null when absent.');

export const ApiSpanEvent = component(
  z.object({
    timeUnixNano: nanos('Event time.'),
    time: isoTime('Event time.'),
    name: z.string(),
    attributes: attributeMap,
    droppedAttributesCount: count,
  }),
  'SpanEvent',
  'An event of a span (including gen_ai.* log records attached to it).',
);

export const ApiSpanLink = component(
  z.object({
    traceId: z.string(),
    spanId: z.string(),
    traceState: z.string(),
    attributes: attributeMap,
    droppedAttributesCount: count,
    flags: count,
  }),
  'SpanLink',
  'A link to another span.',
);

export const ApiSpanExplanation = component(
  z.object({
    normalizerVersion: z.number().int().describe('Rule set that produced the explanation (NORMALIZER_VERSION).'),
    spanType: z.enum(SPAN_TYPES),
    spanTypeGuessed: z.boolean().describe('True when the type was guessed (e.g. a model and provider without an operation).'),
    dialects: z.array(z.string()),
    fields: z
      .array(z.object({ field: z.string(), value: z.unknown(), dialect: z.string(), sources: z.array(z.string()) }))
      .describe('Each canonical field with the dialect and source attributes that produced it.'),
    overridden: z
      .array(z.object({ field: z.string(), dialect: z.string(), value: z.unknown(), sources: z.array(z.string()), keptFrom: z.string() }))
      .describe('Differing values from lower-precedence dialects (mixed dialects on one span).'),
    notCounted: z.string().nullable().describe('Why token counts on this span are not counted, or null.'),
    ignoredAttributes: z.array(z.string()).describe('Attribute keys no dialect reads (kept raw).'),
    missing: z.array(z.string()).describe('Fields expected for this span type that the span did not carry.'),
    problems: z.array(z.object({ source: z.string(), dialect: z.string(), message: z.string() })).describe('Unusable values, kept raw.'),
  }),
  'SpanExplanation',
  'Mapping explain: how the semantic layer read this span, computed on request from the raw attributes.',
);

export const ApiSpanDetail = component(
  z.object({
    ...spanFields,
    traceState: z.string(),
    flags: count,
    attributes: attributeMap,
    droppedAttributesCount: count,
    resource: z.object({ attributes: attributeMap, droppedAttributesCount: count, schemaUrl: z.string() }),
    scope: z.object({ name: z.string(), version: z.string(), attributes: attributeMap, schemaUrl: z.string() }),
    events: z.array(ApiSpanEvent),
    droppedEventsCount: count,
    links: z.array(ApiSpanLink),
    droppedLinksCount: count,
    input: payload,
    output: payload,
    requestModel: z.string().nullable(),
    toolCallId: z.string().nullable(),
    hasUsage: z.boolean().describe('True when the span reported any token count.'),
    dialects: z.array(z.string()).describe('Attribute dialects the span was recognised in, e.g. ["gen_ai"].'),
    receivedUnixNano: nanos('When the server accepted the span.'),
    explain: ApiSpanExplanation,
    cost: z
      .unknown()
      .describe('Why this cost: tokens × price per token class, the matched price-table entry and tier, provenance (app, table version, custom, unknown model); null for spans that are not model calls or carry no usage. See docs/costs.md.'),
  }),
  'SpanDetail',
  'A span with everything: raw attributes, resource, scope, events, links, input and output.',
);

export const ApiPlaceholder = component(
  z.object({
    spanId: z.string().describe('The parent span id that was referenced but not received.'),
    childSpanIds: z.array(z.string()).describe('Received spans whose parent is this missing span.'),
  }),
  'Placeholder',
  'A parent span referenced by received spans but not (yet) received itself; render it as a placeholder.',
);

export const ApiTraceDetail = component(
  z.object({ summary: ApiTraceSummary, spans: z.array(ApiSpan), placeholders: z.array(ApiPlaceholder) }),
  'TraceDetail',
  'A trace with all its spans, ordered by start time.',
);

export const ApiTracePage = component(
  z.object({ items: z.array(ApiTraceSummary), nextCursor: z.string().nullable() }),
  'TracePage',
  'A page of traces; pass nextCursor as cursor for the next page (null on the last page).',
);

export const ApiSessionSummary = component(
  z.object({
    sessionId: z.string(),
    traceCount: count,
    firstSeen: isoTime('Start of the session\'s first trace.'),
    lastSeen: isoTime('Last activity in the session.'),
    firstSeenUnixNano: nanos('Start of the session\'s first trace.'),
    lastSeenUnixNano: nanos('Last activity in the session.'),
    inputTokens: count,
    outputTokens: count,
    costUsd: z.number(),
  }),
  'SessionSummary',
  'Rollup of the traces that share a session id.',
);

export const ApiSessionPage = component(
  z.object({ items: z.array(ApiSessionSummary), nextCursor: z.string().nullable() }),
  'SessionPage',
  'A page of sessions.',
);

export const ApiSessionDetail = component(
  z.object({ session: ApiSessionSummary, traces: z.array(ApiTraceSummary) }),
  'SessionDetail',
  'A session and its traces in time order.',
);

export const ApiStats = component(
  z.object({
    spansReceived: count,
    liveSpansReceived: count.describe('Live records (snapshots of running spans) received; not counted in spansReceived.'),
    spansAccepted: count,
    spansRejected: count.describe('Invalid spans refused with OTLP partial success.'),
    spansDeduplicated: count,
    spansRefused: count.describe('Valid spans refused by backpressure or store failures; clients retry them.'),
    queueDepth: count.describe('Spans and events waiting in the write queue.'),
    eventsAccepted: count,
    logRecordsReceived: count,
    logRecordsIgnored: count,
    requestsReceived: count,
    requestsSucceeded: count,
    requestsInvalid: count,
    requestsThrottled: count,
    requestsFailed: count,
    batchesWritten: count,
    batchesFailed: count,
    storeBytes: count.describe('Bytes the store occupies on disk.'),
    spanCount: count.describe('Spans stored.'),
    traceCount: count.describe('Traces stored.'),
    store: z.string().describe('The store engine and the settings it runs with, e.g. "duckdb 1.5.6 (1 thread, memory limit 366.2 MiB)".'),
  }),
  'Stats',
  'Ingest counters since the server started, and store totals.',
);

export const ApiHealth = component(z.object({ status: z.literal('ok') }), 'Health', 'The server is up.');

export type ApiTraceSummaryRecord = z.output<typeof ApiTraceSummary>;
export type ApiSpanRecord = z.output<typeof ApiSpan>;
export type ApiSpanDetailRecord = z.output<typeof ApiSpanDetail>;
export type ApiSessionSummaryRecord = z.output<typeof ApiSessionSummary>;
export type ApiPlaceholderRecord = z.output<typeof ApiPlaceholder>;
export type ApiStatsRecord = z.output<typeof ApiStats>;

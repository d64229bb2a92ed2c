// The OpenAPI 3.1 document of the query API, generated from the zod schemas the server validates
// parameters with (query-params.ts) and shapes responses by (api-schemas.ts).

import { z } from 'zod';
// Registers the analytics response schemas in apiSchemaRegistry.
import './analysis-schemas.js';
import './analytics-schemas.js';
import { pricesQueryParams, projectIdParam } from './prices-schemas.js';
import { liveParams } from './live-schemas.js';
import { findingCountParams, metricsParams, qualityParams } from './analytics-params.js';
import { apiSchemaRegistry } from './api-schemas.js';
import { attributeCatalogParams } from './attribute-catalog-api.js';
import { traceViewParams } from './trace-tree-schemas.js';
import {
  ATTRIBUTE_PARAM_PREFIX,
  diffParams,
  sessionIdParam,
  sessionListParams,
  spanIdParam,
  traceIdParam,
  traceListParams,
} from './query-params.js';

type JsonObject = Record<string, unknown>;

const COMPONENT_PREFIX = '#/components/schemas/';
const ref = (id: string) => ({ $ref: `${COMPONENT_PREFIX}${id}` });

/** Drops noise that zod emits but that says nothing to an API reader. */
function tidy({ jsonSchema }: { jsonSchema: JsonObject }): void {
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
  // Response records may gain fields (the contract allows additions); clients must ignore extras.
  if (jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
}

function withoutDialect(schema: JsonObject): JsonObject {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function parameter(name: string, location: 'query' | 'path', schema: z.ZodType): JsonObject {
  const jsonSchema = withoutDialect(z.toJSONSchema(schema, { io: 'input', override: tidy }) as JsonObject);
  const { description, ...rest } = jsonSchema;
  return {
    name,
    in: location,
    required: location === 'path' || !schema.safeParse(undefined).success,
    ...(description === undefined ? {} : { description }),
    schema: rest,
  };
}

function queryParameters(schema: z.ZodObject): JsonObject[] {
  return Object.entries(schema.shape).map(([name, field]) => parameter(name, 'query', field as z.ZodType));
}

const attributeParameter = {
  name: `${ATTRIBUTE_PARAM_PREFIX}<key>`,
  in: 'query',
  required: false,
  description:
    'Raw attribute equality, repeatable, any attribute key: e.g. attr.gen_ai.request.model=gpt-4o. ' +
    'Matches traces with a span whose attribute <key>, rendered as text, equals the value.',
  schema: { type: 'string' },
};

function jsonResponse(description: string, schemaId: string): JsonObject {
  return { description, content: { 'application/json': { schema: ref(schemaId) } } };
}

const errorResponses = {
  '400': jsonResponse('Invalid parameter; the message says which and why.', 'Error'),
  '503': jsonResponse('The store is unavailable; retry after Retry-After seconds.', 'Error'),
};
const notFound = { '404': jsonResponse('Unknown id.', 'Error') };

function get(summary: string, parameters: JsonObject[], ok: JsonObject, extra: JsonObject = {}): JsonObject {
  return { get: { summary, parameters, responses: { '200': ok, ...errorResponses, ...extra } } };
}

/** The price endpoints (docs/costs.md): the only ones that write, so not built with get(). */
function pricePaths(): JsonObject {
  const projectId = parameter('projectId', 'path', projectIdParam);
  const projectNotFound = { '404': jsonResponse('The project has no prices of its own.', 'Error') };
  const recompute = 'Stored spans keep their cost until `cairn prices recompute --since <time> --project <id>`.';
  return {
    '/api/v1/prices': get(
      "The prices that apply to a project (its own, then --prices files, then the bundled table), each entry with its origin, table version and whether a higher table shadows it",
      queryParameters(pricesQueryParams),
      jsonResponse('The effective prices.', 'EffectivePrices'),
    ),
    '/api/v1/projects/{projectId}/prices': {
      get: {
        summary: "A project's own prices as stored",
        parameters: [projectId],
        responses: { '200': jsonResponse('The prices.', 'ProjectPrices'), ...errorResponses, ...projectNotFound },
      },
      put: {
        summary: `Set (replace) a project's own prices; the project's next spans are priced with them (cost provenance source "custom"). ${recompute}`,
        parameters: [projectId],
        requestBody: { required: true, content: { 'application/json': { schema: ref('ProjectPricesBody') } } },
        responses: {
          '200': jsonResponse('The stored prices.', 'ProjectPrices'),
          '400': jsonResponse('The body is not valid JSON or not a valid price document; the message names the field.', 'Error'),
          '413': jsonResponse('The body is larger than 1 MiB.', 'Error'),
          '415': jsonResponse('The body is not application/json.', 'Error'),
          '503': errorResponses['503'],
        },
      },
      delete: {
        summary: `Remove a project's own prices; its next spans are priced with the --prices files and the bundled table. ${recompute}`,
        parameters: [projectId],
        responses: { '200': { description: 'Removed.' }, ...errorResponses, ...projectNotFound },
      },
    },
  };
}

let cached: string | null = null;

export function buildOpenApiDocument(): JsonObject {
  const components = z.toJSONSchema(apiSchemaRegistry, {
    uri: (id) => `${COMPONENT_PREFIX}${id}`,
    override: tidy,
  }).schemas;
  const schemas: JsonObject = {};
  for (const [id, schema] of Object.entries(components)) schemas[id] = withoutDialect(schema as JsonObject);
  const traceId = parameter('traceId', 'path', traceIdParam);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Cairn query API',
      version: '1.0.0',
      description:
        'Read-only JSON API over stored traces. Times are nanoseconds since the epoch as decimal strings ' +
        '(…UnixNano) plus ISO 8601 conveniences. Errors are { error: { code, message } }.',
    },
    paths: {
      '/healthz': { get: { summary: 'Liveness', responses: { '200': jsonResponse('The server is up.', 'Health') } } },
      '/api/v1/openapi.json': {
        get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1 document.' } } },
      },
      '/api/v1/traces': get(
        'List traces in a time window, filtered and sorted, with cursor pagination',
        [...queryParameters(traceListParams), attributeParameter],
        jsonResponse('A page of traces.', 'TracePage'),
      ),
      '/api/v1/traces/{traceId}': get(
        'A trace with all its spans (without large payloads) and placeholders for missing parents; ?view=tree for the lean rows a span tree and waterfall draw',
        [traceId, ...queryParameters(traceViewParams)],
        {
          description: 'The trace: a TraceDetail (view=full, the default) or a TraceTree (view=tree).',
          content: { 'application/json': { schema: { oneOf: [ref('TraceDetail'), ref('TraceTree')] } } },
        },
        notFound,
      ),
      '/api/v1/traces/{traceId}/spans/{spanId}': get(
        'One span with everything',
        [traceId, parameter('spanId', 'path', spanIdParam)],
        jsonResponse('The span.', 'SpanDetail'),
        notFound,
      ),
      '/api/v1/traces/{traceId}/analysis': get(
        'Critical path, self time, detector findings and root-cause hint of a trace, computed on request',
        [traceId],
        jsonResponse('The analysis.', 'TraceAnalysis'),
        notFound,
      ),
      '/api/v1/attributes': get(
        'Attribute catalog for filter suggestions: raw attribute keys seen in a window, or the most frequent values of a key (key=) or of a trace-list filter (field=)',
        queryParameters(attributeCatalogParams),
        jsonResponse('The keys or values.', 'AttributeCatalog'),
      ),
      '/api/v1/diff': get(
        'Align two traces (e.g. one task under prompt v1 and v2): added, removed, changed and unchanged spans',
        queryParameters(diffParams),
        jsonResponse('The diff.', 'TraceDiff'),
        { '404': jsonResponse('Trace a or b is unknown.', 'Error') },
      ),
      '/api/v1/metrics': get(
        'Dashboard aggregation over spans: calls, errors, tokens, cost and latency percentiles per group (and time bucket); tokens and cost over single model calls only',
        [...queryParameters(metricsParams), attributeParameter],
        jsonResponse('The rows.', 'Metrics'),
      ),
      '/api/v1/findings': get(
        'Traces per persisted finding kind, with the trace-list filters (link each count to /api/v1/traces?finding=<kind>)',
        [...queryParameters(findingCountParams), attributeParameter],
        jsonResponse('The counts.', 'FindingCounts'),
      ),
      '/api/v1/quality': get(
        'Instrumentation quality report per service, with what to change in the app',
        queryParameters(qualityParams),
        jsonResponse('The report.', 'QualityReport'),
      ),
      '/api/v1/live': get(
        'Spans running now (reported started by the SDK, not finished yet) with their elapsed time, newest start first',
        queryParameters(liveParams),
        jsonResponse('The running spans.', 'LiveSpans'),
      ),
      '/api/v1/sessions': get(
        'List sessions active in a time window',
        queryParameters(sessionListParams),
        jsonResponse('A page of sessions.', 'SessionPage'),
      ),
      '/api/v1/sessions/{sessionId}': get(
        'A session and its traces in time order',
        [parameter('sessionId', 'path', sessionIdParam)],
        jsonResponse('The session.', 'SessionDetail'),
        notFound,
      ),
      '/api/v1/stats': get('Ingest counters and store totals', [], jsonResponse('Counters.', 'Stats')),
      ...pricePaths(),
    },
    components: { schemas },
  };
}

/** The document as JSON text, built once (the schemas do not change while the process runs). */
export function openApiDocumentJson(): string {
  cached ??= JSON.stringify(buildOpenApiDocument());
  return cached;
}

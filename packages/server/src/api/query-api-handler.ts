// The read-only JSON query API: routing, parameter parsing, store calls and error answers.
// Every failure goes through describeError, so status codes are decided in one place.

import type { PricingContext } from '@cairn/semantic';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { analyzeTrace, diffTraces } from '@cairn/analysis';
import { stringifyJson } from '@cairn/model';
import type { TraceSortField, TraceStore } from '@cairn/storage';
import { describeError } from '../error-response.js';
import { InvalidParameterError, MethodNotAllowedError, NotFoundError } from '../errors.js';
import type { IngestStats } from '../ingest/ingest-stats.js';
import type { Logger } from '../logger.js';
import { getFindingCounts, getMetrics, getQualityReport, withPersistedFindings } from './analytics-api.js';
import { getLiveSpans } from './live-api.js';
import type { ApiStatsRecord } from './api-schemas.js';
import { openApiDocumentJson } from './openapi-document.js';
import { getAttributeCatalog } from './attribute-catalog-api.js';
import { traceTreeJson, traceTreeRowsJson } from './trace-tree-json.js';
import { traceViewParams } from './trace-tree-schemas.js';
import { parsePathParam, parseQuery, resolveWindow } from './parse-query.js';
import {
  diffParams,
  sessionIdParam,
  sessionListParams,
  spanIdParam,
  traceIdParam,
  traceListParams,
} from './query-params.js';
import {
  findPlaceholders,
  toApiSessionSummary,
  toApiSpan,
  toApiSpanDetail,
  toApiTraceSummary,
} from './shape-records.js';
import { toApiTraceAnalysis, toApiTraceDiff } from './shape-analysis.js';

export interface QueryApiOptions {
  store: TraceStore;
  projectId: string;
  logger: Logger;
  ingestStats: () => IngestStats;
  pricing: PricingContext;
}

const ALLOWED_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;
/** Read-only API: any origin may read it (browser dashboards, notebooks). */
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': ALLOWED_METHODS.join(', '),
  'access-control-allow-headers': 'content-type, accept',
  'access-control-max-age': '600',
};

/** A JSON body ready to send (pre-serialized text for the OpenAPI document). */
type Reply = { status: number; json: string };

export function createQueryApiHandler(options: QueryApiOptions) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    void handleQueryRequest(options, request, response);
  };
}

async function handleQueryRequest(options: QueryApiOptions, request: IncomingMessage, response: ServerResponse) {
  const method = request.method ?? 'GET';
  // Query requests carry no body; drain any so keep-alive connections stay usable.
  request.resume();
  if (method === 'OPTIONS') {
    response.writeHead(204, CORS_HEADERS);
    response.end();
    return;
  }
  let reply: Reply;
  const extraHeaders: Record<string, string> = {};
  try {
    if (method !== 'GET' && method !== 'HEAD') throw new MethodNotAllowedError(method, ALLOWED_METHODS);
    reply = await route(options, new URL(request.url ?? '/', 'http://localhost'));
  } catch (error) {
    const described = describeError(error);
    if (described.unexpected) options.logger.error(`query ${method} ${request.url ?? ''} failed`, error);
    if (described.retryAfterSeconds !== null) extraHeaders['retry-after'] = String(described.retryAfterSeconds);
    if (error instanceof MethodNotAllowedError) extraHeaders['allow'] = error.allowed.join(', ');
    reply = { status: described.httpStatus, json: JSON.stringify({ error: { code: described.code, message: described.message } }) };
  }
  if (response.destroyed) return;
  const body = Buffer.from(reply.json);
  response.writeHead(reply.status, {
    ...CORS_HEADERS,
    ...extraHeaders,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(body.byteLength),
    'cache-control': 'no-store',
  });
  response.end(method === 'HEAD' ? undefined : body);
}

function ok(value: unknown): Reply {
  return { status: 200, json: stringifyJson(value) };
}

function pathSegments(pathname: string): string[] {
  try {
    return pathname.split('/').filter((segment) => segment !== '').map(decodeURIComponent);
  } catch {
    throw new InvalidParameterError(`the path ${pathname.slice(0, 100)} is not validly percent-encoded`);
  }
}

async function route(options: QueryApiOptions, url: URL): Promise<Reply> {
  const segments = pathSegments(url.pathname);
  const [first, second, resource, id, sub, subId, ...rest] = segments;
  if (first === 'healthz' && segments.length === 1) return ok({ status: 'ok' });
  if (first === 'api' && second === 'v1' && rest.length === 0) {
    if (resource === 'openapi.json' && id === undefined) return { status: 200, json: openApiDocumentJson() };
    if (resource === 'stats' && id === undefined) return ok(await stats(options));
    if (resource === 'traces') {
      if (id === undefined) return ok(await listTraces(options, url.searchParams));
      if (sub === undefined) return getTraceReply(options, id, url.searchParams);
      if (sub === 'spans' && subId !== undefined) return ok(await getSpan(options, id, subId));
      if (sub === 'analysis' && subId === undefined) return ok(await getTraceAnalysis(options, id));
    }
    if (resource === 'attributes' && id === undefined) return ok(await getAttributeCatalog(options, url.searchParams));
    if (resource === 'diff' && id === undefined) return ok(await getDiff(options, url.searchParams));
    if (resource === 'metrics' && id === undefined) return ok(await getMetrics(options, url.searchParams));
    if (resource === 'findings' && id === undefined) return ok(await getFindingCounts(options, url.searchParams));
    if (resource === 'quality' && id === undefined) return ok(await getQualityReport(options, url.searchParams));
    if (resource === 'live' && id === undefined) return ok(await getLiveSpans(options, url.searchParams));
    if (resource === 'sessions') {
      if (id === undefined) return ok(await listSessions(options, url.searchParams));
      if (sub === undefined) return ok(await getSession(options, id));
    }
  }
  throw new NotFoundError(`no endpoint at ${url.pathname.slice(0, 200)}; see /api/v1/openapi.json`);
}

async function listTraces({ store, projectId }: QueryApiOptions, search: URLSearchParams) {
  const { params, attributes } = parseQuery(traceListParams, search, { attributes: true });
  const { from, to, sort, q, ...filters } = params;
  const descending = sort.startsWith('-');
  const page = await store.listTraces({
    ...filters,
    ...resolveWindow(from, to),
    projectId,
    text: q,
    attributes: attributes.length > 0 ? attributes : undefined,
    sort: { field: (descending ? sort.slice(1) : sort) as TraceSortField, descending },
  });
  return { items: page.items.map(toApiTraceSummary), nextCursor: page.nextCursor };
}

async function getTrace({ store, projectId }: QueryApiOptions, rawTraceId: string) {
  const traceId = parsePathParam(traceIdParam, 'trace id', rawTraceId);
  // A Span record shows no attributes, events or links: the tree view's columns are all it needs,
  // so the store reads those only (trace-tree.ts) and the answer is the same.
  const trace = await store.getTrace(projectId, traceId, { view: 'tree' });
  if (trace === null) throw new NotFoundError(`trace ${traceId} not found`);
  return {
    summary: toApiTraceSummary(trace.summary),
    spans: trace.spans.map(toApiSpan),
    placeholders: findPlaceholders(trace.spans),
  };
}

/** The trace in the view asked for: the contract's Span records, or the viewer's tree rows. */
async function getTraceReply(options: QueryApiOptions, rawTraceId: string, search: URLSearchParams): Promise<Reply> {
  const { params } = parseQuery(traceViewParams, search, { attributes: false });
  // Span records hold no bigint (times are decimal strings): plain JSON.stringify, without
  // stringifyJson's replacer visiting each of a big trace's values.
  if (params.view === 'full') return { status: 200, json: JSON.stringify(await getTrace(options, rawTraceId)) };
  const traceId = parsePathParam(traceIdParam, 'trace id', rawTraceId);
  const { store, projectId } = options;
  const tree = store.getTraceTreeView ? await store.getTraceTreeView(projectId, traceId) : await store.getTrace(projectId, traceId, { view: 'tree' });
  if (tree === null) throw new NotFoundError(`trace ${traceId} not found`);
  return { status: 200, json: 'rowsJson' in tree ? traceTreeRowsJson(tree) : traceTreeJson(tree, findPlaceholders(tree.spans)) };
}

async function loadSpans({ store, projectId }: QueryApiOptions, traceId: string, parameter = '') {
  const trace = await store.getTrace(projectId, traceId);
  if (trace === null) throw new NotFoundError(`trace ${traceId}${parameter === '' ? '' : ` (parameter ${parameter})`} not found`);
  return trace.spans;
}

/** Computed on every request from the stored spans: cheap next to loading them (~ms for 10k spans). */
async function getTraceAnalysis(options: QueryApiOptions, rawTraceId: string) {
  const traceId = parsePathParam(traceIdParam, 'trace id', rawTraceId);
  const spans = await loadSpans(options, traceId);
  return toApiTraceAnalysis(traceId, await withPersistedFindings(options, traceId, spans, analyzeTrace(spans)));
}

async function getDiff(options: QueryApiOptions, search: URLSearchParams) {
  const { params } = parseQuery(diffParams, search, { attributes: false });
  const [spansA, spansB] = await Promise.all([
    loadSpans(options, params.a, 'a'),
    loadSpans(options, params.b, 'b'),
  ]);
  return toApiTraceDiff(params.a, params.b, diffTraces(spansA, spansB));
}

async function getSpan({ store, projectId, pricing }: QueryApiOptions, rawTraceId: string, rawSpanId: string) {
  const traceId = parsePathParam(traceIdParam, 'trace id', rawTraceId);
  const spanId = parsePathParam(spanIdParam, 'span id', rawSpanId);
  const span = await store.getSpan(projectId, traceId, spanId);
  if (span === null) throw new NotFoundError(`span ${spanId} of trace ${traceId} not found`);
  return toApiSpanDetail(span, pricing);
}

async function listSessions({ store, projectId }: QueryApiOptions, search: URLSearchParams) {
  const { params } = parseQuery(sessionListParams, search, { attributes: false });
  const page = await store.listSessions({
    projectId,
    ...resolveWindow(params.from, params.to),
    limit: params.limit,
    cursor: params.cursor,
  });
  return { items: page.items.map(toApiSessionSummary), nextCursor: page.nextCursor };
}

async function getSession({ store, projectId }: QueryApiOptions, rawSessionId: string) {
  const sessionId = parsePathParam(sessionIdParam, 'session id', rawSessionId);
  const found = await store.getSession(projectId, sessionId);
  if (found === null) throw new NotFoundError(`session ${JSON.stringify(sessionId.slice(0, 200))} not found`);
  return { session: toApiSessionSummary(found.session), traces: found.traces.map(toApiTraceSummary) };
}

async function stats({ store, ingestStats }: QueryApiOptions): Promise<ApiStatsRecord> {
  const storeStats = await store.stats();
  return {
    ...ingestStats(),
    storeBytes: storeStats.storeBytes,
    spanCount: storeStats.spanCount,
    traceCount: storeStats.traceCount,
    store: store.description,
  };
}

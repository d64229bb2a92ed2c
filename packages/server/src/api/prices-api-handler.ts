// The price endpoints: the effective prices of a project with where each comes from, and a
// project's own prices (GET, PUT, DELETE). Writes are not offered to other origins (CORS allows
// only reads), so a web page elsewhere cannot change prices through a user's browser.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PriceEntry, PriceTable, PricingContext } from '@cairn/semantic';
import { describeError } from '../error-response.js';
import { InvalidParameterError, MalformedBodyError, MethodNotAllowedError, NotFoundError, UnsupportedMediaTypeError } from '../errors.js';
import type { Logger } from '../logger.js';
import { readBody } from '../otlp-http/read-body.js';
import type { ProjectPrices, ProjectPricesState } from '../prices/project-prices.js';
import { parsePathParam, parseQuery } from './parse-query.js';
import { pricesQueryParams, projectIdParam } from './prices-schemas.js';

export interface PricesApiOptions {
  projectPrices: ProjectPrices;
  pricing: PricingContext;
  /** The project of `GET /api/v1/prices` without ?project=: the server's. */
  defaultProjectId: string;
  logger: Logger;
}

/** A price document is small; this bounds what a client can make the server hold. */
const MAX_PRICES_BODY_BYTES = 1024 * 1024;
const READ_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;
const PROJECT_METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'] as const;
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': READ_METHODS.join(', '),
  'access-control-allow-headers': 'content-type, accept',
  'access-control-max-age': '600',
};

/** True for the paths this handler answers: /api/v1/prices and /api/v1/projects/{id}/prices. */
export function isPricesPath(url: string | undefined): boolean {
  const pathname = (url ?? '/').split('?', 1)[0]!;
  return pathname === '/api/v1/prices' || /^\/api\/v1\/projects\/[^/]+\/prices\/?$/.test(pathname);
}

const recomputeNote = (projectId: string) =>
  `new spans of project ${projectId} are priced with these prices from now on; spans already stored keep their cost ` +
  `until \`cairn prices recompute --since <time> --project ${projectId}\``;

export function createPricesApiHandler(options: PricesApiOptions) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    void handle(options, request, response);
  };
}

async function handle(options: PricesApiOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const method = request.method ?? 'GET';
  const url = new URL(request.url ?? '/', 'http://localhost');
  let status = 200;
  let body: unknown;
  const headers: Record<string, string> = {};
  try {
    if (method === 'OPTIONS') {
      request.resume();
      response.writeHead(204, CORS_HEADERS);
      response.end();
      return;
    }
    body = await route(options, method, url, request);
  } catch (error) {
    request.resume();
    const described = describeError(error);
    if (described.unexpected) options.logger.error(`prices ${method} ${url.pathname} failed`, error);
    if (error instanceof MethodNotAllowedError) headers['allow'] = error.allowed.join(', ');
    status = described.httpStatus;
    body = { error: { code: described.code, message: described.message } };
  }
  if (response.destroyed) return;
  const json = Buffer.from(JSON.stringify(body));
  response.writeHead(status, {
    ...CORS_HEADERS,
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(json.byteLength),
    'cache-control': 'no-store',
  });
  response.end(method === 'HEAD' ? undefined : json);
}

async function route(options: PricesApiOptions, method: string, url: URL, request: IncomingMessage): Promise<unknown> {
  if (url.pathname === '/api/v1/prices') {
    request.resume();
    if (method !== 'GET' && method !== 'HEAD') throw new MethodNotAllowedError(method, READ_METHODS);
    const { params } = parseQuery(pricesQueryParams, url.searchParams, { attributes: false });
    return effectivePrices(options, params.project ?? options.defaultProjectId);
  }
  let rawProjectId: string;
  try {
    rawProjectId = decodeURIComponent(url.pathname.split('/')[4] ?? '');
  } catch {
    throw new InvalidParameterError('the project id in the path is not validly percent-encoded');
  }
  const projectId = parsePathParam(projectIdParam, 'project id', rawProjectId);
  const { projectPrices } = options;
  switch (method) {
    case 'GET':
    case 'HEAD': {
      request.resume();
      const state = projectPrices.get(projectId);
      if (state === null) throw new NotFoundError(`project ${projectId} has no prices of its own; GET /api/v1/prices?project=${projectId} shows the prices that apply`);
      return projectPricesRecord(options, state);
    }
    case 'PUT': {
      const contentType = (request.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
      if (contentType !== 'application/json') throw new UnsupportedMediaTypeError(`send the prices as application/json, not ${JSON.stringify(contentType)}`);
      const text = (await readBody(request, MAX_PRICES_BODY_BYTES)).toString('utf8');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new MalformedBodyError(`the body is not valid JSON: ${(error as Error).message}`);
      }
      return projectPricesRecord(options, await projectPrices.put(projectId, value));
    }
    case 'DELETE': {
      request.resume();
      if (!(await projectPrices.remove(projectId))) throw new NotFoundError(`project ${projectId} has no prices of its own`);
      return { projectId, removed: true, note: recomputeNote(projectId).replace('with these prices', 'with the --prices files and the bundled table') };
    }
    default:
      request.resume();
      throw new MethodNotAllowedError(method, PROJECT_METHODS);
  }
}

function storage(options: PricesApiOptions) {
  return { description: options.projectPrices.storeDescription, reloadMillis: options.projectPrices.reloadMillis };
}

function projectPricesRecord(options: PricesApiOptions, state: ProjectPricesState) {
  return {
    projectId: state.projectId,
    version: state.table.version,
    updatedAt: state.updatedAt,
    entryCount: state.table.entries.length,
    prices: state.document,
    storage: storage(options),
    note: recomputeNote(state.projectId),
  };
}

function effectivePrices(options: PricesApiOptions, projectId: string) {
  const { pricing } = options;
  const own = pricing.projectPrices(projectId);
  const tables = pricing.tablesFor(projectId);
  const originOf = (table: PriceTable) => (table === own ? 'project' : table === pricing.bundled ? 'bundled' : 'file');
  const entries = tables.flatMap((table, rank) =>
    table.entries.map((entry) => {
      const shadowing = tables.slice(0, rank).find((higher) => [entry.id, ...entry.aliases].some((id) => pricing.history(higher, id).length > 0));
      return entryRecord(entry, table, originOf(table), shadowing?.version ?? null);
    }),
  );
  return {
    projectId,
    tables: tables.map((table) => ({
      version: table.version,
      origin: originOf(table),
      projects: table.projects,
      listPricesCheckedOn: table.listPricesCheckedOn,
      sources: table.sources,
      entryCount: table.entries.length,
    })),
    storage: storage(options),
    entries,
  };
}

function entryRecord(entry: PriceEntry, table: PriceTable, origin: string, shadowedBy: string | null) {
  return {
    origin,
    tableVersion: table.version,
    priceId: entry.priceId,
    id: entry.id,
    aliases: entry.aliases,
    providers: entry.providers,
    effectiveFrom: entry.effectiveFrom,
    prices: entry.prices,
    tiers: entry.tiers,
    cacheConvention: entry.cacheConvention,
    note: entry.note,
    source: entry.source,
    shadowedBy,
  };
}

// A real server on ephemeral 127.0.0.1 ports over a real DuckDB store in a temp directory.

import { mkdtemp, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbStore } from '@cairn/storage-duckdb';
import type { GetTraceOptions, TraceStore } from '@cairn/storage';
import { createServer, type CairnServer, type Logger, type ServerAddresses, type ServerConfig } from '../../src/index.js';

export interface TestServer {
  server: CairnServer;
  store: TraceStore;
  addresses: ServerAddresses;
  apiUrl: string;
  otlpUrl: string;
  logs: string[];
  close(): Promise<void>;
}

export interface TestServerOptions {
  config?: Partial<ServerConfig>;
  /** Wraps the real store, e.g. to slow or fail writes. */
  wrapStore?: (store: TraceStore) => TraceStore;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-server-test-'));
  const realStore = await openDuckDbStore({ dataDir });
  const store = options.wrapStore?.(realStore) ?? realStore;
  const logs: string[] = [];
  const logger: Logger = {
    info: (message) => logs.push(`info ${message}`),
    warn: (message) => logs.push(`warn ${message}`),
    error: (message, cause) => logs.push(`error ${message} ${cause instanceof Error ? cause.message : String(cause)}`),
  };
  const server = createServer({
    store,
    logger,
    config: { host: '127.0.0.1', port: 0, otlpHttpPort: 0, otlpGrpcPort: null, ...options.config },
  });
  const addresses = await server.start();
  return {
    server,
    store,
    addresses,
    apiUrl: addresses.apiUrl ?? '',
    otlpUrl: addresses.otlpHttpUrl ?? '',
    logs,
    async close() {
      await server.stop();
      await realStore.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Delegates every TraceStore method to `store`, overriding write. */
export function withWrite(store: TraceStore, write: TraceStore['write']): TraceStore {
  return {
    get description() {
      return store.description;
    },
    write,
    listTraces: (query) => store.listTraces(query),
    getTrace: ((projectId: string, traceId: string, options?: GetTraceOptions) => store.getTrace(projectId, traceId, options ?? {})) as TraceStore['getTrace'],
    catalogAttributes: (query) => store.catalogAttributes(query),
    getSpan: (projectId, traceId, spanId) => store.getSpan(projectId, traceId, spanId),
    listSessions: (query) => store.listSessions(query),
    getSession: (projectId, sessionId) => store.getSession(projectId, sessionId),
    stats: () => store.stats(),
    listLiveSpans: (query) => store.listLiveSpans(query),
    aggregateMetrics: (query) => store.aggregateMetrics(query),
    writeFindings: (records) => store.writeFindings(records),
    getFindings: (projectId, traceId) => store.getFindings(projectId, traceId),
    listDueTraces: (query) => store.listDueTraces(query),
    countFindings: (filter) => store.countFindings(filter),
    qualityStats: (query) => store.qualityStats(query),
    applyRetention: (request) => store.applyRetention(request),
    scanSpans: (query) => store.scanSpans(query),
    updateSpanSemantics: (spans, normalizerVersion) => store.updateSpanSemantics(spans, normalizerVersion),
    close: () => store.close(),
  };
}

export async function postOtlp(
  url: string,
  body: Uint8Array | string,
  headers: Record<string, string>,
  path = '/v1/traces',
): Promise<Response> {
  // TS 5.9's DOM types reject Uint8Array<ArrayBufferLike> as a body although fetch accepts it.
  return fetch(`${url}${path}`, { method: 'POST', headers, body: body as BodyInit });
}

// Response bodies are checked field by field in the tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonBody = any;

export async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: JsonBody; headers: Headers }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text), headers: response.headers };
}

/**
 * The store with writePrepared slowed down and everything else as it is, the write preparer of
 * the ingest threads included (withWrite's wrapper has none, so its server decodes on the event loop).
 */
export function withSlowPreparedWrites(store: TraceStore, millis: number): TraceStore {
  if (!store.writePreparer || !store.writePrepared) throw new Error('the store cannot prepare writes in other threads');
  const writePrepared = store.writePrepared.bind(store);
  return new Proxy(store, {
    get(target, property) {
      if (property === 'writePrepared') return async (...args: Parameters<typeof writePrepared>) => (await sleep(millis), writePrepared(...args));
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

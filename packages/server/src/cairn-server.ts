// createServer: the whole Cairn server without the CLI — OTLP/HTTP and OTLP/gRPC receivers, the
// ingest pipeline with its bounded write queue, the JSON query API and the static web UI. The store is the
// caller's: stop() drains the queue into it but does not close it.

import { PricingContext } from '@cairn/semantic';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { Server as GrpcServer } from '@grpc/grpc-js';
import type { TraceStore } from '@cairn/storage';
import { BackgroundAnalyzer } from './analytics/background-analyzer.js';
import { RetentionScheduler } from './retention/retention-scheduler.js';
import { createPricesApiHandler, isPricesPath } from './api/prices-api-handler.js';
import { createQueryApiHandler } from './api/query-api-handler.js';
import { createIngestCounters, type IngestStats } from './ingest/ingest-stats.js';
import { IngestPipeline } from './ingest/ingest-pipeline.js';
import { IngestThreads } from './ingest/ingest-threads.js';
import { WriteQueue } from './ingest/write-queue.js';
import { bindGrpc, hostPort, listenHttp } from './listen.js';
import { createStderrLogger, type Logger } from './logger.js';
import { createOtlpGrpcServer } from './otlp-grpc/otlp-grpc-server.js';
import { createOtlpHttpHandler, isOtlpPath } from './otlp-http/otlp-http-handler.js';
import { createMemoryProjectPriceStore } from './prices/memory-project-price-store.js';
import type { ProjectPriceStore } from './prices/project-price-store.js';
import { DEFAULT_PRICES_RELOAD_MILLIS, ProjectPrices } from './prices/project-prices.js';
import { resolveServerConfig, type ServerConfig } from './server-config.js';
import { createStaticFilesHandler, createWebNotBuiltHandler } from './static/static-files-handler.js';

export interface ServerAddresses {
  /** e.g. http://127.0.0.1:3000, or null when the query API does not listen. */
  apiUrl: string | null;
  /** e.g. http://127.0.0.1:4318 (POST /v1/traces there), or null. */
  otlpHttpUrl: string | null;
  /** e.g. 127.0.0.1:4317, or null. */
  otlpGrpcAddress: string | null;
}

export interface CairnServer {
  /** Binds every configured listener; rejects with PortInUseError (code 'port_in_use') if a port is taken. */
  start(): Promise<ServerAddresses>;
  /** Stops accepting, waits for queued writes to finish, then closes the listeners. */
  stop(): Promise<void>;
  stats(): IngestStats;
}

export interface CreateServerOptions {
  store: TraceStore;
  config: ServerConfig;
  /** Default: one line per message on stderr. */
  logger?: Logger;
  /** Prices for the cost of model calls; default: the bundled price table. */
  pricing?: PricingContext;
  /**
   * Where projects' own prices (PUT /api/v1/projects/{id}/prices) persist; default: memory only.
   * `cairn serve` passes a DirectoryProjectPriceStore under the data directory.
   */
  projectPriceStore?: ProjectPriceStore;
  /** Re-list projectPriceStore this often, so servers sharing it converge. Default 5 000 ms; null = never. */
  pricesReloadMillis?: number | null;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

function isQueryApiPath(url: string | undefined): boolean {
  const pathname = (url ?? '/').split('?', 1)[0]!;
  return pathname === '/healthz' || pathname === '/api' || pathname.startsWith('/api/');
}

const QUEUE_FULL_RETRY_AFTER_SECONDS = 1;
const WRITE_FAILED_RETRY_AFTER_SECONDS = 5;
/** Request bytes allowed to wait for an ingest thread (one larger request is taken when none waits). */
const MAX_PENDING_DECODE_BYTES = 64 * 1024 * 1024;
/** How long stop() lets open requests finish before cutting connections. */
const STOP_GRACE_MILLIS = 5_000;

export function createServer({
  store,
  config,
  logger = createStderrLogger(),
  // Per server, not the shared default: project prices are set on it.
  pricing = new PricingContext(),
  projectPriceStore = createMemoryProjectPriceStore(),
  pricesReloadMillis = DEFAULT_PRICES_RELOAD_MILLIS,
}: CreateServerOptions): CairnServer {
  const settings = resolveServerConfig(config);
  const counters = createIngestCounters();
  const threads =
    settings.ingestThreads > 0 && store.writePreparer && store.adoptPrepared && store.writePrepared
      ? new IngestThreads({
          threads: settings.ingestThreads,
          projectId: settings.projectId,
          preparer: store.writePreparer,
          pricing,
          logger,
          maxPendingBytes: MAX_PENDING_DECODE_BYTES,
          retryAfterSeconds: QUEUE_FULL_RETRY_AFTER_SECONDS,
        })
      : null;
  const queue = new WriteQueue({
    store,
    logger,
    counters,
    maxQueuedSpans: settings.maxQueuedSpans,
    maxBatchSpans: settings.maxBatchSpans,
    minBatchSpans: settings.minBatchSpans,
    batchWaitMillis: settings.batchWaitMillis,
    // With ingest threads, a write waits for more only while a thread is preparing some.
    ...(threads === null ? {} : { incoming: () => threads.preparing }),
    queueFullRetryAfterSeconds: QUEUE_FULL_RETRY_AFTER_SECONDS,
    writeFailedRetryAfterSeconds: WRITE_FAILED_RETRY_AFTER_SECONDS,
  });
  const pipeline = new IngestPipeline(queue, counters, settings.projectId, logger, pricing, threads);
  const stats = (): IngestStats => ({ ...counters, queueDepth: queue.depth });
  const otlpHandler = createOtlpHttpHandler({ pipeline, logger, maxRequestBytes: settings.maxRequestBytes });
  const queryHandler = createQueryApiHandler({ store, projectId: settings.projectId, logger, ingestStats: stats, pricing });
  const projectPrices = new ProjectPrices({ pricing, store: projectPriceStore, logger, reloadMillis: pricesReloadMillis });
  const pricesHandler = createPricesApiHandler({ projectPrices, pricing, defaultProjectId: settings.projectId, logger });
  const webHandler = settings.webRoot !== null ? createStaticFilesHandler(settings.webRoot) : createWebNotBuiltHandler();
  // The API port: /healthz and /api/* are the query API exactly as before; other paths are the UI.
  const retention =
    settings.retention === null
      ? null
      : new RetentionScheduler({ store, logger, policy: settings.retention, intervalMillis: settings.retentionIntervalMillis });
  const analyzer =
    settings.analysisQuietMillis === null
      ? null
      : new BackgroundAnalyzer({
          store,
          logger,
          quietMillis: settings.analysisQuietMillis,
          pollMillis: settings.analysisPollMillis,
          ingestBusyMillis: () => queue.busyMillis,
        });
  const apiHandler: Handler = (request, response) =>
    (isPricesPath(request.url) ? pricesHandler : isQueryApiPath(request.url) ? queryHandler : webHandler)(request, response);

  const httpServers: HttpServer[] = [];
  let grpcServer: GrpcServer | null = null;
  let state: 'new' | 'starting' | 'started' | 'stopped' = 'new';

  // Responses still being produced when stop() is called must close their connection, or
  // keep-alive clients would hold server.close() open until their idle timeout.
  const openResponses = new Set<ServerResponse>();
  const tracked = (handler: Handler): Handler => (request, response) => {
    if (state === 'stopped') response.setHeader('connection', 'close');
    openResponses.add(response);
    response.once('close', () => openResponses.delete(response));
    handler(request, response);
  };

  async function startHttp(port: number, handler: Handler, label: string, flag: string): Promise<number> {
    const server = createHttpServer(tracked(handler));
    httpServers.push(server);
    const bound = await listenHttp(server, settings.host, port, { label, flag });
    return bound;
  }

  async function closeListeners(): Promise<void> {
    const grpc = grpcServer;
    grpcServer = null;
    const closing = httpServers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          if (!server.listening) return resolve();
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    );
    if (grpc !== null) {
      closing.push(
        new Promise<void>((resolve) => {
          const force = setTimeout(() => grpc.forceShutdown(), STOP_GRACE_MILLIS);
          grpc.tryShutdown(() => {
            clearTimeout(force);
            resolve();
          });
        }),
      );
    }
    await Promise.all(closing);
  }

  async function start(): Promise<ServerAddresses> {
    if (state !== 'new') throw new Error(`the server was already ${state}; create a new one`);
    state = 'starting';
    const addresses: ServerAddresses = { apiUrl: null, otlpHttpUrl: null, otlpGrpcAddress: null };
    const { host, port, otlpHttpPort, otlpGrpcPort } = settings;
    // One listener serves both when the query API and OTLP/HTTP are configured on the same port.
    const shared = port !== null && port !== 0 && port === otlpHttpPort;
    try {
      // Before any listener: the first spans of a project are priced with its own prices, and
      // the first export does not wait for its ingest thread to load.
      await projectPrices.start();
      await threads?.ready().catch((cause: unknown) => {
        throw new Error(`the ingest thread could not start (--ingest-threads 0 decodes on the event loop instead): ${String(cause)}`, { cause });
      });
      if (port !== null) {
        const handler: Handler = shared
          ? (request, response) => (isOtlpPath(request.url) ? otlpHandler : apiHandler)(request, response)
          : apiHandler;
        const bound = await startHttp(port, handler, 'query API', '--port');
        addresses.apiUrl = `http://${hostPort(host, bound)}`;
        if (shared) addresses.otlpHttpUrl = addresses.apiUrl;
      }
      if (otlpHttpPort !== null && !shared) {
        const bound = await startHttp(otlpHttpPort, otlpHandler, 'OTLP/HTTP', '--otlp-http-port');
        addresses.otlpHttpUrl = `http://${hostPort(host, bound)}`;
      }
      if (otlpGrpcPort !== null) {
        grpcServer = createOtlpGrpcServer({ pipeline, logger, maxRequestBytes: settings.maxRequestBytes });
        const bound = await bindGrpc(grpcServer, host, otlpGrpcPort, { label: 'OTLP/gRPC', flag: '--otlp-grpc-port' });
        addresses.otlpGrpcAddress = hostPort(host, bound);
      }
    } catch (error) {
      await closeListeners();
      await threads?.close();
      await projectPrices.stop();
      state = 'stopped';
      throw error;
    }
    state = 'started';
    analyzer?.start();
    retention?.start();
    if (addresses.apiUrl !== null) logger.info(`query API listening on ${addresses.apiUrl}`);
    if (addresses.otlpHttpUrl !== null) logger.info(`OTLP/HTTP listening on ${addresses.otlpHttpUrl}/v1/traces`);
    if (addresses.otlpGrpcAddress !== null) logger.info(`OTLP/gRPC listening on ${addresses.otlpGrpcAddress}`);
    return addresses;
  }

  async function stop(): Promise<void> {
    if (state === 'stopped') return;
    state = 'stopped';
    for (const response of openResponses) if (!response.headersSent) response.setHeader('connection', 'close');
    const servers = [...httpServers];
    const listenersClosed = closeListeners();
    // Requests already accepted are written (and answered) before the process may exit.
    await threads?.close();
    await queue.close();
    await analyzer?.stop();
    await retention?.stop();
    await projectPrices.stop();
    const cut = setTimeout(() => {
      for (const server of servers) server.closeAllConnections();
    }, STOP_GRACE_MILLIS);
    await listenersClosed;
    clearTimeout(cut);
  }

  return { start, stop, stats };
}

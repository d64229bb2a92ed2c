// Server options with their documented defaults, resolved once.

import { DEFAULT_RETENTION_INTERVAL_MILLIS, type RetentionPolicy } from './retention/retention-scheduler.js';

export interface ServerConfig {
  /** Interface to listen on. Default '127.0.0.1' (local only). */
  host?: string;
  /** Query API (and later web UI) port. null = do not listen; 0 = an ephemeral port (tests). */
  port: number | null;
  /** OTLP/HTTP port; 4318 by convention. null = do not listen. */
  otlpHttpPort: number | null;
  /** OTLP/gRPC port; 4317 by convention. null = do not listen. */
  otlpGrpcPort: number | null;
  /** Largest accepted request, after decompression (→ 413 / RESOURCE_EXHAUSTED). Default 64 MiB. */
  maxRequestBytes?: number;
  /** Spans and events allowed to wait for a write (→ 429 / UNAVAILABLE beyond). Default 50,000. */
  maxQueuedSpans?: number;
  /** Largest group commit, in spans and events (whole requests). Default 10,000. */
  maxBatchSpans?: number;
  /**
   * While requests keep arriving (some were waiting when a write ended), the next write waits up
   * to batchWaitMillis for this many spans and events, so that writes stay large. Default 2,000.
   */
  minBatchSpans?: number;
  /**
   * See minBatchSpans. Default 25 ms; 0 = a write never waits. With ingest threads a write waits
   * only while one of them is preparing an export (WriteQueueOptions.incoming).
   */
  batchWaitMillis?: number;
  /**
   * Threads that decode, normalize and prepare OTLP trace exports off the event loop, used when
   * the store can prepare its writes in another thread (TraceStore.writePreparer: DuckDB).
   * Default 1; 0 = on the event loop.
   */
  ingestThreads?: number;
  /** Project the spans are stored under. Default 'default'. */
  projectId?: string;
  /**
   * Directory of the built web UI (holding index.html), served on `port` next to the API:
   * files by path, index.html for every other non-/api page path. Default null: `/` answers
   * with a short page saying how to build the UI. /healthz and /api/* are never affected.
   */
  webRoot?: string | null;
  /**
   * Background analysis: detectors run on a trace once no span of it arrived for this long, and
   * the findings are stored (filter ?finding=, dashboard counts). Default 10 000 ms; null = off.
   */
  analysisQuietMillis?: number | null;
  /** Pause between the analyzer's polls of the store. Default 2 000 ms. */
  analysisPollMillis?: number;
  /**
   * Retention by time (TraceStore.applyRetention), applied at start and then every
   * retentionIntervalMillis. Default null: keep everything forever.
   */
  retention?: RetentionPolicy | null;
  /** Pause between retention passes. Default 3 600 000 ms (1 hour). */
  retentionIntervalMillis?: number;
}

export interface ResolvedServerConfig {
  host: string;
  port: number | null;
  otlpHttpPort: number | null;
  otlpGrpcPort: number | null;
  maxRequestBytes: number;
  maxQueuedSpans: number;
  maxBatchSpans: number;
  minBatchSpans: number;
  batchWaitMillis: number;
  ingestThreads: number;
  projectId: string;
  webRoot: string | null;
  analysisQuietMillis: number | null;
  analysisPollMillis: number;
  retention: RetentionPolicy | null;
  retentionIntervalMillis: number;
}

export const DEFAULT_ANALYSIS_QUIET_MILLIS = 10_000;
export const DEFAULT_ANALYSIS_POLL_MILLIS = 2_000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_OTLP_HTTP_PORT = 4318;
export const DEFAULT_OTLP_GRPC_PORT = 4317;
export const DEFAULT_MAX_REQUEST_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_QUEUED_SPANS = 50_000;
export const DEFAULT_MAX_BATCH_SPANS = 10_000;
/** Measured on 2 cores, DuckDB, 8 × 500-span exports in flight: 2,000 / 10 ms served 5–7 % more than not waiting (BENCHMARKS.md). */
export const DEFAULT_MIN_BATCH_SPANS = 2_000;
/** 25 ms (10 before): writes of ~1,750 spans instead of ~1,300 with an ingest thread, ~6 % less CPU per span (BENCHMARKS.md). */
export const DEFAULT_BATCH_WAIT_MILLIS = 25;
export const DEFAULT_INGEST_THREADS = 1;
export const DEFAULT_PROJECT_ID = 'default';

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be an integer of 0 or more, got ${value}`);
  return value;
}

function portOrNull(name: string, value: number | null): number | null {
  if (value !== null && (!Number.isInteger(value) || value < 0 || value > 65535)) {
    throw new RangeError(`${name} must be an integer from 0 to 65535 or null, got ${value}`);
  }
  return value;
}

export function resolveServerConfig(config: ServerConfig): ResolvedServerConfig {
  return {
    host: config.host ?? DEFAULT_HOST,
    port: portOrNull('port', config.port),
    otlpHttpPort: portOrNull('otlpHttpPort', config.otlpHttpPort),
    otlpGrpcPort: portOrNull('otlpGrpcPort', config.otlpGrpcPort),
    maxRequestBytes: positiveInteger('maxRequestBytes', config.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES),
    maxQueuedSpans: positiveInteger('maxQueuedSpans', config.maxQueuedSpans ?? DEFAULT_MAX_QUEUED_SPANS),
    maxBatchSpans: positiveInteger('maxBatchSpans', config.maxBatchSpans ?? DEFAULT_MAX_BATCH_SPANS),
    minBatchSpans: positiveInteger('minBatchSpans', config.minBatchSpans ?? DEFAULT_MIN_BATCH_SPANS),
    batchWaitMillis: nonNegativeInteger('batchWaitMillis', config.batchWaitMillis ?? DEFAULT_BATCH_WAIT_MILLIS),
    ingestThreads: nonNegativeInteger('ingestThreads', config.ingestThreads ?? DEFAULT_INGEST_THREADS),
    projectId: config.projectId ?? DEFAULT_PROJECT_ID,
    webRoot: config.webRoot ?? null,
    analysisQuietMillis:
      config.analysisQuietMillis === null ? null : positiveInteger('analysisQuietMillis', config.analysisQuietMillis ?? DEFAULT_ANALYSIS_QUIET_MILLIS),
    analysisPollMillis: positiveInteger('analysisPollMillis', config.analysisPollMillis ?? DEFAULT_ANALYSIS_POLL_MILLIS),
    retention: config.retention ?? null,
    retentionIntervalMillis: positiveInteger('retentionIntervalMillis', config.retentionIntervalMillis ?? DEFAULT_RETENTION_INTERVAL_MILLIS),
  };
}

// The span processor that sends spans to Cairn: it stamps session / user ids from the context on
// every span at start, and at end queues the span for export through redaction and the OTLP
// protobuf exporter. `init()` installs it; apps with their own OpenTelemetry setup add it to
// their provider with `cairnSpanProcessor()`.

import { TraceFlags, propagation, type Context } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BoundedExportQueue, type ExportStats } from './internal/bounded-export-queue.js';
import { CONVERSATION_ID, SESSION_ID, USER_ID } from './internal/attribute-names.js';
import { warn } from './internal/diagnostics.js';
import { LiveSpanReporter, type LiveSpanOptions, type LiveSpanStats } from './internal/live-span-reporter.js';
import { readOtelEnvironment, type OtelEnvironment } from './otel-environment.js';
import { createRedactor, type RedactionOptions } from './redaction/redactor.js';
import { RedactingSpanExporter } from './redaction/redacting-span-exporter.js';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4318';

export interface CairnExportOptions {
  /** OTLP/HTTP base URL (default: `OTEL_EXPORTER_OTLP_ENDPOINT`, else `http://127.0.0.1:4318`); `/v1/traces` is appended. */
  endpoint?: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Extra HTTP headers (added to `OTEL_EXPORTER_OTLP_HEADERS`). */
  headers?: Record<string, string>;
  /** `true`: all built-in detectors; an object configures them; default off. */
  redact?: boolean | RedactionOptions;
  /** `false` drops message / tool / retrieval text before export, keeping structure and sizes (default true). */
  captureContent?: boolean;
  /** Export somewhere else (tests: an InMemorySpanExporter); endpoint / headers are then unused. */
  exporter?: SpanExporter;
  /** Spans waiting for export before new ones are dropped (default 2048, `OTEL_BSP_MAX_QUEUE_SIZE`). */
  maxQueueSize?: number;
  /** Spans per export request (default 512). */
  maxExportBatchSize?: number;
  /** Longest wait before a batch goes out (default 1000 ms). */
  scheduledDelayMillis?: number;
  /** One export's time limit (default 10000 ms). */
  exportTimeoutMillis?: number;
  /**
   * Report spans that are still running (default on): a span open longer than `afterMs` (1 s) is
   * sent as a snapshot with `cairn.live = true`, again every `heartbeatMs` (30 s) while it runs,
   * so Cairn shows running agents and hung tool calls. `false` turns it off.
   */
  liveSpans?: boolean | LiveSpanOptions;
}

export class CairnSpanProcessor implements SpanProcessor {
  private readonly queue: BoundedExportQueue;
  private readonly live: LiveSpanReporter | undefined;
  private shutDown = false;

  constructor(options: CairnExportOptions = {}, environment: OtelEnvironment = readOtelEnvironment()) {
    const inner = options.exporter ?? createOtlpExporter(options, environment);
    const redact = options.redact ?? false;
    const exporter = new RedactingSpanExporter(inner, {
      captureContent: options.captureContent ?? true,
      redactor: redact === false ? undefined : createRedactor(redact === true ? {} : redact),
    });
    const live = options.liveSpans ?? true;
    const exportTimeoutMillis = options.exportTimeoutMillis ?? environment.exportTimeoutMillis ?? 10_000;
    this.live = live === false ? undefined : new LiveSpanReporter(exporter, { exportTimeoutMillis, ...(live === true ? {} : live) });
    this.queue = new BoundedExportQueue(exporter, {
      maxQueueSize: options.maxQueueSize ?? environment.maxQueueSize ?? 2048,
      maxExportBatchSize: options.maxExportBatchSize ?? environment.maxExportBatchSize ?? 512,
      scheduledDelayMillis: options.scheduledDelayMillis ?? environment.scheduledDelayMillis ?? 1000,
      exportTimeoutMillis,
    });
  }

  // Runs for every span: one context lookup when there is no baggage, no allocations.
  onStart(span: Span, parentContext: Context): void {
    try {
      if (this.live && !this.shutDown) this.live.started(span);
      const bag = propagation.getBaggage(parentContext);
      if (bag === undefined) return;
      const sessionId = bag.getEntry(SESSION_ID)?.value;
      const userId = bag.getEntry(USER_ID)?.value;
      const attributes = span.attributes;
      if (sessionId !== undefined) {
        if (attributes[CONVERSATION_ID] === undefined) span.setAttribute(CONVERSATION_ID, sessionId);
        if (attributes[SESSION_ID] === undefined) span.setAttribute(SESSION_ID, sessionId);
      }
      if (userId !== undefined && attributes[USER_ID] === undefined) span.setAttribute(USER_ID, userId);
    } catch (error) {
      warn('stamp context ids failed; telemetry for it is skipped', error);
    }
  }

  onEnd(span: ReadableSpan): void {
    this.live?.ended(span);
    if (this.shutDown || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    this.queue.add(span);
  }

  /** Live span counters: snapshots reported, spans not tracked (too many open); undefined when off. */
  liveStats(): LiveSpanStats | undefined {
    return this.live?.stats();
  }

  /** Export counters: exported, failed, dropped (queue full) and queued spans. */
  stats(): ExportStats {
    return this.queue.stats();
  }

  forceFlush(): Promise<void> {
    return this.queue.drain();
  }

  async shutdown(): Promise<void> {
    if (this.shutDown) return;
    await this.live?.stop();
    await this.queue.drain();
    this.shutDown = true;
    await this.queue.exporter.shutdown().catch(() => undefined);
  }
}

function createOtlpExporter(options: CairnExportOptions, environment: OtelEnvironment): SpanExporter {
  const url = options.endpoint ? `${options.endpoint.replace(/\/+$/, '')}/v1/traces` : (environment.tracesUrl ?? `${DEFAULT_ENDPOINT}/v1/traces`);
  const headers: Record<string, string> = { ...environment.headers, ...options.headers };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  return new OTLPTraceExporter({ url, headers, timeoutMillis: options.exportTimeoutMillis ?? environment.exportTimeoutMillis ?? 10_000 });
}

/** A processor for an existing OpenTelemetry setup: `provider = new NodeTracerProvider({ spanProcessors: [cairnSpanProcessor()] })`. */
export function cairnSpanProcessor(options: CairnExportOptions = {}): CairnSpanProcessor {
  return new CairnSpanProcessor(options);
}

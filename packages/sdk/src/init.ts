// `init()`: one call that sets up OpenTelemetry tracing for Cairn — a tracer provider with the
// Cairn processor, AsyncLocalStorage context (parents survive `await`), W3C trace context and
// baggage propagation — and registers it globally. It never throws: on failure the app runs on
// with tracing off and the reason goes to the diagnostic logger.

import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, AlwaysOnSampler, BasicTracerProvider, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-base';
import { CairnSpanProcessor, type CairnExportOptions } from './cairn-span-processor.js';
import { guard, warn } from './internal/diagnostics.js';
import type { ExportStats } from './internal/bounded-export-queue.js';
import { readOtelEnvironment } from './otel-environment.js';

export interface InitOptions extends CairnExportOptions {
  /** `service.name` of every span (default: `OTEL_SERVICE_NAME`, else `unknown_service`). */
  serviceName?: string;
  /** Fraction of traces kept, 0..1, decided at the root and followed by children (default 1, or `OTEL_TRACES_SAMPLER[_ARG]`). */
  sampleRate?: number;
  /** More resource attributes (added to `OTEL_RESOURCE_ATTRIBUTES`). */
  resourceAttributes?: Record<string, string | number | boolean>;
}

export interface CairnTracing {
  provider: BasicTracerProvider;
  processor: CairnSpanProcessor;
}

let active: CairnTracing | undefined;

function samplerFor(rate: number): Sampler {
  if (rate <= 0) return new ParentBasedSampler({ root: new AlwaysOffSampler() });
  // Keep everything: the SDK's default sampler, without a trace-id computation per root span.
  if (rate >= 1) return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(rate) });
}

export function init(options: InitOptions = {}): CairnTracing | undefined {
  if (active) {
    warn('init() was called again; keeping the first setup');
    return active;
  }
  return guard('init', () => {
    const environment = readOtelEnvironment();
    if (environment.disabled) return undefined;
    const processor = new CairnSpanProcessor(options, environment);
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        ...environment.resourceAttributes,
        ...options.resourceAttributes,
        'service.name': options.serviceName ?? environment.serviceName ?? 'unknown_service',
        'telemetry.sdk.name': '@cairn/sdk',
        'telemetry.sdk.language': 'nodejs',
      }),
      sampler: samplerFor(options.sampleRate ?? environment.sampleRate ?? 1),
      spanProcessors: [processor],
    });
    const contextManager = new AsyncLocalStorageContextManager();
    contextManager.enable();
    context.setGlobalContextManager(contextManager);
    propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
    if (!trace.setGlobalTracerProvider(provider)) warn('another tracer provider was already registered; Cairn spans go to it. Use cairnSpanProcessor() with it instead.');
    active = { provider, processor };
    return active;
  }, undefined);
}

/** Sends every finished span now; resolves when done (never rejects). */
export async function flush(): Promise<void> {
  await active?.provider.forceFlush().catch((error: unknown) => warn('flush failed', error));
}

/** Flushes and stops tracing; call before the process exits. */
export async function shutdown(): Promise<void> {
  const current = active;
  active = undefined;
  if (!current) return;
  await current.provider.shutdown().catch((error: unknown) => warn('shutdown failed', error));
  trace.disable();
  propagation.disable();
  context.disable();
}

/** Export counters of the `init()` setup (undefined before `init()`). */
export function exportStats(): ExportStats | undefined {
  return active?.processor.stats();
}

// Shared test set-up: the real SDK pipeline into memory, plus a diagnostic logger that collects
// OpenTelemetry warnings (a span ended twice shows up there).

import { DiagLogLevel, diag } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createTestTracing, type TestTracing } from '../src/testing.js';

export const warnings: string[] = [];
diag.setLogger(
  {
    error: (message) => warnings.push(message),
    warn: (message) => warnings.push(message),
    info: () => undefined,
    debug: () => undefined,
    verbose: () => undefined,
  },
  DiagLogLevel.WARN,
);

export function setUpTracing(options: Parameters<typeof createTestTracing>[0] = {}): TestTracing {
  return createTestTracing({ scheduledDelayMillis: 5, ...options });
}

export function byName(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  if (found.length !== 1) throw new Error(`expected one span "${name}", found ${found.length}: ${spans.map((span) => span.name).join(', ')}`);
  return found[0]!;
}

export const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
export const idOf = (span: ReadableSpan) => span.spanContext().spanId;

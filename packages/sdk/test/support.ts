// Shared test set-up: the real SDK pipeline into memory, plus a diagnostic logger that collects
// OpenTelemetry warnings (a span ended twice shows up there).

import v8 from 'node:v8';
import vm from 'node:vm';
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

// `global.gc` without starting node with --expose-gc: the flag is set at runtime and a fresh
// context hands out the function.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** Collects garbage (letting finalizers run) until `done()` says yes, or gives up after a while. */
export async function collectGarbageUntil(done: () => Promise<boolean>): Promise<boolean> {
  for (let attempt = 0; attempt < 30; attempt++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (await done()) return true;
  }
  return false;
}

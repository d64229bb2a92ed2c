// @cairn/sdk/testing: the real `init()` pipeline (context, propagation, redaction, bounded queue)
// exporting into memory, for tests of instrumented code.

import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { CairnExportOptions } from './cairn-span-processor.js';
import { flush, init, shutdown, type InitOptions } from './init.js';

export interface TestTracing {
  /** Flushes, then returns every span finished so far. */
  spans(): Promise<ReadableSpan[]>;
  /** Forgets the spans recorded so far. */
  reset(): void;
  shutdown(): Promise<void>;
}

export function createTestTracing(options: Omit<InitOptions, keyof Pick<CairnExportOptions, 'exporter' | 'endpoint'>> = {}): TestTracing {
  const memory = new InMemorySpanExporter();
  // Live snapshots off unless asked for: spans() lists finished spans.
  init({ serviceName: 'test', liveSpans: false, ...options, exporter: memory });
  return {
    async spans() {
      await flush();
      return memory.getFinishedSpans();
    },
    reset: () => memory.reset(),
    shutdown,
  };
}

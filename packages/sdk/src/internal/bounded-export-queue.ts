// A bounded batch queue in front of a SpanExporter: spans wait at most `scheduledDelayMillis`,
// go out in batches of `maxExportBatchSize`, one export at a time; when `maxQueueSize` spans
// wait, new ones are dropped and counted (never blocking or throwing in the app's code path).

import { context } from '@opentelemetry/api';
import { ExportResultCode, suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { warn } from './diagnostics.js';

export interface QueueLimits {
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduledDelayMillis: number;
  exportTimeoutMillis: number;
}

export interface ExportStats {
  /** Spans handed to the exporter that it accepted. */
  exportedSpans: number;
  /** Spans whose export failed or timed out. */
  failedSpans: number;
  /** Spans dropped because the queue was full. */
  droppedSpans: number;
  /** Spans waiting now. */
  queuedSpans: number;
}

export class BoundedExportQueue {
  private queue: ReadableSpan[] = [];
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private readonly counts = { exportedSpans: 0, failedSpans: 0, droppedSpans: 0 };

  constructor(
    readonly exporter: SpanExporter,
    private readonly limits: QueueLimits,
  ) {}

  stats(): ExportStats {
    return { ...this.counts, queuedSpans: this.queue.length };
  }

  add(span: ReadableSpan): void {
    if (this.queue.length >= this.limits.maxQueueSize) {
      this.counts.droppedSpans++;
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= this.limits.maxExportBatchSize) void this.drain();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.drain(), this.limits.scheduledDelayMillis);
      this.timer.unref();
    }
  }

  /** Exports everything queued now; resolves when done (never rejects). */
  drain(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.draining ??= this.drainLoop().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drainLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.limits.maxExportBatchSize);
      const ok = await this.exportBatch(batch);
      if (ok) this.counts.exportedSpans += batch.length;
      else this.counts.failedSpans += batch.length;
    }
  }

  private exportBatch(batch: ReadableSpan[]): Promise<boolean> {
    return new Promise((resolve) => {
      const timeout = setTimeout(() => {
        warn(`span export timed out after ${this.limits.exportTimeoutMillis} ms; ${batch.length} spans lost`);
        resolve(false);
      }, this.limits.exportTimeoutMillis);
      timeout.unref();
      try {
        // Exports must not trace themselves (an instrumented http client would loop).
        context.with(suppressTracing(context.active()), () => {
          this.exporter.export(batch, (result) => {
            clearTimeout(timeout);
            if (result.code !== ExportResultCode.SUCCESS) warn(`span export failed; ${batch.length} spans lost`, result.error);
            resolve(result.code === ExportResultCode.SUCCESS);
          });
        });
      } catch (error) {
        clearTimeout(timeout);
        warn('span exporter threw', error);
        resolve(false);
      }
    });
  }
}

// Live spans: reports spans that have run for a while before they end, so Cairn can show a
// running agent or a hung tool call. The processor adds each span here at start and removes it
// at end (a Set add and delete: all a short span pays). A sweep timer exports a snapshot of each
// span open longer than `afterMs` — an ordinary OTLP span with the same ids, the attributes so
// far, end time = now and `cairn.live = true` — once, then again every `heartbeatMs` while it
// runs. Snapshots go through the same exporter chain as finished spans, redaction included.
//
//   start ──────── afterMs ─┬──── heartbeatMs ────┬──── … ──── end
//                        snapshot              snapshot       finished span (replaces them)

import { context, type HrTime, TraceFlags } from '@opentelemetry/api';
import { ExportResultCode, hrTimeDuration, millisToHrTime, suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { CAIRN_LIVE } from './attribute-names.js';
import { warn } from './diagnostics.js';

export interface LiveSpanOptions {
  /** A span is reported once it has been open this long (default 1000 ms). */
  afterMs?: number;
  /** How often open spans are checked (default 1000 ms). */
  intervalMs?: number;
  /** A span still open is reported again this often, so Cairn knows its process is alive (default 30000 ms). */
  heartbeatMs?: number;
  /** Open spans tracked at most; spans started beyond it are not reported live (default 10000). */
  maxOpenSpans?: number;
  /** One snapshot export's time limit (default 10000 ms). */
  exportTimeoutMillis?: number;
}

export interface LiveSpanStats {
  /** Snapshots handed to the exporter. */
  reportedSnapshots: number;
  /** Spans not tracked because maxOpenSpans spans were open. */
  untrackedSpans: number;
}

function hrTimeToMillis(time: HrTime): number {
  return time[0] * 1000 + time[1] / 1e6;
}

function later(a: HrTime, b: HrTime): HrTime {
  return a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]) ? a : b;
}

/** A read-only view of the span as it is now, shaped like a finished span for the exporter. */
function snapshotOf(span: Span, now: HrTime): ReadableSpan {
  const endTime = later(now, span.startTime);
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime,
    status: { ...span.status },
    attributes: { ...span.attributes, [CAIRN_LIVE]: true },
    links: span.links.slice(),
    events: span.events.slice(),
    duration: hrTimeDuration(span.startTime, endTime),
    ended: false,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

export class LiveSpanReporter {
  private readonly open = new Set<Span>();
  /** When each long span was last reported (Date.now() ms); weak, so ended spans need no cleanup. */
  private readonly reportedAt = new WeakMap<Span, number>();
  private readonly afterMs: number;
  private readonly heartbeatMs: number;
  private readonly maxOpenSpans: number;
  private readonly exportTimeoutMillis: number;
  private readonly timer: NodeJS.Timeout;
  private exporting: Promise<void> | undefined;
  private stopped = false;
  private readonly counts: LiveSpanStats = { reportedSnapshots: 0, untrackedSpans: 0 };

  constructor(
    private readonly exporter: SpanExporter,
    options: LiveSpanOptions = {},
  ) {
    this.afterMs = options.afterMs ?? 1000;
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
    this.maxOpenSpans = options.maxOpenSpans ?? 10_000;
    this.exportTimeoutMillis = options.exportTimeoutMillis ?? 10_000;
    this.timer = setInterval(() => this.sweep(), options.intervalMs ?? 1000);
    this.timer.unref();
  }

  started(span: Span): void {
    if (this.stopped || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.open.size >= this.maxOpenSpans) {
      this.counts.untrackedSpans++;
      return;
    }
    this.open.add(span);
  }

  ended(span: ReadableSpan): void {
    this.open.delete(span as Span);
  }

  stats(): LiveSpanStats {
    return { ...this.counts };
  }

  /** Stops the sweep and waits for a snapshot export in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.open.clear();
    await this.exporting;
  }

  /** Exports snapshots of the spans due; skipped while the previous sweep's export runs. */
  sweep(): void {
    if (this.exporting || this.open.size === 0) return;
    try {
      // Wall-clock time, as span start times are (the SDK anchors them to Date.now()).
      const nowMs = Date.now();
      const now = millisToHrTime(nowMs);
      const due: ReadableSpan[] = [];
      for (const span of this.open) {
        if (span.ended) {
          // Ended without reaching onEnd (another processor threw first): forget it.
          this.open.delete(span);
          continue;
        }
        if (nowMs - hrTimeToMillis(span.startTime) < this.afterMs) continue;
        const last = this.reportedAt.get(span);
        if (last !== undefined && nowMs - last < this.heartbeatMs) continue;
        this.reportedAt.set(span, nowMs);
        due.push(snapshotOf(span, now));
      }
      if (due.length > 0) this.export(due);
    } catch (error) {
      warn('live span sweep failed; snapshots skipped', error);
    }
  }

  private export(snapshots: ReadableSpan[]): void {
    this.counts.reportedSnapshots += snapshots.length;
    this.exporting = new Promise<void>((resolve) => {
      const timeout = setTimeout(() => {
        warn(`live span export timed out after ${this.exportTimeoutMillis} ms`);
        resolve();
      }, this.exportTimeoutMillis);
      timeout.unref();
      try {
        // Exports must not trace themselves (an instrumented http client would loop).
        context.with(suppressTracing(context.active()), () => {
          this.exporter.export(snapshots, (result) => {
            clearTimeout(timeout);
            if (result.code !== ExportResultCode.SUCCESS) warn(`live span export failed; ${snapshots.length} snapshots lost`, result.error);
            resolve();
          });
        });
      } catch (error) {
        clearTimeout(timeout);
        warn('live span exporter threw', error);
        resolve();
      }
    }).finally(() => {
      this.exporting = undefined;
    });
  }
}

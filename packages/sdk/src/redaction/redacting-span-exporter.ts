// A SpanExporter wrapper that rewrites each span before the real exporter sees it: content text
// dropped (`captureContent: false`) and secrets / personal data replaced (redaction). A span the
// rewrite fails on is dropped rather than exported unredacted.

import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { CAIRN_REDACTED } from '../internal/attribute-names.js';
import { warn } from '../internal/diagnostics.js';
import { stripContent } from './content-stripper.js';
import type { Redactor } from './redactor.js';

export interface SpanRewriteOptions {
  redactor?: Redactor;
  captureContent: boolean;
}

export class RedactingSpanExporter implements SpanExporter {
  /** Spans dropped because the rewrite failed. */
  droppedSpans = 0;

  constructor(
    private readonly inner: SpanExporter,
    private readonly options: SpanRewriteOptions,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const rewritten: ReadableSpan[] = [];
    for (const span of spans) {
      try {
        rewritten.push(rewriteSpan(span, this.options));
      } catch (error) {
        this.droppedSpans++;
        warn('span rewrite failed; span dropped', error);
      }
    }
    if (rewritten.length === 0) {
      resultCallback({ code: ExportResultCode.SUCCESS });
      return;
    }
    this.inner.export(rewritten, resultCallback);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

export function rewriteSpan(span: ReadableSpan, options: SpanRewriteOptions): ReadableSpan {
  let redactions = 0;
  const rewriteValue = (key: string, value: AttributeValue): AttributeValue => {
    const stripped = options.captureContent ? value : stripContent(key, value);
    if (!options.redactor) return stripped;
    const result = options.redactor(key, stripped);
    redactions += result.count;
    return result.value;
  };
  const rewriteAttributes = (attributes: Attributes): Attributes => {
    const result: Attributes = {};
    for (const [key, value] of Object.entries(attributes)) result[key] = value === undefined ? value : rewriteValue(key, value);
    return result;
  };
  const attributes = rewriteAttributes(span.attributes);
  const events: TimedEvent[] = span.events.map((event) => (event.attributes ? { ...event, attributes: rewriteAttributes(event.attributes) } : event));
  const name = options.redactor ? String(rewriteValue('span.name', span.name)) : span.name;
  const status = options.redactor && span.status.message ? { ...span.status, message: String(rewriteValue('status.message', span.status.message)) } : span.status;
  if (redactions > 0) attributes[CAIRN_REDACTED] = redactions;
  return {
    name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status,
    attributes,
    links: span.links,
    events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

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
    // Neither redaction nor content stripping: nothing to rewrite, the spans go out as they are.
    if (!this.options.redactor && this.options.captureContent) {
      this.inner.export(spans, resultCallback);
      return;
    }
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

/** The span with content stripped and values redacted; the same span object when nothing changed. */
export function rewriteSpan(span: ReadableSpan, options: SpanRewriteOptions): ReadableSpan {
  const rewriter = new ValueRewriter(options);
  const attributes = rewriter.attributes(span.attributes);
  let eventsChanged = false;
  const events: TimedEvent[] = span.events.map((event) => {
    if (!event.attributes) return event;
    const rewritten = rewriter.attributes(event.attributes);
    if (rewritten === event.attributes) return event;
    eventsChanged = true;
    return { ...event, attributes: rewritten };
  });
  const name = options.redactor ? String(rewriter.value('span.name', span.name)) : span.name;
  const message = options.redactor && span.status.message ? String(rewriter.value('status.message', span.status.message)) : span.status.message;
  if (attributes === span.attributes && !eventsChanged && name === span.name && message === span.status.message) return span;
  const finalAttributes = attributes === span.attributes ? Object.assign({}, attributes) : attributes;
  if (rewriter.redactions > 0) finalAttributes[CAIRN_REDACTED] = rewriter.redactions;
  return {
    name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: message === span.status.message ? span.status : { ...span.status, message },
    attributes: finalAttributes,
    links: span.links,
    events: eventsChanged ? events : span.events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/** Rewrites values and counts the redactions; attribute maps are copied only when a value changes. */
class ValueRewriter {
  redactions = 0;
  constructor(private readonly options: SpanRewriteOptions) {}

  value(key: string, value: AttributeValue): AttributeValue {
    const stripped = this.options.captureContent ? value : stripContent(key, value);
    if (!this.options.redactor) return stripped;
    const result = this.options.redactor(key, stripped);
    this.redactions += result.count;
    return result.value;
  }

  attributes(attributes: Attributes): Attributes {
    let result: Attributes | undefined;
    for (const key of Object.keys(attributes)) {
      const value = attributes[key];
      if (value === undefined) continue;
      const rewritten = this.value(key, value);
      if (rewritten === value) continue;
      result ??= Object.assign({}, attributes);
      result[key] = rewritten;
    }
    return result ?? attributes;
  }
}

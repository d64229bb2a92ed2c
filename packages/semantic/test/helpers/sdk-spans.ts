// Spans produced by the real OpenTelemetry JS SDK, converted to WireSpans the way the OTLP
// exporter encodes them (integral numbers become OTLP ints → bigint, others stay doubles).

import type { Attributes, AttributeValue as OtelAttributeValue, HrTime, Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { AttributeMap, AttributeValue, WireSpan } from '@cairn/model';
import { STATUS_CODE_NAMES } from '@cairn/model';

/** Runs `produce` with a real tracer and returns the finished spans in end order. */
export async function recordSdkSpans(
  produce: (tracer: Tracer) => void,
  resourceAttributes: Attributes = { 'service.name': 'sdk-service' },
): Promise<WireSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resourceAttributes),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  produce(provider.getTracer('cairn-semantic-test', '1.0.0'));
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans().map(toWireSpan);
  await provider.shutdown();
  return spans;
}

function toWireSpan(span: ReadableSpan): WireSpan {
  const context = span.spanContext();
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? null,
    traceState: context.traceState?.serialize() ?? '',
    flags: context.traceFlags,
    name: span.name,
    kind: span.kind + 1, // @opentelemetry/api SpanKind starts at INTERNAL = 0; OTLP at UNSPECIFIED = 0
    startTimeUnixNano: hrTimeToNanos(span.startTime),
    endTimeUnixNano: hrTimeToNanos(span.endTime),
    attributes: toAttributeMap(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map((event) => ({
      timeUnixNano: hrTimeToNanos(event.time),
      name: event.name,
      attributes: toAttributeMap(event.attributes ?? {}),
      droppedAttributesCount: event.droppedAttributesCount ?? 0,
    })),
    droppedEventsCount: span.droppedEventsCount,
    links: [],
    droppedLinksCount: span.droppedLinksCount,
    status: { code: STATUS_CODE_NAMES[span.status.code] ?? 'unset', message: span.status.message ?? '' },
    resource: { attributes: toAttributeMap(span.resource.attributes as Attributes), droppedAttributesCount: 0, schemaUrl: '' },
    scope: { name: span.instrumentationScope.name, version: span.instrumentationScope.version ?? '', attributes: {}, schemaUrl: '' },
  };
}

function hrTimeToNanos([seconds, nanos]: HrTime): bigint {
  return BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
}

function toAttributeMap(attributes: Attributes): AttributeMap {
  const map: AttributeMap = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) map[key] = toAttributeValue(value);
  return map;
}

function toAttributeValue(value: OtelAttributeValue | null | undefined): AttributeValue {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item: unknown) => toAttributeValue(item as OtelAttributeValue));
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  return value as string | boolean;
}

// Plain WireSpans for tests, as the OTLP decoder hands them over (ints as bigint).

import type { AttributeMap, Resource, SpanEvent, WireSpan } from '@cairn/model';

const DEFAULT_RESOURCE: Resource = { attributes: { 'service.name': 'test-service' }, droppedAttributesCount: 0, schemaUrl: '' };

export function wireSpan(fields: Partial<WireSpan> = {}): WireSpan {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: null,
    traceState: '',
    flags: 1,
    name: 'span',
    kind: 1,
    startTimeUnixNano: 1_763_700_000_000_000_000n,
    endTimeUnixNano: 1_763_700_000_250_000_000n,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 'unset', message: '' },
    resource: DEFAULT_RESOURCE,
    scope: { name: 'test', version: '', attributes: {}, schemaUrl: '' },
    ...fields,
  };
}

export function spanEvent(name: string, attributes: AttributeMap): SpanEvent {
  return { timeUnixNano: 1_763_700_000_100_000_000n, name, attributes, droppedAttributesCount: 0 };
}

export const CONTEXT = { projectId: 'default', receivedUnixNano: 1_763_700_001_000_000_000n } as const;

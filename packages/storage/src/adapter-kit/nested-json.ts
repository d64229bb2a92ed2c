// JSON for a span's events and links. Attribute maps inside are kept as their stored-form text
// (encodeStoredAttributes), so they decode losslessly with decodeStoredAttributes.

import type { SpanEvent, SpanLink } from '@cairn/model';
import { decodeStoredAttributes, encodeStoredAttributes } from '@cairn/model';

export interface StoredEvent {
  t: string;
  n: string;
  a: string;
  d: number;
}

interface StoredLink {
  t: string;
  s: string;
  ts: string;
  a: string;
  d: number;
  f: number;
}

export function encodeEvent(event: SpanEvent): StoredEvent {
  return {
    t: event.timeUnixNano.toString(),
    n: event.name,
    a: encodeStoredAttributes(event.attributes),
    d: event.droppedAttributesCount,
  };
}

export function encodeEvents(events: readonly SpanEvent[]): string {
  return events.length === 0 ? '' : JSON.stringify(events.map(encodeEvent));
}

export function decodeEvent(stored: StoredEvent): SpanEvent {
  return {
    timeUnixNano: BigInt(stored.t),
    name: stored.n,
    attributes: decodeStoredAttributes(stored.a),
    droppedAttributesCount: stored.d,
  };
}

export function decodeEvents(text: string): SpanEvent[] {
  return text === '' ? [] : (JSON.parse(text) as StoredEvent[]).map(decodeEvent);
}

export function encodeLinks(links: readonly SpanLink[]): string {
  if (links.length === 0) return '';
  return JSON.stringify(
    links.map(
      (link): StoredLink => ({
        t: link.traceId,
        s: link.spanId,
        ts: link.traceState,
        a: encodeStoredAttributes(link.attributes),
        d: link.droppedAttributesCount,
        f: link.flags,
      }),
    ),
  );
}

export function decodeLinks(text: string): SpanLink[] {
  if (text === '') return [];
  return (JSON.parse(text) as StoredLink[]).map((link) => ({
    traceId: link.t,
    spanId: link.s,
    traceState: link.ts,
    attributes: decodeStoredAttributes(link.a),
    droppedAttributesCount: link.d,
    flags: link.f,
  }));
}

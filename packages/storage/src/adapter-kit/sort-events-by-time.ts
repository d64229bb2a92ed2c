// A span's events with those that arrived apart merged in: by time, stable, so the span's own
// events keep their order among equal times and detached ones follow them.

import type { SpanEvent } from '@cairn/model';

export function sortEventsByTime(events: readonly SpanEvent[]): SpanEvent[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => (a.event.timeUnixNano < b.event.timeUnixNano ? -1 : a.event.timeUnixNano > b.event.timeUnixNano ? 1 : a.index - b.index))
    .map((entry) => entry.event);
}

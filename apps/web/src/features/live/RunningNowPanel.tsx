// "Running now" above the trace list: spans the SDK reported started and that have not finished
// (GET /api/v1/live), with their elapsed time ticking, each linking to its trace. Polled while
// the page is visible; hidden when nothing runs.

import { useEffect, useState } from 'react';
import { fetchLiveSpans } from '../../api/api-client.js';
import type { ApiLiveSpan } from '../../api/api-types.js';
import { Link } from '../../components/Link.js';
import { SpanTypeBadge } from '../../components/SpanTypeBadge.js';
import { formatDurationMs } from '../../model/format.js';
import { elapsedNowMs, liveSpanSubject } from '../../model/live-spans.js';
import { useNow } from './use-now.js';

const POLL_MILLIS = 2000;
/** Rows shown; the rest are counted. */
const MAX_ROWS = 8;

interface LiveState {
  items: ApiLiveSpan[];
  fetchedAtMs: number;
}

export function RunningNowPanel() {
  const [live, setLive] = useState<LiveState>({ items: [], fetchedAtMs: 0 });
  useEffect(() => {
    const controller = new AbortController();
    const poll = () => {
      if (document.hidden) return;
      fetchLiveSpans(controller.signal).then(
        (page) => setLive({ items: page.items, fetchedAtMs: Date.now() }),
        () => undefined, // an older server without /api/v1/live, or a failed poll: keep what is shown
      );
    };
    poll();
    const timer = setInterval(poll, POLL_MILLIS);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, []);
  const now = useNow(live.items.length > 0);
  if (live.items.length === 0) return null;
  const shown = live.items.slice(0, MAX_ROWS);
  return (
    <section className="running-now" aria-label="Running now">
      <h2>
        <span className="live-dot" aria-hidden="true" /> Running now <span className="dim">{live.items.length}</span>
      </h2>
      <ul>
        {shown.map((span) => (
          <li key={`${span.traceId}:${span.spanId}`} data-span-id={span.spanId}>
            <Link href={`/traces/${span.traceId}?span=${span.spanId}`} className="running-link">
              <SpanTypeBadge type={span.spanType} />
              <span className="name">{span.name}</span>
              <span className="dim subject">{liveSpanSubject(span)}</span>
              <span className="elapsed" title={`Started ${span.startTime}; last reported ${span.lastSeenTime}`}>
                {formatDurationMs(elapsedNowMs(span, live.fetchedAtMs, now))}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      {live.items.length > shown.length && <div className="dim more">and {live.items.length - shown.length} more</div>}
    </section>
  );
}

// The trace view's data while spans run: the loaded trace with its live spans drawn up to now
// (ticking every second), reloaded every few seconds until nothing runs any more, so the
// finished spans replace the live ones without a manual refresh.

import { useEffect, useMemo, useState } from 'react';
import { fetchTrace } from '../../api/api-client.js';
import type { ApiTraceDetail } from '../../api/api-types.js';
import { hasLiveSpans, withLiveSpansToNow } from '../../model/live-spans.js';
import { useNow } from './use-now.js';

const RELOAD_MILLIS = 3000;

export function useLiveTrace(traceId: string, loaded: ApiTraceDetail): ApiTraceDetail {
  const [latest, setLatest] = useState(loaded);
  useEffect(() => setLatest(loaded), [loaded]);
  const running = hasLiveSpans(latest);
  useEffect(() => {
    if (!running) return;
    const controller = new AbortController();
    const timer = setInterval(() => {
      if (document.hidden) return;
      fetchTrace(traceId, controller.signal).then(setLatest, () => undefined); // a failed reload keeps the trace; the next one retries
    }, RELOAD_MILLIS);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [traceId, running]);
  const now = useNow(running);
  return useMemo(() => withLiveSpansToNow(latest, now), [latest, now]);
}

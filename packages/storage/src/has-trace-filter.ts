// Whether a filter narrows traces beyond project and window: aggregations skip the trace-level
// join entirely when it does not.

import type { TraceFilter } from './analytics-types.js';

const WINDOW_ONLY: ReadonlySet<string> = new Set(['projectId', 'fromUnixNano', 'toUnixNano']);

export function hasTraceFilter(filter: TraceFilter): boolean {
  return Object.entries(filter).some(([key, value]) => {
    if (WINDOW_ONLY.has(key) || value === undefined) return false;
    if (key === 'attributes') return (value as unknown[]).length > 0;
    if (key === 'text') return value !== '';
    return key !== 'groupBy' && key !== 'bucketNanos';
  });
}

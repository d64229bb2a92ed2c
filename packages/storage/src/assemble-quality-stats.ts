// Merges the per-statement results of an adapter's qualityStats into one entry per service, so
// both adapters shape (and sort) the report the same way.

import type { CountWithExample, NamePattern, ServiceQualityStats } from './analytics-types.js';

export interface QualityParts {
  totals: Omit<ServiceQualityStats, 'namePatterns' | 'monolithicSpans' | 'orphanSpans' | 'multiRootTraces'>[];
  patterns: { service: string; pattern: NamePattern }[];
  monolithic: { service: string; count: CountWithExample }[];
  orphans: { service: string; count: CountWithExample }[];
  multiRoot: { service: string; count: CountWithExample }[];
}

const NO_EXAMPLE: CountWithExample = { count: 0, exampleTraceId: null, exampleSpanName: null };

export function assembleQualityStats(parts: QualityParts): ServiceQualityStats[] {
  const byService = new Map<string, ServiceQualityStats>();
  for (const totals of parts.totals) {
    byService.set(totals.service, { ...totals, namePatterns: [], monolithicSpans: NO_EXAMPLE, orphanSpans: NO_EXAMPLE, multiRootTraces: NO_EXAMPLE });
  }
  for (const { service, pattern } of parts.patterns) byService.get(service)?.namePatterns.push(pattern);
  for (const entry of byService.values()) {
    entry.namePatterns.sort((a, b) => b.distinctNames - a.distinctNames || (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0));
  }
  const fields = [
    ['monolithic', 'monolithicSpans'],
    ['orphans', 'orphanSpans'],
    ['multiRoot', 'multiRootTraces'],
  ] as const;
  for (const [part, field] of fields) {
    for (const { service, count } of parts[part]) {
      const entry = byService.get(service);
      if (entry) entry[field] = count;
    }
  }
  return [...byService.values()].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
}

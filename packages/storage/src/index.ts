export type {
  CountWithExample,
  DueTrace,
  DueTracesQuery,
  FindingCount,
  MetricsGroupBy,
  MetricsQuery,
  MetricsRow,
  NamePattern,
  QualityQuery,
  ServiceQualityStats,
  StoredFinding,
  TraceFilter,
  TraceFindingsRecord,
} from './analytics-types.js';
export type { QualityParts } from './assemble-quality-stats.js';
export { assembleQualityStats } from './assemble-quality-stats.js';
export { hasTraceFilter } from './has-trace-filter.js';
export { METRICS_GROUP_BY, PROMPT_VERSION_ATTRIBUTES, SPAN_NAME_ID_REGEX } from './analytics-types.js';
export type {
  DetachedSpanEvent,
  Page,
  PreparedWrite,
  SessionQuery,
  SpanDetail,
  StoredSpan,
  StoreStats,
  TraceDetail,
  TraceQuery,
  TraceSort,
  TraceSortField,
  TraceStore,
  WriteBatch,
  WriteResult,
} from './trace-store.js';
export { InvalidCursorError, StoreError } from './errors.js';

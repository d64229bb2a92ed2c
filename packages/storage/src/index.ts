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
  SessionTracesQuery,
  SpanStructure,
  StoredFinding,
  TraceFilter,
  TraceFindingsRecord,
} from './analytics-types.js';
export type { QualityParts } from './assemble-quality-stats.js';
export { assembleQualityStats } from './assemble-quality-stats.js';
export { hasTraceFilter } from './has-trace-filter.js';
export { METRICS_GROUP_BY, PROMPT_VERSION_ATTRIBUTES, SPAN_NAME_ID_REGEX } from './analytics-types.js';
export type {
  CallAgentResolveRequest,
  DetachedSpanEvent,
  LiveSpanQuery,
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
  WritePreparer,
  WritePreparerSpec,
  WriteResult,
} from './trace-store.js';
export type { ProjectRetention, RetentionRequest, RetentionResult } from './retention-types.js';
export type { SpanScanQuery, SpanSemanticsUpdateResult } from './span-rewrite-types.js';
export { REWRITTEN_SPAN_FIELDS } from './span-rewrite-types.js';
export { InvalidCursorError, StoreError } from './errors.js';
export type { GetTraceOptions, MissingParent, SpanEventMark, TraceTreeDetail, TraceTreeRows, TraceView, TreeSpan } from './trace-tree.js';
export { groupMissingParents, toTraceTreeDetail, TREE_ROW_FIELDS } from './trace-tree.js';
export type { AttributeCatalog, AttributeCatalogQuery, CatalogEntry, CatalogField } from './attribute-catalog.js';
export { CATALOG_FIELDS, CATALOG_SAMPLE_SPANS, CATALOG_VALUE_SAMPLE_SPANS } from './attribute-catalog.js';

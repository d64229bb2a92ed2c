export type {
  DetachedSpanEvent,
  Page,
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

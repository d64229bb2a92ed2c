// Encodings every store adapter shares, so a trace written through one adapter reads back the
// same through another: cursors, events and links as JSON, and input/output payloads.
export type { CursorPosition } from './cursor.js';
export { decodeCursor, encodeCursor } from './cursor.js';
export type { StoredEvent } from './nested-json.js';
export { decodeEvent, decodeEvents, decodeLinks, encodeEvent, encodeEvents, encodeLinks } from './nested-json.js';
export { attributeReference, decodePayload, decodeStoredPayload, encodePayload } from './payload-json.js';
export { attributeNeedles } from './attribute-needles.js';
export { decodeCount, decodeNamePattern, decodeServiceTotals } from './quality-rows.js';
export { decodeLiveSpan, encodeLiveSpan } from './live-span-json.js';
export { liveSpanKey, newestLiveSnapshots, summarizeSpans, unfinishedLiveSpans, withLiveSpans } from './live-trace.js';
export type { RetentionCutoffs } from './retention-cutoffs.js';
export { projectCutoff, retentionCutoffs } from './retention-cutoffs.js';
export type { SemanticExtras } from './semantic-extras-json.js';
export { applySemanticExtras, encodeSemanticExtras, SEMANTIC_EXTRA_KEYS } from './semantic-extras-json.js';
export { CATALOG_FIELD_COLUMNS, catalogFromAttributeTexts, clampCatalogLimit, topCatalogEntries } from './attribute-catalog-sample.js';
export { withLiveTreeSpans } from './live-tree.js';
export { sortEventsByTime } from './sort-events-by-time.js';
export type { SemanticColumnValues } from './semantic-columns.js';
export { semanticColumnValues } from './semantic-columns.js';
export { detachedMarksOfRows, mergeDetachedMarks, treeSpanOfRow } from './tree-row.js';
export { siblingModuleUrl, threadEntrySource } from './thread-entry-source.js';

// @cairn/semantic: turns raw OTLP spans into canonical SpanRecords (dialect detection,
// span classification, usage, messages, previews).

export { NORMALIZER_VERSION } from './normalizer-version.js';
export type { NormalizeContext } from './normalize-span.js';
export { normalizeSpan } from './normalize-span.js';
export type { SpanContentValues } from './derived-content.js';
export { deriveSpanContent, hasDerivedContent } from './derived-content.js';

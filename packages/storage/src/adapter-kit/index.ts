// Encodings every store adapter shares, so a trace written through one adapter reads back the
// same through another: cursors, events and links as JSON, and input/output payloads.
export type { CursorPosition } from './cursor.js';
export { decodeCursor, encodeCursor } from './cursor.js';
export type { StoredEvent } from './nested-json.js';
export { decodeEvent, decodeEvents, decodeLinks, encodeEvent, encodeEvents, encodeLinks } from './nested-json.js';
export { attributeReference, decodePayload, decodeStoredPayload, encodePayload } from './payload-json.js';
export { attributeNeedles } from './attribute-needles.js';
export { decodeCount, decodeNamePattern, decodeServiceTotals } from './quality-rows.js';

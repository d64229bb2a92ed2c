// `captureContent: false`: keep the shape of content attributes (roles, part types, tool names
// and ids, sizes) but drop every piece of text. Token counts are separate attributes and stay.

import type { AttributeValue } from '@opentelemetry/api';
import { CONTENT_ATTRIBUTES } from '../internal/attribute-names.js';

const size = (value: unknown): string => `[${(typeof value === 'string' ? value : JSON.stringify(value) ?? '').length} chars]`;

function stripPart(part: unknown): unknown {
  if (typeof part !== 'object' || part === null) return size(part);
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(part as Record<string, unknown>)) {
    // Structure (type, ids, names, roles, modality) stays; payload fields become sizes.
    if (key === 'type' || key === 'id' || key === 'name' || key === 'role' || key === 'finish_reason' || key === 'modality' || key === 'mime_type') kept[key] = value;
    else if (key === 'parts' && Array.isArray(value)) kept[key] = value.map(stripPart);
    else kept[key] = size(value);
  }
  return kept;
}

/** The value with its text removed, for content attributes; other attributes unchanged. */
export function stripContent(key: string, value: AttributeValue): AttributeValue {
  if (!CONTENT_ATTRIBUTES.has(key)) return value;
  if (typeof value !== 'string') return Array.isArray(value) ? value.map((item) => size(item)) : value;
  const trimmed = value.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as unknown;
      return JSON.stringify(Array.isArray(parsed) ? parsed.map(stripPart) : stripPart(parsed));
    } catch {
      // Not JSON after all: fall through to the size.
    }
  }
  return size(value);
}

// One live record (a snapshot of a running span) as one JSON text, shared by every adapter so a
// live_spans table needs only its key columns plus this text — it does not follow the spans
// table's column set, which grows as the semantic layer persists more fields. Attribute maps
// keep their stored form (lossless, see @cairn/model attribute-json); everything else goes
// through the payload codec, which keeps bigint times and bytes exact.

import type { SpanRecord } from '@cairn/model';
import { decodeStoredAttributes, encodeStoredAttributes } from '@cairn/model';
import { decodeEvents, decodeLinks, encodeEvents, encodeLinks } from './nested-json.js';
import { decodePayload, encodePayload } from './payload-json.js';

/** Version of the live record JSON; a reader skips records of a version it does not know. */
const LIVE_RECORD_VERSION = 1;

export function encodeLiveSpan(span: SpanRecord): string {
  const { attributes, events, links, resource, scope, live: _live, ...rest } = span;
  return encodePayload({
    v: LIVE_RECORD_VERSION,
    ...rest,
    attributes: encodeStoredAttributes(attributes),
    events: encodeEvents(events),
    links: encodeLinks(links),
    resource: { ...resource, attributes: encodeStoredAttributes(resource.attributes) },
    scope: { ...scope, attributes: encodeStoredAttributes(scope.attributes) },
  })!;
}

interface EncodedLiveSpan extends Omit<SpanRecord, 'attributes' | 'events' | 'links' | 'resource' | 'scope'> {
  v: number;
  attributes: string;
  events: string;
  links: string;
  resource: Omit<SpanRecord['resource'], 'attributes'> & { attributes: string };
  scope: Omit<SpanRecord['scope'], 'attributes'> & { attributes: string };
}

/** The live record (live: true), or null when it was written by a newer, unknown version. */
export function decodeLiveSpan(text: string): SpanRecord | null {
  const { v, attributes, events, links, resource, scope, ...rest } = decodePayload(text) as EncodedLiveSpan;
  if (v !== LIVE_RECORD_VERSION) return null;
  return {
    ...rest,
    attributes: decodeStoredAttributes(attributes),
    events: decodeEvents(events),
    links: decodeLinks(links),
    resource: { ...resource, attributes: decodeStoredAttributes(resource.attributes) },
    scope: { ...scope, attributes: decodeStoredAttributes(scope.attributes) },
    live: true,
  };
}

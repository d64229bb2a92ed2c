// Fresh Resource and InstrumentationScope objects that a decoder fills in as fields arrive.
// Every span or log event of one envelope points at the same object (no copies per span).

import type { InstrumentationScope, Resource } from '@cairn/model';

export function emptyResource(): Resource {
  return { attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };
}

export function emptyScope(): InstrumentationScope {
  return { name: '', version: '', attributes: {}, schemaUrl: '' };
}

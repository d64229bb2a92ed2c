// Resources and scopes are repeated on every span of an export, so spans store only a content
// hash (origin_key) and the pair is written once to the origins table. Encodings are cached by
// object identity because the OTLP decoder shares one Resource/Scope object per ResourceSpans.

import { createHash } from 'node:crypto';
import type { InstrumentationScope, Resource } from '@cairn/model';
import { decodeStoredAttributes, encodeStoredAttributes } from '@cairn/model';

export interface EncodedOrigin {
  key: string;
  resourceAttributes: string;
  resourceDropped: number;
  resourceSchemaUrl: string;
  scopeName: string;
  scopeVersion: string;
  scopeAttributes: string;
  scopeSchemaUrl: string;
}

export interface DecodedOrigin {
  resource: Resource;
  scope: InstrumentationScope;
}

/** Columns of the origins table, in order, as read back. */
export const ORIGIN_COLUMNS =
  'origin_key, resource_attributes, resource_dropped, resource_schema_url, scope_name, scope_version, scope_attributes, scope_schema_url';

const MAX_DECODED = 10_000;

export class OriginRegistry {
  private readonly byObject = new WeakMap<Resource, WeakMap<InstrumentationScope, EncodedOrigin>>();
  /** Keys committed to the origins table. */
  private readonly stored = new Set<string>();
  private readonly decoded = new Map<string, DecodedOrigin>();

  markStored(keys: Iterable<string>): void {
    for (const key of keys) this.stored.add(key);
  }

  isStored(key: string): boolean {
    return this.stored.has(key);
  }

  encode(resource: Resource, scope: InstrumentationScope): EncodedOrigin {
    let scopes = this.byObject.get(resource);
    if (!scopes) {
      scopes = new WeakMap();
      this.byObject.set(resource, scopes);
    }
    const cached = scopes.get(scope);
    if (cached) return cached;
    const parts = {
      resourceAttributes: encodeStoredAttributes(resource.attributes),
      resourceDropped: resource.droppedAttributesCount,
      resourceSchemaUrl: resource.schemaUrl,
      scopeName: scope.name,
      scopeVersion: scope.version,
      scopeAttributes: encodeStoredAttributes(scope.attributes),
      scopeSchemaUrl: scope.schemaUrl,
    };
    const key = createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
    const encoded = { key, ...parts };
    scopes.set(scope, encoded);
    return encoded;
  }

  cachedDecoded(key: string): DecodedOrigin | undefined {
    return this.decoded.get(key);
  }

  /** Decodes a row of ORIGIN_COLUMNS and caches it (bounded; cleared when full). */
  decodeRow(row: readonly unknown[]): DecodedOrigin {
    const key = row[0] as string;
    const origin: DecodedOrigin = {
      resource: {
        attributes: decodeStoredAttributes(row[1] as string),
        droppedAttributesCount: row[2] as number,
        schemaUrl: row[3] as string,
      },
      scope: {
        name: row[4] as string,
        version: row[5] as string,
        attributes: decodeStoredAttributes(row[6] as string),
        schemaUrl: row[7] as string,
      },
    };
    if (this.decoded.size >= MAX_DECODED) this.decoded.clear();
    this.decoded.set(key, origin);
    return origin;
  }
}

// Widely used attributes that belong to no AI dialect: the session and user ids that
// OpenInference, Langfuse and plain OTel users set, and an explicit cost in USD.

import type { WireSpan } from '@cairn/model';
import type { Dialect, DialectFields } from '../dialect.js';
import { amountAttribute, textAttribute } from '../internal/attribute-readers.js';

export const generalContextDialect: Dialect = {
  name: null,

  detect(): boolean {
    return true;
  },

  extract(span: WireSpan): DialectFields {
    const attributes = span.attributes;
    return {
      sessionId: textAttribute(attributes, 'session.id'),
      userId: textAttribute(attributes, 'user.id') ?? textAttribute(attributes, 'enduser.id'),
      costUsd: amountAttribute(attributes, 'cairn.cost_usd'),
    };
  },
};

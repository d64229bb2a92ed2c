// Widely used attributes that belong to no AI dialect: the session and user ids that
// OpenInference, Langfuse and plain OTel users set, an explicit cost in USD, and the error type
// (`error.type`, else the type of the exception event of a failed span).

import type { WireSpan } from '@cairn/model';
import type { Dialect, DialectFields, ExtractNotes } from '../dialect.js';
import { firstAmount, firstText, textValue } from './dialect-readers.js';

export const generalContextDialect: Dialect = {
  name: null,

  detect(): boolean {
    return true;
  },

  extract(span: WireSpan, notes?: ExtractNotes): DialectFields {
    const attributes = span.attributes;
    return {
      sessionId: firstText(attributes, ['session.id'], 'sessionId', notes),
      userId: firstText(attributes, ['user.id', 'enduser.id'], 'userId', notes),
      costUsd: firstAmount(attributes, ['cairn.cost_usd'], 'costUsd', notes),
      errorType: firstText(attributes, ['error.type'], 'errorType', notes) ?? exceptionType(span, notes),
    };
  },
};

function exceptionType(span: WireSpan, notes?: ExtractNotes): string | undefined {
  if (span.status.code !== 'error') return undefined;
  for (const event of span.events) {
    if (event.name !== 'exception') continue;
    const type = textValue(event.attributes['exception.type']);
    if (type === undefined) continue;
    notes?.source('errorType', 'event exception');
    return type;
  }
  return undefined;
}

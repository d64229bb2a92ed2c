// Records made by normalizeSpan, whose input/output are exactly what the semantic layer derives
// from their own attributes and events. A WeakSet rather than a field: the SpanRecord shape stays
// the contract's, and a copy (`{ ...record, attributes }`) is never taken for the original.

import type { SpanRecord } from '@cairn/model';

const derivedRecords = new WeakSet<SpanRecord>();

export function markDerived(record: SpanRecord): SpanRecord {
  derivedRecords.add(record);
  return record;
}

export function isMarkedDerived(record: SpanRecord): boolean {
  return derivedRecords.has(record);
}

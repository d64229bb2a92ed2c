// DuckDB's write preparer (TraceStore.writePreparer): what prepareWrite does, in a server's
// ingest thread. It encodes batches exactly as the store's own prepareWrite (span-writer.ts
// encodeBatch); the store adopts the result on its thread (adoptPrepared) and writes it.
// This module runs away from the store, so it knows no stored origins: each batch carries the
// origins of its spans, and the store sends to DuckDB only those it has not stored yet.

import type { WriteBatch, WritePreparer } from '@cairn/storage';
import { OriginRegistry } from './internal/origin-registry.js';
import type { SpanWriterOptions } from './internal/span-writer.js';
import { buffersOfBatch, encodeBatch } from './internal/span-writer.js';

export function createWritePreparer(options: SpanWriterOptions): WritePreparer {
  const origins = new OriginRegistry();
  return {
    prepare(batch: WriteBatch) {
      const prepared = encodeBatch(batch, origins, options);
      return { prepared, transfer: buffersOfBatch(prepared) };
    },
  };
}

// A write preparer (TraceStore.writePreparer) for tests of the ingest threads: it "prepares" a
// batch into what the test needs to see — each span's name and cost, and the thread's id — and
// misbehaves on cue: a span named "exit-thread" ends the thread, one named "throw" fails prepare.

import { threadId } from 'node:worker_threads';
import type { WriteBatch, WritePreparer } from '@cairn/storage';

export interface ProbePrepared {
  threadId: number;
  spans: { name: string; costUsd: number | null }[];
  live: number;
  buffer: ArrayBuffer;
}

export function createWritePreparer(): WritePreparer {
  return {
    prepare(batch: WriteBatch) {
      const names = batch.spans.map((span) => span.name);
      if (names.includes('exit-thread')) process.exit(3);
      if (names.includes('throw')) throw new RangeError('the probe preparer was told to fail');
      // A moved buffer, as a real preparer's rows are.
      const buffer = new Float64Array(batch.spans.map((span) => span.costUsd ?? -1)).buffer;
      const prepared: ProbePrepared = {
        threadId,
        spans: batch.spans.map((span) => ({ name: span.name, costUsd: span.costUsd })),
        live: batch.liveSpans?.length ?? 0,
        buffer,
      };
      return { prepared, transfer: [buffer] };
    },
  };
}

// An ingest thread: decodes, normalizes and prepares OTLP trace exports for the store's write
// (its writePreparer module), so the event loop only moves bytes. It keeps no state but the
// server's prices, which the event loop sends whenever they change (messages arrive in order, so
// a request sent after a price change is priced with the new prices).

import { parentPort, workerData } from 'node:worker_threads';
import { OtlpDecodeError } from '@cairn/otlp';
import { PricingContext } from '@cairn/semantic';
import type { WritePreparer } from '@cairn/storage';
import type { IngestThreadData, IngestThreadMessage, IngestThreadRequest, IngestThreadResponse, PreparedTraces } from './ingest-thread-protocol.js';
import { threadError } from './ingest-thread-protocol.js';
import { normalizeTraces } from './normalize-traces.js';

const port = parentPort!;
const data = workerData as IngestThreadData;
const pricing = PricingContext.fromSnapshot(data.pricing);
const preparerModule = (await import(data.preparer.module)) as { createWritePreparer(options: unknown): WritePreparer };
const preparer = preparerModule.createWritePreparer(data.preparer.options);

port.on('message', (request: IngestThreadRequest) => {
  if (request.op === 'pricing') {
    pricing.restore(request.pricing);
    return;
  }
  let response: IngestThreadResponse;
  let transfer: ArrayBuffer[] = [];
  let spanCount = 0;
  let stage: 'decode' | 'prepare' = 'decode';
  try {
    const normalized = normalizeTraces(request.encoding, request.body, data.projectId, pricing);
    spanCount = normalized.batch?.spans.length ?? 0;
    stage = 'prepare';
    let prepared: unknown = null;
    if (normalized.batch !== null) ({ prepared, transfer } = preparer.prepare(normalized.batch));
    const value: PreparedTraces = {
      prepared,
      spanCount,
      liveCount: normalized.liveCount,
      received: normalized.received,
      rejected: normalized.rejected,
      rejectionMessage: normalized.rejectionMessage,
      failures: normalized.failures.map((failure) => ({ ...failure, error: threadError(failure.error) })),
    };
    response = { id: request.id, ok: true, value };
  } catch (error) {
    const kind = stage === 'prepare' ? 'prepare' : error instanceof OtlpDecodeError ? 'decode' : 'internal';
    response = { id: request.id, ok: false, failure: { kind, error: threadError(error), spanCount } };
  }
  port.postMessage(response, transfer);
});

port.postMessage({ ready: true } satisfies IngestThreadMessage);

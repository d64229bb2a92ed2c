// Messages between the server's event loop and its ingest threads (ingest-thread.ts). Everything
// is structured-clone data; the prepared rows move (their buffers are transferred), not copied.

import type { PricingSnapshot } from '@cairn/semantic';
import type { WritePreparerSpec } from '@cairn/storage';
import type { OtlpBodyEncoding } from './normalize-traces.js';

export interface IngestThreadData {
  projectId: string;
  preparer: WritePreparerSpec;
  pricing: PricingSnapshot;
}

export type IngestThreadRequest =
  | { op: 'traces'; id: number; encoding: OtlpBodyEncoding; body: Uint8Array }
  /** The server's prices changed: price the next spans with these. */
  | { op: 'pricing'; pricing: PricingSnapshot };

/** An error that crossed the thread boundary, by its name and message. */
export interface ThreadError {
  name: string;
  message: string;
}

/** A trace export, decoded, normalized and in the store's write form. */
export interface PreparedTraces {
  /** The store's prepared batch (TraceStore.adoptPrepared takes it); null when nothing is to be stored. */
  prepared: unknown;
  spanCount: number;
  liveCount: number;
  /** As in NormalizedTraces. */
  received: number;
  rejected: number;
  rejectionMessage: string | null;
  failures: { traceId: string; spanId: string; error: ThreadError }[];
}

/**
 * 'decode': the body is no readable OTLP export (400); 'prepare': the store's preparer failed
 * (a write failure, retryable); 'internal': anything else.
 */
export type IngestThreadFailure = { kind: 'decode' | 'prepare' | 'internal'; error: ThreadError; spanCount: number };

export type IngestThreadResponse = { id: number; ok: true; value: PreparedTraces } | { id: number; ok: false; failure: IngestThreadFailure };

/** What a thread posts: once `ready` (its modules loaded), then one response per export. */
export type IngestThreadMessage = { ready: true } | IngestThreadResponse;

export function threadError(error: unknown): ThreadError {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
}

/** The error again, on the receiving side. */
export function errorOfThread(error: ThreadError): Error {
  const restored = new Error(error.message);
  restored.name = error.name;
  return restored;
}

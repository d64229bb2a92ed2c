// decode → normalize → write queue → encoded OTLP response. Shared by the OTLP/HTTP and the
// OTLP/gRPC receivers so both answer the same way; they only differ in framing and status mapping.

import { decodeLogsJson, decodeLogsProtobuf, encodeLogsResponse, encodeTracesResponse } from '@cairn/otlp';
import type { PricingContext } from '@cairn/semantic';
import type { DetachedSpanEvent } from '@cairn/storage';
import type { ErrorResponse } from '../error-response.js';
import type { Logger } from '../logger.js';
import type { IngestCounters } from './ingest-stats.js';
import type { PreparedTraces } from './ingest-thread-protocol.js';
import { errorOfThread } from './ingest-thread-protocol.js';
import type { IngestThreads } from './ingest-threads.js';
import { PrepareFailedError } from './ingest-threads.js';
import type { NormalizedTraces, OtlpBodyEncoding } from './normalize-traces.js';
import { normalizeTraces } from './normalize-traces.js';
import type { WriteQueue } from './write-queue.js';

export type OtlpSignal = 'traces' | 'logs';
export type { OtlpBodyEncoding } from './normalize-traces.js';

interface PartialSuccess {
  rejected: number;
  errorMessage: string;
}

/** Only gen_ai.* log events carry agent semantics worth attaching to spans. */
const KEPT_EVENT_PREFIX = 'gen_ai.';

export class IngestPipeline {
  constructor(
    private readonly queue: WriteQueue,
    private readonly counters: IngestCounters,
    private readonly projectId: string,
    private readonly logger: Logger,
    private readonly pricing: PricingContext,
    /** Where trace exports are decoded, normalized and prepared; null: on the event loop. */
    private readonly threads: IngestThreads | null = null,
  ) {}

  /** Decodes and stores one export request; resolves with the response body once it is durable. */
  async export(signal: OtlpSignal, encoding: OtlpBodyEncoding, body: Uint8Array): Promise<Uint8Array> {
    // OTLP: an empty request succeeds (an empty body is not valid JSON, so decide before decoding).
    let partial: PartialSuccess | null = null;
    if (body.byteLength > 0) {
      partial = signal === 'traces' ? await this.#exportTraces(encoding, body) : await this.#exportLogs(encoding, body);
    }
    return signal === 'traces' ? encodeTracesResponse(encoding, partial) : encodeLogsResponse(encoding, partial);
  }

  /** Counts one finished export request by its outcome (null = success). */
  recordOutcome(error: ErrorResponse | null): void {
    this.counters.requestsReceived++;
    if (error === null) this.counters.requestsSucceeded++;
    else if (error.httpStatus === 429) this.counters.requestsThrottled++;
    else if (error.httpStatus >= 500) this.counters.requestsFailed++;
    else this.counters.requestsInvalid++;
  }

  async #exportTraces(encoding: OtlpBodyEncoding, body: Uint8Array): Promise<PartialSuccess | null> {
    if (this.threads !== null) return this.#exportTracesInThread(this.threads, encoding, body);
    // Decoded and normalized records must not stay reachable from this frame while the write
    // is awaited: a store that prepares writes (encodes the rows) lets them die young.
    const { written, partial } = this.#submitTraces(encoding, body);
    await written;
    return partial;
  }

  /** Decodes, normalizes and submits the spans; nothing it allocates outlives it but the result. */
  #submitTraces(encoding: OtlpBodyEncoding, body: Uint8Array): { written: Promise<unknown> | null; partial: PartialSuccess | null } {
    const normalized = normalizeTraces(encoding, body, this.projectId, this.pricing);
    this.#count(normalized);
    const written = normalized.batch === null ? null : this.queue.submit(normalized.batch);
    return { written, partial: partialSuccess(normalized) };
  }

  async #exportTracesInThread(threads: IngestThreads, encoding: OtlpBodyEncoding, body: Uint8Array): Promise<PartialSuccess | null> {
    let prepared: PreparedTraces;
    try {
      prepared = await threads.prepare(encoding, body);
    } catch (error) {
      if (error instanceof PrepareFailedError) throw this.queue.prepareFailed(error.spanCount, 0, error.cause);
      throw error;
    }
    this.#count({ ...prepared, failures: prepared.failures.map((failure) => ({ ...failure, error: errorOfThread(failure.error) })) });
    if (prepared.prepared !== null) await this.queue.submitPrepared(prepared.prepared, prepared.spanCount, prepared.liveCount);
    return partialSuccess(prepared);
  }

  #count(traces: Pick<NormalizedTraces, 'received' | 'liveCount' | 'rejected' | 'failures'>): void {
    this.counters.spansReceived += traces.received;
    this.counters.liveSpansReceived += traces.liveCount;
    this.counters.spansRejected += traces.rejected;
    for (const { traceId, spanId, error } of traces.failures) this.logger.error(`normalizing span ${traceId}/${spanId} failed`, error);
  }

  async #exportLogs(encoding: OtlpBodyEncoding, body: Uint8Array): Promise<PartialSuccess | null> {
    const decoded = encoding === 'protobuf' ? decodeLogsProtobuf(body) : decodeLogsJson(body);
    const events: DetachedSpanEvent[] = [];
    for (const item of decoded.events) {
      if (!item.event.name.startsWith(KEPT_EVENT_PREFIX)) continue;
      events.push({ projectId: this.projectId, traceId: item.traceId, spanId: item.spanId, event: item.event });
    }
    const ignored = decoded.totalLogRecords - events.length;
    this.counters.logRecordsReceived += decoded.totalLogRecords;
    this.counters.logRecordsIgnored += ignored;
    if (events.length > 0) await this.queue.submit({ spans: [], events });
    if (ignored === 0) return null;
    // rejected = 0 with a message is OTLP's "warning": the client must not retry these.
    return {
      rejected: 0,
      errorMessage:
        `${ignored} of ${decoded.totalLogRecords} log record(s) ignored: Cairn stores only log records ` +
        `that carry a trace id, a span id and an event name starting with "${KEPT_EVENT_PREFIX}"`,
    };
  }
}

function partialSuccess(traces: Pick<PreparedTraces, 'rejected' | 'rejectionMessage'>): PartialSuccess | null {
  return traces.rejectionMessage === null ? null : { rejected: traces.rejected, errorMessage: traces.rejectionMessage };
}

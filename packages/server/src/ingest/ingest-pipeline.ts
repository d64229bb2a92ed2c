// decode → normalize → write queue → encoded OTLP response. Shared by the OTLP/HTTP and the
// OTLP/gRPC receivers so both answer the same way; they only differ in framing and status mapping.

import {
  decodeLogsJson,
  decodeLogsProtobuf,
  decodeTracesJson,
  decodeTracesProtobuf,
  encodeLogsResponse,
  encodeTracesResponse,
} from '@cairn/otlp';
import { nowUnixNano, type SpanRecord } from '@cairn/model';
import { demoteWrappingModelCalls, normalizeSpan, type PricingContext } from '@cairn/semantic';
import type { DetachedSpanEvent } from '@cairn/storage';
import type { ErrorResponse } from '../error-response.js';
import type { Logger } from '../logger.js';
import type { IngestCounters } from './ingest-stats.js';
import type { WriteQueue } from './write-queue.js';

export type OtlpSignal = 'traces' | 'logs';
/** How the request (and therefore the response) body is encoded. */
export type OtlpBodyEncoding = 'protobuf' | 'json';

interface PartialSuccess {
  rejected: number;
  errorMessage: string;
}

/** Only gen_ai.* log events carry agent semantics worth attaching to spans. */
const KEPT_EVENT_PREFIX = 'gen_ai.';
/**
 * Marks a live record: a snapshot of a span still running, sent by the Cairn SDK as an ordinary
 * OTLP span. It is stored apart (WriteBatch.liveSpans) until the finished span replaces it.
 */
const LIVE_ATTRIBUTE = 'cairn.live';
/** Rejection messages echoed to the client; the rest are summarized. */
const MAX_REJECTION_MESSAGES = 5;

export class IngestPipeline {
  constructor(
    private readonly queue: WriteQueue,
    private readonly counters: IngestCounters,
    private readonly projectId: string,
    private readonly logger: Logger,
    private readonly pricing: PricingContext,
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
    // Decoded and normalized records must not stay reachable from this frame while the write
    // is awaited: a store that prepares writes (encodes the rows) lets them die young.
    const { written, partial } = this.#submitTraces(encoding, body);
    await written;
    return partial;
  }

  /** Decodes, normalizes and submits the spans; nothing it allocates outlives it but the result. */
  #submitTraces(encoding: OtlpBodyEncoding, body: Uint8Array): { written: Promise<unknown> | null; partial: PartialSuccess | null } {
    const decoded = encoding === 'protobuf' ? decodeTracesProtobuf(body) : decodeTracesJson(body);
    const receivedUnixNano = nowUnixNano();
    const spans: SpanRecord[] = [];
    const liveSpans: SpanRecord[] = [];
    const messages = decoded.rejectionMessages.slice(0, MAX_REJECTION_MESSAGES);
    let rejected = decoded.rejectedSpans;
    for (const wireSpan of decoded.spans) {
      try {
        const record = normalizeSpan(wireSpan, { projectId: this.projectId, receivedUnixNano, pricing: this.pricing });
        if (wireSpan.attributes[LIVE_ATTRIBUTE] === true) liveSpans.push(record);
        else spans.push(record);
      } catch (cause) {
        // A normalizer bug must not cost the rest of the request; the span is reported rejected.
        rejected++;
        this.logger.error(`normalizing span ${wireSpan.traceId}/${wireSpan.spanId} failed`, cause);
        if (messages.length < MAX_REJECTION_MESSAGES) messages.push(`span ${wireSpan.spanId} could not be normalized`);
      }
    }
    this.counters.spansReceived += decoded.spans.length + decoded.rejectedSpans - liveSpans.length;
    this.counters.liveSpansReceived += liveSpans.length;
    this.counters.spansRejected += rejected;
    // A model call nested in another (one call instrumented twice) is counted once: the outer
    // span becomes its wrapper. The analyzer does the same for pairs split across requests.
    demoteWrappingModelCalls(spans);
    const written =
      spans.length + liveSpans.length > 0 ? this.queue.submit(liveSpans.length > 0 ? { spans, events: [], liveSpans } : { spans, events: [] }) : null;
    if (rejected === 0) return { written, partial: null };
    const more = decoded.rejectionMessages.length > MAX_REJECTION_MESSAGES ? ' …' : '';
    return { written, partial: { rejected, errorMessage: `${rejected} span(s) rejected: ${messages.join('; ')}${more}` } };
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

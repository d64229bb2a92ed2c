// The write path, main-thread side. One batch = one transaction over every table, so a crash
// never leaves half a batch, and a write resolves only after COMMIT (DuckDB syncs the WAL then).
//
// encodeBatch() encodes a batch's rows (JSON of attributes, payloads, events) into column buffers
// off the JS heap as soon as the batch arrives; the server queues that instead of the records,
// which then die young (records waiting in a queue survive scavenges and cost the main thread
// more GC than the encoding itself). A server with an ingest thread runs it there
// (write-preparer.ts), so the event loop never sees the records at all.
// writePrepared() hands the buffers to the DuckDB worker, which dedupes, appends and commits in
// one round trip (batch-write.ts).

import type { SpanRecord } from '@cairn/model';
import { hasDerivedContent } from '@cairn/semantic';
import type { DetachedSpanEvent, PreparedWrite, WriteBatch, WriteResult } from '@cairn/storage';
import type { BatchWriteResult } from './batch-write.js';
import type { NumberKind } from './number-column.js';
import type { EncodedOrigin, OriginRegistry } from './origin-registry.js';
import { attributeReference, encodePayload } from '@cairn/storage/adapter-kit';
import type { ColumnLayout } from './row-buffer.js';
import { RowBuffer, transferablesOf } from './row-buffer.js';
import type { LiveRow } from './live-spans-sql.js';
import { liveRowsOf } from './live-spans-sql.js';
import type { PreviewCandidates } from './preview-refresh.js';
import { previewCandidatesOf } from './preview-refresh.js';
import { buildTraceParts, TRACE_PART_COLUMNS, tracePartCells } from './trace-part.js';
import type { SplitAttributes } from './span-row.js';
import { SPAN_LAYOUT, SPAN_SEQ_COLUMN, spanRowCells, splitAttributes } from './span-row.js';
import type { WorkerClient } from './worker-client.js';
import type { CellValue, TableColumns } from './worker-protocol.js';

const PAYLOAD_SEQ_COLUMN = 7;
/** span_payloads (schema.ts): ids, start_ns, input, output, attributes, batch_seq. */
const PAYLOAD_LAYOUT: ColumnLayout = {
  count: 8,
  text: [0, 1, 2, 4, 5, 6],
  numbers: new Map<number, NumberKind>([
    [3, 'i64'],
    [PAYLOAD_SEQ_COLUMN, 'i64'],
  ]),
};
/** batch_seq is only known when the batch is written; prepared rows carry this until then. */
const UNKNOWN_SEQ = 0n;

export interface SpanWriterOptions {
  largeAttributeChars: number;
}

/**
 * A batch's rows and what its write needs besides them, as plain data: encodeBatch makes it on
 * whichever thread prepares (the store's, or a server's ingest thread), and it crosses threads
 * as it is (buffersOfBatch lists the buffers to move rather than copy).
 */
export interface EncodedBatch {
  spanCount: number;
  /** spans and span_payloads rows; batch_seq cells are filled in at write. */
  spanRows: TableColumns;
  payloadRows: TableColumns;
  /** The span row of each payload row. */
  payloadSpanRow: Int32Array;
  /** Origins of the spans (those the encoding thread knew to be stored left out). */
  origins: EncodedOrigin[];
  events: DetachedSpanEvent[];
  /** Distinct trace ids, whether a span repeats another of the batch, trace_parts rows (PreparedRows). */
  traceIds: string[];
  repeats: boolean;
  partRows: TableColumns;
  liveRows: LiveRow[];
  previewCandidates: PreviewCandidates | null;
}

/** Encodes a batch; synchronous, so the records can be dropped as soon as it returns. */
export function encodeBatch(batch: WriteBatch, registry: OriginRegistry, options: SpanWriterOptions): EncodedBatch {
  const { spans } = batch;
  const spanRows = new RowBuffer('spans', SPAN_LAYOUT, spans.length);
  const payloadRows = new RowBuffer('span_payloads', PAYLOAD_LAYOUT, spans.length);
  const payloadSpanRow = new Int32Array(spans.length);
  const origins = new Map<string, EncodedOrigin>();
  // A repeated span repeats its span id; the rare span id shared by two traces of one request
  // only sends the write the slow way (batch-write.ts), which compares whole keys.
  const spanIds = new Set<string>();
  for (let index = 0; index < spans.length; index++) {
    const span = spans[index]!;
    spanIds.add(span.spanId);
    const origin = registry.encode(span.resource, span.scope);
    if (!registry.isStored(origin.key)) origins.set(origin.key, origin);
    const attributes = splitAttributes(span.attributes, options.largeAttributeChars);
    const contentDerived = hasDerivedContent(span);
    const payload = payloadCells(span, attributes, UNKNOWN_SEQ, contentDerived);
    if (payload) {
      payloadSpanRow[payloadRows.size] = index;
      payloadRows.add(payload);
    }
    spanRows.add(spanRowCells(span, origin.key, attributes, payload !== null, UNKNOWN_SEQ, contentDerived));
  }
  const payloadCount = payloadRows.size;
  const parts = buildTraceParts(spans);
  const partRows = new RowBuffer('trace_parts', { count: TRACE_PART_COLUMNS }, parts.length);
  for (const part of parts) partRows.add(tracePartCells(part, UNKNOWN_SEQ));
  return {
    spanCount: spans.length,
    spanRows: spanRows.take(),
    payloadRows: payloadRows.take(),
    payloadSpanRow: payloadSpanRow.slice(0, payloadCount),
    origins: [...origins.values()],
    events: batch.events,
    traceIds: [...new Set(parts.map((part) => part.traceId))],
    repeats: spanIds.size < spans.length,
    partRows: partRows.take(),
    liveRows: liveRowsOf(batch.liveSpans),
    previewCandidates: previewCandidatesOf(batch),
  };
}

/** Whether a value that crossed threads is an EncodedBatch (a cheap check of its shape). */
export function isEncodedBatch(value: unknown): value is EncodedBatch {
  if (typeof value !== 'object' || value === null) return false;
  const batch = value as Partial<EncodedBatch>;
  return (
    typeof batch.spanCount === 'number' &&
    batch.spanRows?.table === 'spans' &&
    batch.payloadRows?.table === 'span_payloads' &&
    batch.partRows?.table === 'trace_parts' &&
    batch.payloadSpanRow instanceof Int32Array &&
    Array.isArray(batch.origins) &&
    Array.isArray(batch.events) &&
    Array.isArray(batch.traceIds) &&
    Array.isArray(batch.liveRows)
  );
}

/** The column buffers of an encoded batch, to move with it to another thread. */
export function buffersOfBatch(batch: EncodedBatch): ArrayBuffer[] {
  return [
    ...transferablesOf(batch.spanRows.columns),
    ...transferablesOf(batch.payloadRows.columns),
    ...transferablesOf(batch.partRows.columns),
    batch.payloadSpanRow.buffer as ArrayBuffer,
  ];
}

/** An encoded batch on its way to the store, written at most once. */
export class PreparedSpanBatch implements PreparedWrite {
  written = false;

  constructor(readonly encoded: EncodedBatch) {}

  get spanCount(): number {
    return this.encoded.spanCount;
  }

  get eventCount(): number {
    return this.encoded.events.length;
  }
}

export class SpanWriter {
  constructor(
    private readonly worker: WorkerClient,
    private readonly origins: OriginRegistry,
    readonly options: SpanWriterOptions,
    /** batch_seq of the last committed batch. */
    private batchSeq: bigint,
  ) {}

  prepare(batch: WriteBatch): PreparedSpanBatch {
    return new PreparedSpanBatch(encodeBatch(batch, this.origins, this.options));
  }

  write(batch: WriteBatch): Promise<WriteResult> {
    return this.writePrepared([this.prepare(batch)]);
  }

  async writePrepared(batches: readonly PreparedSpanBatch[]): Promise<WriteResult> {
    for (const batch of batches) {
      if (batch.written) throw new Error('a prepared batch was passed to writePrepared twice');
      batch.written = true;
    }
    const seq = this.batchSeq + 1n;
    const newOrigins = new Map<string, EncodedOrigin>();
    for (const { encoded } of batches) for (const origin of encoded.origins) if (!this.origins.isStored(origin.key)) newOrigins.set(origin.key, origin);
    const originRows = new RowBuffer('origins', { count: 8 });
    for (const origin of newOrigins.values()) originRows.add(originCells(origin));
    const result = await this.worker.request<BatchWriteResult>({
      op: 'write',
      seq,
      batches: batches.map(({ encoded }) => ({
        spanRows: encoded.spanRows,
        payloadRows: encoded.payloadRows,
        payloadSpanRow: encoded.payloadSpanRow,
        spanSeqColumn: SPAN_SEQ_COLUMN,
        payloadSeqColumn: PAYLOAD_SEQ_COLUMN,
        traceIds: encoded.traceIds,
        repeats: encoded.repeats,
        partRows: encoded.partRows,
      })),
      origins: originRows.take(),
      events: batches.flatMap(({ encoded }) => encoded.events),
    });
    if (result.committed) {
      this.batchSeq = seq;
      this.origins.markStored(newOrigins.keys());
    }
    return { accepted: result.accepted, deduplicated: result.deduplicated, eventsAccepted: result.eventsAccepted };
  }
}

/**
 * Latest OTel GenAI instrumentations send messages already in the canonical form, so the
 * encoded input often equals the raw attribute text byte for byte: store a reference then.
 */
function referToAttribute(encoded: string | null, span: SpanRecord, key: string): string | null {
  return encoded !== null && span.attributes[key] === encoded ? attributeReference(key) : encoded;
}

/**
 * The span's payload row, or null when it has no input, output or large attributes. Derived
 * input/output are not stored: getSpan derives them again from the attributes and events.
 */
function payloadCells(span: SpanRecord, attributes: SplitAttributes, seq: bigint, contentDerived: boolean): CellValue[] | null {
  const input = contentDerived ? null : referToAttribute(encodePayload(span.input), span, 'gen_ai.input.messages');
  const output = contentDerived ? null : referToAttribute(encodePayload(span.output), span, 'gen_ai.output.messages');
  if (input === null && output === null && attributes.full === null) return null;
  return [span.projectId, span.traceId, span.spanId, span.startTimeUnixNano, input, output, attributes.full, seq];
}

function originCells(origin: EncodedOrigin): CellValue[] {
  return [
    origin.key,
    origin.resourceAttributes,
    origin.resourceDropped,
    origin.resourceSchemaUrl,
    origin.scopeName,
    origin.scopeVersion,
    origin.scopeAttributes,
    origin.scopeSchemaUrl,
  ];
}

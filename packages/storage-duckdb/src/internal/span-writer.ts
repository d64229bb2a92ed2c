// The write path, main-thread side. One batch = one transaction over every table, so a crash
// never leaves half a batch, and a write resolves only after COMMIT (DuckDB syncs the WAL then).
//
// prepare() encodes a batch's rows (JSON of attributes, payloads, events) into column buffers
// off the JS heap as soon as the batch arrives; the server queues that instead of the records,
// which then die young (records waiting in a queue survive scavenges and cost the main thread
// more GC than the encoding itself), and the encoding overlaps the write in progress.
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
import { RowBuffer } from './row-buffer.js';
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

/** A batch encoded by SpanWriter.prepare, written at most once. */
export class PreparedSpanBatch implements PreparedWrite {
  written = false;

  constructor(
    readonly spanCount: number,
    /** spans and span_payloads rows; batch_seq cells are filled in at write. */
    readonly spanRows: TableColumns,
    readonly payloadRows: TableColumns,
    /** The span row of each payload row. */
    readonly payloadSpanRow: Int32Array,
    /** Origins of the spans that were not stored when the batch was prepared. */
    readonly origins: ReadonlyMap<string, EncodedOrigin>,
    readonly events: readonly DetachedSpanEvent[],
    /** Distinct trace ids, whether a span repeats another of the batch, trace_parts rows (PreparedRows). */
    readonly traceIds: string[],
    readonly repeats: boolean,
    readonly partRows: TableColumns,
  ) {}

  get eventCount(): number {
    return this.events.length;
  }
}

export class SpanWriter {
  constructor(
    private readonly worker: WorkerClient,
    private readonly origins: OriginRegistry,
    private readonly options: SpanWriterOptions,
    /** batch_seq of the last committed batch. */
    private batchSeq: bigint,
  ) {}

  /** Encodes the batch now; synchronous, so the records can be dropped as soon as it returns. */
  prepare(batch: WriteBatch): PreparedSpanBatch {
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
      const origin = this.origins.encode(span.resource, span.scope);
      if (!this.origins.isStored(origin.key)) origins.set(origin.key, origin);
      const attributes = splitAttributes(span.attributes, this.options.largeAttributeChars);
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
    return new PreparedSpanBatch(
      spans.length,
      spanRows.take(),
      payloadRows.take(),
      payloadSpanRow.subarray(0, payloadCount),
      origins,
      batch.events,
      [...new Set(parts.map((part) => part.traceId))],
      spanIds.size < spans.length,
      partRows.take(),
    );
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
    for (const batch of batches) for (const [key, origin] of batch.origins) if (!this.origins.isStored(key)) newOrigins.set(key, origin);
    const originRows = new RowBuffer('origins', { count: 8 });
    for (const origin of newOrigins.values()) originRows.add(originCells(origin));
    const result = await this.worker.request<BatchWriteResult>({
      op: 'write',
      seq,
      batches: batches.map((batch) => ({
        spanRows: batch.spanRows,
        payloadRows: batch.payloadRows,
        payloadSpanRow: batch.payloadSpanRow,
        spanSeqColumn: SPAN_SEQ_COLUMN,
        payloadSeqColumn: PAYLOAD_SEQ_COLUMN,
        traceIds: batch.traceIds,
        repeats: batch.repeats,
        partRows: batch.partRows,
      })),
      origins: originRows.take(),
      events: batches.flatMap((batch) => batch.events),
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

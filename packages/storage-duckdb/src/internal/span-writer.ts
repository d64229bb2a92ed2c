// The write path. One batch = one transaction over every table, so a crash never leaves half a
// batch, and write() resolves only after COMMIT (DuckDB syncs the WAL on commit).
//
// This thread only encodes rows (JSON of attributes, payloads, events) into column arrays and
// posts them to the DuckDB worker slice by slice, so the worker appends slice k while this thread
// encodes slice k+1, and the event loop gets a turn between slices.
//
// Dedupe on (project, trace id, span id) without a key index: repeats inside the batch are
// dropped first; then trace_parts (small) tells which of the batch's traces are already known
// and which batches (batch_seq) and start-time window hold them, and only spans of those traces
// there are read back. The adapter is the database's only writer and writes one batch at a time,
// so nothing can slip in between the lookup and the append.

import type { SpanRecord } from '@cairn/model';
import { hasDerivedContent } from '@cairn/semantic';
import type { DetachedSpanEvent, WriteBatch, WriteResult } from '@cairn/storage';
import { encodeEvent } from './nested-json.js';
import type { EncodedOrigin, OriginRegistry } from './origin-registry.js';
import { attributeReference, encodePayload } from './payload-json.js';
import { RowBuffer } from './row-buffer.js';
import { SqlParams } from './sql-params.js';
import type { SplitAttributes } from './span-row.js';
import { SPAN_TABLE_COLUMNS, SPAN_TEXT_COLUMNS, spanRowCells, splitAttributes } from './span-row.js';
import { buildTraceParts, TRACE_PART_COLUMNS, tracePartCells } from './trace-part.js';
import type { WorkerClient } from './worker-client.js';
import type { CellValue } from './worker-protocol.js';

/** span_payloads' VARCHAR columns (schema.ts): ids, input, output, attributes. */
const PAYLOAD_TEXT_COLUMNS: readonly number[] = [0, 1, 2, 4, 5, 6];

export interface SpanWriterOptions {
  largeAttributeChars: number;
  appendSliceRows: number;
}

function spanKey(projectId: string, traceId: string, spanId: string): string {
  return `${projectId}\u0000${traceId}\u0000${spanId}`;
}

function eventKey(event: DetachedSpanEvent): string {
  return `${spanKey(event.projectId, event.traceId, event.spanId)}\u0000${event.event.timeUnixNano}\u0000${event.event.name}`;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class SpanWriter {
  constructor(
    private readonly worker: WorkerClient,
    private readonly origins: OriginRegistry,
    private readonly options: SpanWriterOptions,
    /** batch_seq of the last committed batch. */
    private batchSeq: bigint,
  ) {}

  private query(sql: string, params: SqlParams): Promise<unknown[][]> {
    return this.worker.request<unknown[][]>({ op: 'query', sql, params: params.specs, writer: true });
  }

  async write(batch: WriteBatch): Promise<WriteResult> {
    const unique = this.uniqueInBatch(batch.spans);
    const spans = await this.withoutStored(unique);
    const events = await this.newEvents(batch.events);
    if (spans.length > 0 || events.length > 0) await this.append(spans, events);
    return { accepted: spans.length, deduplicated: batch.spans.length - spans.length, eventsAccepted: events.length };
  }

  private uniqueInBatch(spans: readonly SpanRecord[]): SpanRecord[] {
    const seen = new Set<string>();
    const unique: SpanRecord[] = [];
    for (const span of spans) {
      const key = spanKey(span.projectId, span.traceId, span.spanId);
      if (seen.has(key)) continue;
      seen.add(key);
      unique.push(span);
    }
    return unique;
  }

  private async withoutStored(spans: SpanRecord[]): Promise<SpanRecord[]> {
    if (spans.length === 0) return spans;
    const traceIds = [...new Set(spans.map((span) => span.traceId))];
    const params = new SqlParams();
    const known = await this.query(
      `SELECT min(min_start_ns), max(max_start_ns), min(batch_seq), max(batch_seq), list(DISTINCT trace_id) FROM trace_parts
       WHERE trace_id IN (SELECT unnest(${params.textList(traceIds)}))`,
      params,
    );
    const [minStart, maxStart, minSeq, maxSeq, knownIds] = known[0] as [bigint | null, bigint | null, bigint | null, bigint | null, { items: string[] } | null];
    if (minStart === null || maxStart === null || minSeq === null || maxSeq === null || knownIds === null) return spans;
    const lookup = new SqlParams();
    const stored = await this.query(
      `SELECT project_id, trace_id, span_id FROM spans
       WHERE batch_seq >= ${lookup.bigint(minSeq)} AND batch_seq <= ${lookup.bigint(maxSeq)}
         AND start_ns >= ${lookup.bigint(minStart)} AND start_ns <= ${lookup.bigint(maxStart)}
         AND trace_id IN (SELECT unnest(${lookup.textList(knownIds.items)}))`,
      lookup,
    );
    const storedKeys = new Set<string>();
    for (const row of stored) storedKeys.add(spanKey(row[0] as string, row[1] as string, row[2] as string));
    if (storedKeys.size === 0) return spans;
    return spans.filter((span) => !storedKeys.has(spanKey(span.projectId, span.traceId, span.spanId)));
  }

  private async newEvents(events: readonly DetachedSpanEvent[]): Promise<DetachedSpanEvent[]> {
    if (events.length === 0) return [];
    const params = new SqlParams();
    const traceIds = [...new Set(events.map((event) => event.traceId))];
    const stored = await this.query(
      `SELECT project_id, trace_id, span_id, time_ns, name FROM detached_events
       WHERE trace_id IN (SELECT unnest(${params.textList(traceIds)}))`,
      params,
    );
    const seen = new Set<string>();
    for (const row of stored) {
      seen.add(`${spanKey(row[0] as string, row[1] as string, row[2] as string)}\u0000${row[3] as bigint}\u0000${row[4] as string}`);
    }
    return events.filter((event) => {
      const key = eventKey(event);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  private async append(spans: SpanRecord[], events: DetachedSpanEvent[]): Promise<void> {
    const seq = this.batchSeq + 1n;
    await this.worker.request({ op: 'begin' });
    const newOrigins = new Map<string, EncodedOrigin>();
    try {
      const spanRows = new RowBuffer('spans', SPAN_TABLE_COLUMNS, SPAN_TEXT_COLUMNS);
      const payloadRows = new RowBuffer('span_payloads', 8, PAYLOAD_TEXT_COLUMNS);
      const slice = this.options.appendSliceRows;
      for (let index = 0; index < spans.length; index++) {
        const span = spans[index]!;
        const origin = this.origins.encode(span.resource, span.scope);
        if (!this.origins.isStored(origin.key)) newOrigins.set(origin.key, origin);
        const attributes = splitAttributes(span.attributes, this.options.largeAttributeChars);
        const contentDerived = hasDerivedContent(span);
        const payload = payloadCells(span, attributes, seq, contentDerived);
        if (payload) payloadRows.add(payload);
        spanRows.add(spanRowCells(span, origin.key, attributes, payload !== null, seq, contentDerived));
        if ((index + 1) % slice === 0) {
          // Hand the slice to the worker and let the event loop breathe before the next one.
          this.worker.send({ op: 'append', rows: spanRows.take() });
          if (payloadRows.size > 0) this.worker.send({ op: 'append', rows: payloadRows.take() });
          await yieldToEventLoop();
        }
      }
      const originRows = new RowBuffer('origins', 8);
      for (const origin of newOrigins.values()) originRows.add(originCells(origin));
      const partRows = new RowBuffer('trace_parts', TRACE_PART_COLUMNS);
      for (const part of buildTraceParts(spans)) partRows.add(tracePartCells(part, seq));
      const eventRows = new RowBuffer('detached_events', 6);
      for (const event of events) eventRows.add(eventCells(event));
      await this.worker.request({ op: 'commit', rows: [spanRows.take(), payloadRows.take(), originRows.take(), partRows.take(), eventRows.take()] });
    } catch (error) {
      await this.worker.request({ op: 'rollback' }).catch(() => undefined);
      throw error;
    }
    this.batchSeq = seq;
    this.origins.markStored(newOrigins.keys());
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

function eventCells(event: DetachedSpanEvent): CellValue[] {
  return [event.projectId, event.traceId, event.spanId, event.event.timeUnixNano, event.event.name, JSON.stringify(encodeEvent(event.event))];
}

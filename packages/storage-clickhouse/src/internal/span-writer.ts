// The write path: one RowBinary INSERT of the batch's new spans (and one of its new detached
// events); write() resolves only after ClickHouse has acknowledged them. In a cluster the insert
// goes through the Distributed table with insert_distributed_sync=1, so it succeeds only once
// every shard involved has written its rows: a shard that is down fails the write (retryable),
// instead of leaving rows queued on one node's disk and answering 200.
//
// Dedupe on (project, trace id, span id): repeats inside the batch are dropped, then the spans of
// the batch's traces already stored are looked up (primary-key seeks) and skipped, which gives the
// accepted / deduplicated counts. Two Cairn servers racing on the same retried span may both
// insert it; the ReplacingMergeTree key and the GROUP BY in every read keep it one span.

import type { SpanRecord } from '@cairn/model';
import type { DetachedSpanEvent, WriteBatch, WriteResult } from '@cairn/storage';
import type { ClickHouseHttp, Settings } from './clickhouse-http.js';
import { encodeEvent } from '@cairn/storage/adapter-kit';
import { RowBinaryWriter } from './row-binary.js';
import { EVENT_COLUMNS } from './schema.js';
import { textList } from './sql-literal.js';
import { SPAN_COLUMN_NAMES, SpanRowEncoder } from './span-row.js';
import { partSpanOfRecord, writeTraceParts } from './trace-parts.js';

export interface SpanWriterParts {
  entry: ClickHouseHttp;
  spansTable: string;
  eventsTable: string;
  /** The trace_parts index (trace-parts.ts), written before the spans. */
  partsTable: string;
  clustered: boolean;
  largeAttributeChars: number;
}

/** Id lists are inlined into SQL; raise ClickHouse's 256 KiB statement limit for large batches. */
const LOOKUP_SETTINGS: Settings = { max_query_size: 64 * 1024 * 1024 };

function spanKey(projectId: string, traceId: string, spanId: string): string {
  return `${projectId}\u0000${traceId}\u0000${spanId}`;
}

function eventKey(projectId: string, traceId: string, spanId: string, timeNs: bigint | string, name: string): string {
  return `${spanKey(projectId, traceId, spanId)}\u0000${timeNs}\u0000${name}`;
}

export class SpanWriter {
  private readonly encoder: SpanRowEncoder;
  private readonly insertSettings: Settings;

  constructor(private readonly parts: SpanWriterParts) {
    this.encoder = new SpanRowEncoder(parts.largeAttributeChars);
    this.insertSettings = parts.clustered ? { insert_distributed_sync: 1 } : {};
  }

  async write(batch: WriteBatch): Promise<WriteResult> {
    const spans = await this.withoutStored(uniqueInBatch(batch.spans));
    const events = await this.newEvents(batch.events);
    if (spans.length > 0) {
      // Index rows first: a span is never stored without its row, whatever fails in between.
      await writeTraceParts(this.parts.entry, this.parts.partsTable, spans.map(partSpanOfRecord), this.insertSettings);
      const rows = new RowBinaryWriter(Math.max(1 << 16, spans.length * 2048));
      for (const span of spans) this.encoder.write(rows, span);
      await this.parts.entry.insertRowBinary(this.parts.spansTable, SPAN_COLUMN_NAMES, rows.bytes(), this.insertSettings);
    }
    if (events.length > 0) {
      const rows = new RowBinaryWriter();
      const receivedNs = BigInt(Date.now()) * 1_000_000n;
      for (const { projectId, traceId, spanId, event } of events) {
        rows.string(projectId);
        rows.string(traceId);
        rows.string(spanId);
        rows.uint64(event.timeUnixNano);
        rows.string(event.name);
        rows.string(JSON.stringify(encodeEvent(event)));
        rows.uint64(receivedNs);
      }
      const columns = EVENT_COLUMNS.map(([name]) => name);
      await this.parts.entry.insertRowBinary(this.parts.eventsTable, columns, rows.bytes(), this.insertSettings);
    }
    return { accepted: spans.length, deduplicated: batch.spans.length - spans.length, eventsAccepted: events.length };
  }

  private async withoutStored(spans: SpanRecord[]): Promise<SpanRecord[]> {
    if (spans.length === 0) return spans;
    const projects = new Set(spans.map((span) => span.projectId));
    const traces = new Set(spans.map((span) => span.traceId));
    const stored = await this.parts.entry.query(
      `SELECT project_id, trace_id, span_id FROM ${this.parts.spansTable}
       WHERE project_id IN (${textList(projects)}) AND trace_id IN (${textList(traces)})`,
      LOOKUP_SETTINGS,
    );
    if (stored.length === 0) return spans;
    const keys = new Set(stored.map((row) => spanKey(row[0] as string, row[1] as string, row[2] as string)));
    return spans.filter((span) => !keys.has(spanKey(span.projectId, span.traceId, span.spanId)));
  }

  private async newEvents(events: readonly DetachedSpanEvent[]): Promise<DetachedSpanEvent[]> {
    if (events.length === 0) return [];
    const traces = new Set(events.map((event) => event.traceId));
    const stored = await this.parts.entry.query(
      `SELECT project_id, trace_id, span_id, time_ns, name FROM ${this.parts.eventsTable} WHERE trace_id IN (${textList(traces)})`,
      LOOKUP_SETTINGS,
    );
    const seen = new Set(stored.map((row) => eventKey(row[0] as string, row[1] as string, row[2] as string, row[3] as string, row[4] as string)));
    return events.filter((item) => {
      const key = eventKey(item.projectId, item.traceId, item.spanId, item.event.timeUnixNano, item.event.name);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
}

function uniqueInBatch(spans: readonly SpanRecord[]): SpanRecord[] {
  const seen = new Set<string>();
  return spans.filter((span) => {
    const key = spanKey(span.projectId, span.traceId, span.spanId);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

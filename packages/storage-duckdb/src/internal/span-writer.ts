// The write path. One batch = one transaction over every table, so a crash never leaves half a
// batch, and write() resolves only after COMMIT (DuckDB syncs the WAL on commit).
//
// Dedupe on (project, trace id, span id) without a key index: repeats inside the batch are
// dropped first; then trace_parts (small) tells which of the batch's traces are already known
// and their start-time window, and only spans of those traces inside that window are read back.
// The adapter is the database's only writer and calls write() one batch at a time, so nothing
// can slip in between the lookup and the append.

import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { SpanRecord } from '@cairn/model';
import type { DetachedSpanEvent, WriteBatch, WriteResult } from '@cairn/storage';
import { encodeEvent } from './nested-json.js';
import type { EncodedOrigin, OriginRegistry } from './origin-registry.js';
import { attributeReference, encodePayload } from './payload-json.js';
import { SqlParams } from './sql-params.js';
import type { SplitAttributes } from './span-row.js';
import { appendSpanRow, splitAttributes } from './span-row.js';
import { appendTracePart, buildTraceParts } from './trace-part.js';

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
    private readonly connection: DuckDBConnection,
    private readonly origins: OriginRegistry,
    private readonly options: SpanWriterOptions,
  ) {}

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
    const known = await this.connection.runAndReadAll(
      `SELECT min(min_start_ns), max(max_start_ns), list(DISTINCT trace_id) FROM trace_parts
       WHERE trace_id IN (SELECT unnest(${params.textList(traceIds)}))`,
      params.values,
      params.types,
    );
    const [minStart, maxStart, knownIds] = known.getRows()[0] as [bigint | null, bigint | null, { items: string[] } | null];
    if (minStart === null || maxStart === null || knownIds === null) return spans;
    const lookup = new SqlParams();
    const stored = await this.connection.runAndReadAll(
      `SELECT project_id, trace_id, span_id FROM spans
       WHERE start_ns >= ${lookup.bigint(minStart)} AND start_ns <= ${lookup.bigint(maxStart)}
         AND trace_id IN (SELECT unnest(${lookup.textList(knownIds.items)}))`,
      lookup.values,
      lookup.types,
    );
    const storedKeys = new Set<string>();
    for (const row of stored.getRows()) storedKeys.add(spanKey(row[0] as string, row[1] as string, row[2] as string));
    if (storedKeys.size === 0) return spans;
    return spans.filter((span) => !storedKeys.has(spanKey(span.projectId, span.traceId, span.spanId)));
  }

  private async newEvents(events: readonly DetachedSpanEvent[]): Promise<DetachedSpanEvent[]> {
    if (events.length === 0) return [];
    const params = new SqlParams();
    const traceIds = [...new Set(events.map((event) => event.traceId))];
    const stored = await this.connection.runAndReadAll(
      `SELECT project_id, trace_id, span_id, time_ns, name FROM detached_events
       WHERE trace_id IN (SELECT unnest(${params.textList(traceIds)}))`,
      params.values,
      params.types,
    );
    const seen = new Set<string>();
    for (const row of stored.getRows()) {
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
    await this.connection.run('BEGIN TRANSACTION');
    const appenders: DuckDBAppender[] = [];
    const open = async (table: string) => {
      const appender = await this.connection.createAppender(table);
      appenders.push(appender);
      return appender;
    };
    const newOrigins = new Map<string, EncodedOrigin>();
    try {
      const spanAppender = await open('spans');
      const payloadAppender = await open('span_payloads');
      const slice = this.options.appendSliceRows;
      for (let index = 0; index < spans.length; index++) {
        const span = spans[index]!;
        const origin = this.origins.encode(span.resource, span.scope);
        if (!this.origins.isStored(origin.key)) newOrigins.set(origin.key, origin);
        const attributes = splitAttributes(span.attributes, this.options.largeAttributeChars);
        const hasPayload = appendPayloadRow(payloadAppender, span, attributes);
        appendSpanRow(spanAppender, span, origin.key, attributes, hasPayload);
        if ((index + 1) % slice === 0) {
          // Hand the rows to DuckDB now and let the event loop breathe between slices.
          spanAppender.flushSync();
          payloadAppender.flushSync();
          await yieldToEventLoop();
        }
      }
      if (newOrigins.size > 0) {
        const originAppender = await open('origins');
        for (const origin of newOrigins.values()) appendOriginRow(originAppender, origin);
      }
      if (spans.length > 0) {
        const partAppender = await open('trace_parts');
        for (const part of buildTraceParts(spans)) appendTracePart(partAppender, part);
      }
      if (events.length > 0) {
        const eventAppender = await open('detached_events');
        for (const event of events) appendEventRow(eventAppender, event);
      }
      for (const appender of appenders.splice(0)) appender.closeSync();
      await this.connection.run('COMMIT');
    } catch (error) {
      for (const appender of appenders) {
        try {
          appender.clear();
          appender.closeSync();
        } catch {
          // The appender is already unusable; the rollback below discards its rows.
        }
      }
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
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

/** Appends the span's payload row when it has input, output or large attributes. */
function appendPayloadRow(appender: DuckDBAppender, span: SpanRecord, attributes: SplitAttributes): boolean {
  const input = referToAttribute(encodePayload(span.input), span, 'gen_ai.input.messages');
  const output = referToAttribute(encodePayload(span.output), span, 'gen_ai.output.messages');
  if (input === null && output === null && attributes.full === null) return false;
  appender.appendVarchar(span.projectId);
  appender.appendVarchar(span.traceId);
  appender.appendVarchar(span.spanId);
  appender.appendBigInt(span.startTimeUnixNano);
  for (const text of [input, output, attributes.full]) {
    if (text === null) appender.appendNull();
    else appender.appendVarchar(text);
  }
  appender.endRow();
  return true;
}

function appendOriginRow(appender: DuckDBAppender, origin: EncodedOrigin): void {
  appender.appendVarchar(origin.key);
  appender.appendVarchar(origin.resourceAttributes);
  appender.appendUInteger(origin.resourceDropped);
  appender.appendVarchar(origin.resourceSchemaUrl);
  appender.appendVarchar(origin.scopeName);
  appender.appendVarchar(origin.scopeVersion);
  appender.appendVarchar(origin.scopeAttributes);
  appender.appendVarchar(origin.scopeSchemaUrl);
  appender.endRow();
}

function appendEventRow(appender: DuckDBAppender, event: DetachedSpanEvent): void {
  appender.appendVarchar(event.projectId);
  appender.appendVarchar(event.traceId);
  appender.appendVarchar(event.spanId);
  appender.appendBigInt(event.event.timeUnixNano);
  appender.appendVarchar(event.event.name);
  appender.appendVarchar(JSON.stringify(encodeEvent(event.event)));
  appender.endRow();
}

// One span ⇄ one row of the spans table. Cells are in the table's column order (schema.ts);
// reads select SPAN_COLUMNS and decode by position.

import type { AttributeMap, SpanRecord, SpanType, StatusCodeName } from '@cairn/model';
import { NORMALIZER_VERSION } from '@cairn/semantic';
import { STATUS_CODE_NAMES, decodeStoredAttributes, encodeStoredAttributes } from '@cairn/model';
import type { StoredSpan } from '@cairn/storage';
import type { DecodedOrigin } from './origin-registry.js';
import { applySemanticExtras, decodeEvents, decodeLinks, encodeEvents, encodeLinks, encodeSemanticExtras } from '@cairn/storage/adapter-kit';
import type { NumberKind } from './number-column.js';
import type { ColumnLayout } from './row-buffer.js';
import type { NumberColumnData } from './number-column.js';
import type { TextColumnData } from './text-column.js';
import type { PartSpan } from './trace-part.js';
import { traceKeyOf } from './trace-key.js';
import type { CellValue, TableColumns } from './worker-protocol.js';

export const SPAN_COLUMNS = [
  'project_id', 'trace_id', 'span_id', 'parent_span_id', 'trace_state', 'flags', 'name', 'kind',
  'start_ns', 'end_ns', 'status_code', 'status_message', 'service_name', 'origin_key',
  'span_type', 'model', 'request_model', 'provider', 'operation', 'agent_name', 'tool_name', 'tool_call_id',
  'session_id', 'user_id', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens',
  'reasoning_tokens', 'has_usage', 'cost_usd', 'input_preview', 'output_preview', 'dialects',
  'attributes', 'dropped_attributes_count', 'has_payload', 'events', 'dropped_events_count',
  'links', 'dropped_links_count', 'received_ns', 'content_derived', 'semantics',
].join(', ');

/** Positions in SPAN_COLUMNS of the BIGINT columns (start_ns, end_ns, received_ns). */
const BIGINT_POSITIONS = [8, 9, 41];
/** Positions of the DOUBLE columns (tokens, cost): JSON has no NaN or infinities. */
const DOUBLE_POSITIONS = [24, 25, 26, 27, 28, 30];
/** Position of the semantics column (semantic-extras JSON text): embedded as JSON, parsed once. */
const SEMANTICS_POSITION = 43;
const NON_FINITE: Record<string, number> = { nan: NaN, '-nan': NaN, inf: Infinity, '-inf': -Infinity };

function jsonCell(column: string, index: number): string {
  if (BIGINT_POSITIONS.includes(index)) return `${column}::VARCHAR`;
  if (DOUBLE_POSITIONS.includes(index)) return `if(isfinite(${column}), to_json(${column}), to_json(${column}::VARCHAR))`;
  if (index === SEMANTICS_POSITION) return `${column}::JSON`;
  return column;
}

const SPAN_JSON_CELLS = SPAN_COLUMNS.split(', ').map(jsonCell).join(', ');
/**
 * SPAN_COLUMNS as one JSON array per row (spanRowOfJson reads it). Converting a row's 43 cells
 * one by one to JS values (@duckdb/node-api getRows) costs more than DuckDB writing them as JSON
 * plus JSON.parse. BIGINTs travel as strings (every digit kept), non-finite doubles as strings.
 */
export const SPAN_JSON_SELECT = `json_array(${SPAN_JSON_CELLS})::VARCHAR`;
/**
 * SPAN_JSON_SELECT with the row's batch_seq and rowid after the span's cells (at
 * SPAN_PLACE_POSITION and the next), which say where the row sits (summarizeTraceSpans).
 */
export const PLACED_SPAN_JSON_SELECT = `json_array(${SPAN_JSON_CELLS}, batch_seq, rowid)::VARCHAR`;
export const SPAN_PLACE_POSITION = SPAN_COLUMNS.split(', ').length;

/** A SPAN_JSON_SELECT cell back to a row of SPAN_COLUMNS, as decodeSpanRow takes it. */
export function spanRowOfJson(text: string): unknown[] {
  return withNumbers(JSON.parse(text) as unknown[]);
}

/** A parsed SPAN_JSON_SELECT array with its BIGINT and non-finite DOUBLE cells as JS values. */
function withNumbers(row: unknown[]): unknown[] {
  for (const index of BIGINT_POSITIONS) row[index] = BigInt(row[index] as string);
  for (const index of DOUBLE_POSITIONS) {
    const value = row[index];
    if (typeof value === 'string') row[index] = NON_FINITE[value] ?? Number(value);
  }
  return row;
}

/** string_agg(SPAN_JSON_SELECT, ',') back to rows of SPAN_COLUMNS (null: no rows). */
export function spanRowsOfJsonList(text: string | null): unknown[][] {
  return text === null ? [] : (JSON.parse(`[${text}]`) as unknown[][]).map(withNumbers);
}

const STATUS_NUMBER: Record<StatusCodeName, number> = { unset: 0, ok: 1, error: 2 };

export interface SplitAttributes {
  /** Stored-form JSON of the attributes that stay in the hot table. */
  hot: string;
  /** Stored-form JSON of all attributes, in order, when some were too large for the hot table. */
  full: string | null;
}

function isLarge(value: AttributeMap[string], limit: number): boolean {
  if (typeof value === 'string') return value.length > limit;
  if (value instanceof Uint8Array) return value.byteLength > (limit * 3) / 4;
  if (value !== null && typeof value === 'object') return encodeStoredAttributes({ v: value }).length > limit;
  return false;
}

export function splitAttributes(attributes: AttributeMap, limit: number): SplitAttributes {
  let small: AttributeMap | null = null;
  const keys = Object.keys(attributes);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    if (!isLarge(attributes[key]!, limit)) {
      if (small) small[key] = attributes[key]!;
      continue;
    }
    if (!small) {
      small = {};
      for (let before = 0; before < index; before++) small[keys[before]!] = attributes[keys[before]!]!;
    }
  }
  if (!small) return { hot: encodeStoredAttributes(attributes), full: null };
  return { hot: encodeStoredAttributes(small), full: encodeStoredAttributes(attributes) };
}

/** Position of batch_seq in a spans row (spanRowCells). */
export const SPAN_SEQ_COLUMN = 42;

/**
 * The spans table's columns (schema.ts: SPAN_COLUMNS plus batch_seq, then normalizer_version,
 * call_agent and trace_key) by position: VARCHAR ones appended as UTF-8 bytes, fixed-width ones as typed arrays.
 */
export const SPAN_LAYOUT: ColumnLayout = {
  count: 48,
  text: [0, 1, 2, 3, 4, 6, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 31, 32, 33, 34, 37, 39, 44, 46],
  numbers: new Map<number, NumberKind>([
    [5, 'u32'], [7, 'u8'], [8, 'i64'], [9, 'i64'], [10, 'u8'],
    [24, 'f64'], [25, 'f64'], [26, 'f64'], [27, 'f64'], [28, 'f64'], [29, 'bool'], [30, 'f64'],
    [35, 'u32'], [36, 'bool'], [38, 'u32'], [40, 'u32'], [41, 'i64'], [SPAN_SEQ_COLUMN, 'i64'], [43, 'bool'], [45, 'u32'], [47, 'u32'],
  ]),
};

/** One row in the spans table's column order. */
export function spanRowCells(
  span: SpanRecord,
  originKey: string,
  attributes: SplitAttributes,
  hasPayload: boolean,
  batchSeq: bigint,
  contentDerived: boolean,
): CellValue[] {
  return [
    span.projectId,
    span.traceId,
    span.spanId,
    span.parentSpanId,
    span.traceState,
    span.flags >>> 0,
    span.name,
    span.kind,
    span.startTimeUnixNano,
    span.endTimeUnixNano,
    STATUS_NUMBER[span.status.code],
    span.status.message,
    span.serviceName,
    originKey,
    span.spanType,
    span.model,
    span.requestModel,
    span.provider,
    span.operation,
    span.agentName,
    span.toolName,
    span.toolCallId,
    span.sessionId,
    span.userId,
    span.usage.inputTokens,
    span.usage.outputTokens,
    span.usage.cacheReadTokens,
    span.usage.cacheWriteTokens,
    span.usage.reasoningTokens,
    span.hasUsage,
    span.costUsd,
    span.inputPreview,
    span.outputPreview,
    span.dialects.length === 0 ? '' : JSON.stringify(span.dialects),
    attributes.hot,
    span.droppedAttributesCount,
    hasPayload,
    encodeEvents(span.events),
    span.droppedEventsCount,
    encodeLinks(span.links),
    span.droppedLinksCount,
    span.receivedUnixNano,
    batchSeq,
    contentDerived,
    // The optional semantic fields (null when the record has none) and the normalizer that made
    // them: records reach the store from the running normalizeSpan.
    encodeSemanticExtras(span),
    NORMALIZER_VERSION,
    // call_agent: resolved later, once the trace's agent spans are in (call-agents.ts).
    null,
    traceKeyOf(span.traceId),
  ];
}

/**
 * Buffer#utf8Slice(start, end): what Buffer#toString('utf8', start, end) calls after checking its
 * arguments, several times the cost of decoding a short cell. Undocumented, so feature-tested.
 */
const utf8Slice: (bytes: Buffer, start: number, end: number) => string =
  typeof (Buffer.prototype as { utf8Slice?: unknown }).utf8Slice === 'function'
    ? (bytes, start, end) => (bytes as Buffer & { utf8Slice(start: number, end: number): string }).utf8Slice(start, end)
    : (bytes, start, end) => bytes.toString('utf8', start, end);

/**
 * What trace parts and dedupe need of each span, read back from encoded spans rows (in the DuckDB
 * worker: the main thread keeps nothing per span once a batch is prepared).
 */
export function partSpansOfRows(rows: TableColumns): PartSpan[] {
  const text = (column: number) => {
    const data = rows.columns[column] as TextColumnData;
    const bytes = Buffer.from(data.bytes.buffer, data.bytes.byteOffset, data.bytes.byteLength);
    return (row: number): string | null => (data.nulls[row] === 1 ? null : utf8Slice(bytes, row === 0 ? 0 : data.ends[row - 1]!, data.ends[row]!));
  };
  const numbers = (column: number) => (rows.columns[column] as NumberColumnData).values;
  const [projectId, traceId, spanId, parentSpanId, name, serviceName, spanType] = [0, 1, 2, 3, 6, 12, 14].map(text);
  const [model, provider, agentName, toolName, sessionId, userId] = [15, 17, 19, 20, 22, 23].map(text);
  const starts = numbers(8) as BigInt64Array;
  const ends = numbers(9) as BigInt64Array;
  const received = numbers(41) as BigInt64Array;
  const statuses = numbers(10) as Uint8Array;
  const inputTokens = numbers(24) as Float64Array;
  const outputTokens = numbers(25) as Float64Array;
  const cost = rows.columns[30] as NumberColumnData;
  const spans: PartSpan[] = [];
  for (let row = 0; row < rows.rowCount; row++) {
    spans.push({
      projectId: projectId!(row)!,
      traceId: traceId!(row)!,
      spanId: spanId!(row)!,
      name: name!(row)!,
      parentSpanId: parentSpanId!(row),
      startTimeUnixNano: starts[row]!,
      endTimeUnixNano: ends[row]!,
      status: { code: STATUS_CODE_NAMES[statuses[row]!] ?? 'unset', message: '' },
      spanType: spanType!(row) as SpanType,
      usage: { inputTokens: inputTokens[row]!, outputTokens: outputTokens[row]!, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
      costUsd: cost.nulls?.[row] === 1 ? null : (cost.values as Float64Array)[row]!,
      model: model!(row),
      agentName: agentName!(row),
      toolName: toolName!(row),
      provider: provider!(row),
      serviceName: serviceName!(row)!,
      sessionId: sessionId!(row),
      userId: userId!(row),
      receivedUnixNano: received[row]!,
    });
  }
  return spans;
}

/** A decoded row plus what is needed to finish it (origin lookup, payload lookup). */
export interface DecodedSpanRow {
  span: StoredSpan;
  originKey: string;
  hasPayload: boolean;
  /** input/output are derived from the raw attributes and events on read (not stored). */
  contentDerived: boolean;
}

type LazyKey = 'attributes' | 'events' | 'links';

/** A span's attributes, events and links: stored text until first read, then decoded. */
interface LazyFields {
  text: Record<LazyKey, string>;
  value: Partial<Pick<StoredSpan, LazyKey>>;
}

const LAZY = Symbol('lazy span fields');
type LazySpan = StoredSpan & { [LAZY]: LazyFields };

const DECODERS: { [K in LazyKey]: (text: string) => StoredSpan[K] } = {
  attributes: decodeStoredAttributes,
  events: decodeEvents,
  links: decodeLinks,
};

function lazyDescriptor<K extends LazyKey>(key: K): PropertyDescriptor {
  return {
    enumerable: true,
    configurable: true,
    get(this: LazySpan): StoredSpan[K] {
      const fields = this[LAZY];
      return (fields.value[key] ??= DECODERS[key](fields.text[key]) as LazyFields['value'][K]) as StoredSpan[K];
    },
    set(this: LazySpan, next: StoredSpan[K]) {
      this[LAZY].value[key] = next;
    },
  };
}

/**
 * Accessors shared by every span (no closure per span): the trace view (GET /traces/{id}) reads
 * none of attributes, events and links, which are most of a big trace's decoding time; analysis
 * reads them for some spans only. Own enumerable properties, so spreads, JSON and deep equality
 * see the decoded values as before; the stored text sits under a non-enumerable symbol.
 */
const LAZY_DESCRIPTORS: PropertyDescriptorMap = {
  attributes: lazyDescriptor('attributes'),
  events: lazyDescriptor('events'),
  links: lazyDescriptor('links'),
};

/** Decodes a row of SPAN_COLUMNS; resource and scope are filled in by the caller from the origin. */
export function decodeSpanRow(row: readonly unknown[], origin: (key: string) => DecodedOrigin): DecodedSpanRow {
  const text = (index: number) => row[index] as string;
  const optional = (index: number) => row[index] as string | null;
  const count = (index: number) => row[index] as number;
  const originKey = text(13);
  const { resource, scope } = origin(originKey);
  const dialects = text(33);
  const span: StoredSpan = {
    projectId: text(0),
    traceId: text(1),
    spanId: text(2),
    parentSpanId: optional(3),
    traceState: text(4),
    flags: count(5),
    name: text(6),
    kind: count(7),
    startTimeUnixNano: row[8] as bigint,
    endTimeUnixNano: row[9] as bigint,
    status: { code: STATUS_CODE_NAMES[count(10)] ?? 'unset', message: text(11) },
    serviceName: text(12),
    resource,
    scope,
    spanType: text(14) as SpanType,
    model: optional(15),
    requestModel: optional(16),
    provider: optional(17),
    operation: optional(18),
    agentName: optional(19),
    toolName: optional(20),
    toolCallId: optional(21),
    sessionId: optional(22),
    userId: optional(23),
    usage: {
      inputTokens: count(24),
      outputTokens: count(25),
      cacheReadTokens: count(26),
      cacheWriteTokens: count(27),
      reasoningTokens: count(28),
    },
    hasUsage: row[29] as boolean,
    costUsd: row[30] as number | null,
    inputPreview: text(31),
    outputPreview: text(32),
    dialects: dialects === '' ? [] : (JSON.parse(dialects) as string[]),
    attributes: {},
    droppedAttributesCount: count(35),
    events: [],
    droppedEventsCount: count(38),
    links: [],
    droppedLinksCount: count(40),
    receivedUnixNano: row[41] as bigint,
  };
  const fields: LazyFields = { text: { attributes: text(34), events: text(37), links: text(39) }, value: {} };
  applySemanticExtras(span, row[SEMANTICS_POSITION] as Record<string, unknown> | null);
  Object.defineProperty(span, LAZY, { value: fields });
  Object.defineProperties(span, LAZY_DESCRIPTORS);
  return { span, originKey, hasPayload: row[36] as boolean, contentDerived: row[42] === true };
}


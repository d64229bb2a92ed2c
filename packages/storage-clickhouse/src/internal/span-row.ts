// One span ⇄ one row of the spans table. SPAN_COLUMNS is the single list of columns and their
// baseline (18.16) types: the DDL, the RowBinary encoder and the reader all follow its order.
// Nulls of optional semantic fields are Nullable; a root's parent_span_id is ''.
// Resource and scope are stored on every span row: columnar LZ4 makes the repeats nearly free,
// and no second table has to be kept consistent across servers.

import type { AttributeMap, InstrumentationScope, Resource, SpanRecord, SpanType, StatusCodeName } from '@cairn/model';
import { STATUS_CODE_NAMES, decodeStoredAttributes, encodeStoredAttributes } from '@cairn/model';
import { NORMALIZER_VERSION } from '@cairn/semantic';
import type { StoredSpan } from '@cairn/storage';
import { decodeEvents, decodeLinks, encodeEvents, encodeLinks } from '@cairn/storage/adapter-kit';
import { applySemanticExtras, attributeReference, decodeStoredPayload, encodePayload, encodeSemanticExtras } from '@cairn/storage/adapter-kit';
import type { RowBinaryWriter } from './row-binary.js';

export const SPAN_COLUMNS: readonly (readonly [name: string, type: string])[] = [
  ['project_id', 'String'],
  ['trace_id', 'String'],
  ['span_id', 'String'],
  ['parent_span_id', 'String'],
  ['trace_state', 'String'],
  ['flags', 'UInt32'],
  ['name', 'String'],
  ['kind', 'UInt8'],
  ['start_ns', 'UInt64'],
  ['end_ns', 'UInt64'],
  ['status_code', 'UInt8'],
  ['status_message', 'String'],
  ['service_name', 'String'],
  ['resource_attributes', 'String'],
  ['resource_dropped', 'UInt32'],
  ['resource_schema_url', 'String'],
  ['scope_name', 'String'],
  ['scope_version', 'String'],
  ['scope_attributes', 'String'],
  ['scope_schema_url', 'String'],
  ['span_type', 'String'],
  ['model', 'Nullable(String)'],
  ['request_model', 'Nullable(String)'],
  ['provider', 'Nullable(String)'],
  ['operation', 'Nullable(String)'],
  ['agent_name', 'Nullable(String)'],
  ['tool_name', 'Nullable(String)'],
  ['tool_call_id', 'Nullable(String)'],
  ['session_id', 'Nullable(String)'],
  ['user_id', 'Nullable(String)'],
  ['input_tokens', 'Float64'],
  ['output_tokens', 'Float64'],
  ['cache_read_tokens', 'Float64'],
  ['cache_write_tokens', 'Float64'],
  ['reasoning_tokens', 'Float64'],
  ['has_usage', 'UInt8'],
  ['cost_usd', 'Nullable(Float64)'],
  ['input_preview', 'String'],
  ['output_preview', 'String'],
  ['dialects', 'Array(String)'],
  // Stored-form attributes JSON without values longer than largeAttributeChars (list views).
  ['attributes', 'String'],
  // Stored-form JSON of all attributes when some were left out of `attributes`, else ''.
  ['attributes_full', 'String'],
  ['dropped_attributes_count', 'UInt32'],
  ['events', 'String'],
  ['dropped_events_count', 'UInt32'],
  ['links', 'String'],
  ['dropped_links_count', 'UInt32'],
  ['input', 'Nullable(String)'],
  ['output', 'Nullable(String)'],
  ['received_ns', 'UInt64'],
  // Added by migration 6 (older rows read '' / 0 / 0):
  // the optional SpanSemantics fields (adapter-kit semantic-extras-json.ts), '' when none;
  ['semantics', 'String'],
  // the NORMALIZER_VERSION that made the row's semantic columns (0: not recorded);
  ['normalizer_version', 'UInt32'],
  // 0 as ingested; when updateSpanSemantics inserted the row as a replacement, when it did. Reads
  // take the row with the largest value per span (latest-row-sql.ts).
  ['rewritten_ns', 'UInt64'],
];

export const SPAN_COLUMN_NAMES = SPAN_COLUMNS.map(([name]) => name);

/** Columns getTrace reads: everything but the payload columns. */
export const LISTED_SPAN_COLUMNS = SPAN_COLUMN_NAMES.filter((name) => !['attributes_full', 'input', 'output'].includes(name));

const STATUS_NUMBER: Record<StatusCodeName, number> = { unset: 0, ok: 1, error: 2 };

interface EncodedOrigin {
  resourceAttributes: string;
  scopeAttributes: string;
}

function isLarge(value: AttributeMap[string], limit: number): boolean {
  if (typeof value === 'string') return value.length > limit;
  if (value instanceof Uint8Array) return value.byteLength > (limit * 3) / 4;
  if (value !== null && typeof value === 'object') return encodeStoredAttributes({ v: value }).length > limit;
  return false;
}

/** Hot attributes (small values only) and, when something was left out, all of them. */
export function splitAttributes(attributes: AttributeMap, limit: number): { hot: string; full: string } {
  const keys = Object.keys(attributes);
  if (!keys.some((key) => isLarge(attributes[key]!, limit))) return { hot: encodeStoredAttributes(attributes), full: '' };
  const small: AttributeMap = {};
  for (const key of keys) if (!isLarge(attributes[key]!, limit)) small[key] = attributes[key]!;
  return { hot: encodeStoredAttributes(small), full: encodeStoredAttributes(attributes) };
}

/**
 * Latest OTel GenAI instrumentations send messages already in the canonical form, so the encoded
 * input often equals the raw attribute text byte for byte: store a reference then.
 */
function referToAttribute(encoded: string | null, span: SpanRecord, key: string): string | null {
  return encoded !== null && span.attributes[key] === encoded ? attributeReference(key) : encoded;
}

/** Encodes spans as RowBinary rows in SPAN_COLUMNS order. */
export class SpanRowEncoder {
  // The OTLP decoder shares one Resource / Scope object per ResourceSpans: encode each once.
  private readonly origins = new WeakMap<Resource, WeakMap<InstrumentationScope, EncodedOrigin>>();

  constructor(private readonly largeAttributeChars: number) {}

  private origin(resource: Resource, scope: InstrumentationScope): EncodedOrigin {
    let scopes = this.origins.get(resource);
    if (!scopes) {
      scopes = new WeakMap();
      this.origins.set(resource, scopes);
    }
    let encoded = scopes.get(scope);
    if (!encoded) {
      encoded = { resourceAttributes: encodeStoredAttributes(resource.attributes), scopeAttributes: encodeStoredAttributes(scope.attributes) };
      scopes.set(scope, encoded);
    }
    return encoded;
  }

  write(out: RowBinaryWriter, span: SpanRecord): void {
    const origin = this.origin(span.resource, span.scope);
    const attributes = splitAttributes(span.attributes, this.largeAttributeChars);
    out.string(span.projectId);
    out.string(span.traceId);
    out.string(span.spanId);
    out.string(span.parentSpanId ?? '');
    out.string(span.traceState);
    out.uint32(span.flags);
    out.string(span.name);
    out.uint8(span.kind);
    out.uint64(span.startTimeUnixNano);
    out.uint64(span.endTimeUnixNano);
    out.uint8(STATUS_NUMBER[span.status.code]);
    out.string(span.status.message);
    out.string(span.serviceName);
    out.string(origin.resourceAttributes);
    out.uint32(span.resource.droppedAttributesCount);
    out.string(span.resource.schemaUrl);
    out.string(span.scope.name);
    out.string(span.scope.version);
    out.string(origin.scopeAttributes);
    out.string(span.scope.schemaUrl);
    out.string(span.spanType);
    out.nullableString(span.model);
    out.nullableString(span.requestModel);
    out.nullableString(span.provider);
    out.nullableString(span.operation);
    out.nullableString(span.agentName);
    out.nullableString(span.toolName);
    out.nullableString(span.toolCallId);
    out.nullableString(span.sessionId);
    out.nullableString(span.userId);
    out.float64(span.usage.inputTokens);
    out.float64(span.usage.outputTokens);
    out.float64(span.usage.cacheReadTokens);
    out.float64(span.usage.cacheWriteTokens);
    out.float64(span.usage.reasoningTokens);
    out.uint8(span.hasUsage ? 1 : 0);
    out.nullableFloat64(span.costUsd);
    out.string(span.inputPreview);
    out.string(span.outputPreview);
    out.stringArray(span.dialects);
    out.string(attributes.hot);
    out.string(attributes.full);
    out.uint32(span.droppedAttributesCount);
    out.string(encodeEvents(span.events));
    out.uint32(span.droppedEventsCount);
    out.string(encodeLinks(span.links));
    out.uint32(span.droppedLinksCount);
    out.nullableString(referToAttribute(encodePayload(span.input), span, 'gen_ai.input.messages'));
    out.nullableString(referToAttribute(encodePayload(span.output), span, 'gen_ai.output.messages'));
    out.uint64(span.receivedUnixNano);
    out.string(encodeSemanticExtras(span) ?? '');
    out.uint32(NORMALIZER_VERSION);
    out.uint64(0n);
  }
}

/** A JSONCompact row of `columns` as a record by column name. */
export function rowRecord(columns: readonly string[], row: readonly unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let index = 0; index < columns.length; index++) record[columns[index]!] = row[index];
  return record;
}

/** Decodes a row read with LISTED_SPAN_COLUMNS (64-bit integers arrive as strings). */
export function decodeListedSpan(cell: Record<string, unknown>): StoredSpan {
  const text = (name: string) => cell[name] as string;
  const optional = (name: string) => cell[name] as string | null;
  const count = (name: string) => Number(cell[name]);
  const parent = text('parent_span_id');
  const span: StoredSpan = {
    projectId: text('project_id'),
    traceId: text('trace_id'),
    spanId: text('span_id'),
    parentSpanId: parent === '' ? null : parent,
    traceState: text('trace_state'),
    flags: count('flags'),
    name: text('name'),
    kind: count('kind'),
    startTimeUnixNano: BigInt(text('start_ns')),
    endTimeUnixNano: BigInt(text('end_ns')),
    status: { code: STATUS_CODE_NAMES[count('status_code')] ?? 'unset', message: text('status_message') },
    serviceName: text('service_name'),
    resource: {
      attributes: decodeStoredAttributes(text('resource_attributes')),
      droppedAttributesCount: count('resource_dropped'),
      schemaUrl: text('resource_schema_url'),
    },
    scope: {
      name: text('scope_name'),
      version: text('scope_version'),
      attributes: decodeStoredAttributes(text('scope_attributes')),
      schemaUrl: text('scope_schema_url'),
    },
    spanType: text('span_type') as SpanType,
    model: optional('model'),
    requestModel: optional('request_model'),
    provider: optional('provider'),
    operation: optional('operation'),
    agentName: optional('agent_name'),
    toolName: optional('tool_name'),
    toolCallId: optional('tool_call_id'),
    sessionId: optional('session_id'),
    userId: optional('user_id'),
    usage: {
      inputTokens: count('input_tokens'),
      outputTokens: count('output_tokens'),
      cacheReadTokens: count('cache_read_tokens'),
      cacheWriteTokens: count('cache_write_tokens'),
      reasoningTokens: count('reasoning_tokens'),
    },
    hasUsage: count('has_usage') === 1,
    costUsd: cell.cost_usd === null ? null : Number(cell.cost_usd),
    inputPreview: text('input_preview'),
    outputPreview: text('output_preview'),
    dialects: cell.dialects as string[],
    attributes: decodeStoredAttributes(text('attributes')),
    droppedAttributesCount: count('dropped_attributes_count'),
    events: decodeEvents(text('events')),
    droppedEventsCount: count('dropped_events_count'),
    links: decodeLinks(text('links')),
    droppedLinksCount: count('dropped_links_count'),
    receivedUnixNano: BigInt(text('received_ns')),
  };
  applySemanticExtras(span, (cell.semantics as string | undefined) ?? null);
  return span;
}

/** Completes a listed span with the payload columns (attributes_full, input, output). */
export function withPayload(span: StoredSpan, payload: { attributesFull: string; input: string | null; output: string | null }): SpanRecord {
  const attributes = payload.attributesFull === '' ? span.attributes : decodeStoredAttributes(payload.attributesFull);
  return {
    ...span,
    attributes,
    input: decodeStoredPayload(payload.input, attributes),
    output: decodeStoredPayload(payload.output, attributes),
  };
}

// Store records → the contract's JSON records (camelCase, nanoseconds as decimal strings plus ISO
// and millisecond conveniences). Typed by the zod schemas the OpenAPI document is built from.

import {
  durationMillis,
  nanosToIso,
  SPAN_KIND_NAMES,
  toApiAttributes,
  type SessionSummary,
  type SpanEvent,
  type SpanLink,
  type TraceSummary,
} from '@cairn/model';
import { explainCost, explainSpan, type PricingContext } from '@cairn/semantic';
import { groupMissingParents, type SpanDetail, type StoredSpan, type TreeSpan } from '@cairn/storage';
import type {
  ApiPlaceholderRecord,
  ApiSessionSummaryRecord,
  ApiSpanDetailRecord,
  ApiSpanRecord,
  ApiTraceSummaryRecord,
} from './api-schemas.js';

export function toApiTraceSummary(summary: TraceSummary): ApiTraceSummaryRecord {
  return {
    traceId: summary.traceId,
    rootName: summary.rootName,
    serviceName: summary.serviceName,
    startTime: nanosToIso(summary.startTimeUnixNano),
    startTimeUnixNano: summary.startTimeUnixNano.toString(),
    endTimeUnixNano: summary.endTimeUnixNano.toString(),
    durationMs: durationMillis(summary.startTimeUnixNano, summary.endTimeUnixNano),
    spanCount: summary.spanCount,
    errorCount: summary.errorCount,
    llmCallCount: summary.llmCallCount,
    toolCallCount: summary.toolCallCount,
    inputTokens: summary.inputTokens,
    outputTokens: summary.outputTokens,
    costUsd: summary.costUsd,
    models: summary.models,
    agents: summary.agents,
    sessionId: summary.sessionId,
    userId: summary.userId,
    hasRoot: summary.hasRoot,
  };
}

/** A Span record from a stored span or a tree-view span (which has every field a Span shows). */
export function toApiSpan(span: TreeSpan): ApiSpanRecord {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    kind: SPAN_KIND_NAMES[span.kind] ?? 'UNSPECIFIED',
    spanType: span.spanType,
    serviceName: span.serviceName,
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    endTimeUnixNano: span.endTimeUnixNano.toString(),
    startTime: nanosToIso(span.startTimeUnixNano),
    durationMs: durationMillis(span.startTimeUnixNano, span.endTimeUnixNano),
    status: { code: span.status.code, message: span.status.message },
    model: span.model,
    provider: span.provider,
    operation: span.operation,
    agentName: span.agentName,
    toolName: span.toolName,
    sessionId: span.sessionId,
    userId: span.userId,
    usage: { ...span.usage },
    costUsd: span.costUsd,
    inputPreview: span.inputPreview,
    outputPreview: span.outputPreview,
    live: span.live === true,
  };
}

function toApiEvent(event: SpanEvent) {
  return {
    timeUnixNano: event.timeUnixNano.toString(),
    time: nanosToIso(event.timeUnixNano),
    name: event.name,
    attributes: toApiAttributes(event.attributes),
    droppedAttributesCount: event.droppedAttributesCount,
  };
}

function toApiLink(link: SpanLink) {
  return {
    traceId: link.traceId,
    spanId: link.spanId,
    traceState: link.traceState,
    attributes: toApiAttributes(link.attributes),
    droppedAttributesCount: link.droppedAttributesCount,
    flags: link.flags,
  };
}

/** Attribute maps keep bigint values: serialize the result with stringifyJson. */
export function toApiSpanDetail(span: SpanDetail, pricing?: PricingContext): ApiSpanDetailRecord {
  return {
    ...toApiSpan(span),
    traceState: span.traceState,
    flags: span.flags,
    attributes: toApiAttributes(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    resource: {
      attributes: toApiAttributes(span.resource.attributes),
      droppedAttributesCount: span.resource.droppedAttributesCount,
      schemaUrl: span.resource.schemaUrl,
    },
    scope: {
      name: span.scope.name,
      version: span.scope.version,
      attributes: toApiAttributes(span.scope.attributes),
      schemaUrl: span.scope.schemaUrl,
    },
    events: span.events.map(toApiEvent),
    droppedEventsCount: span.droppedEventsCount,
    links: span.links.map(toApiLink),
    droppedLinksCount: span.droppedLinksCount,
    input: span.input ?? null,
    output: span.output ?? null,
    requestModel: span.requestModel,
    toolCallId: span.toolCallId,
    hasUsage: span.hasUsage,
    dialects: span.dialects,
    receivedUnixNano: span.receivedUnixNano.toString(),
    // Computed per request (a re-run of the dialects, ~tens of µs), never stored; the status
    // as sent is what the dialects saw.
    explain: explainSpan(span.rawStatus ? { ...span, status: span.rawStatus } : span),
    // "Why this cost": the per-token-class breakdown under the server's prices (null: no model call).
    cost: span.spanType === 'llm' || span.spanType === 'embedding' ? explainCost(span, pricing) : null,
  };
}

export function toApiSessionSummary(session: SessionSummary): ApiSessionSummaryRecord {
  return {
    sessionId: session.sessionId,
    traceCount: session.traceCount,
    firstSeen: nanosToIso(session.firstSeenUnixNano),
    lastSeen: nanosToIso(session.lastSeenUnixNano),
    firstSeenUnixNano: session.firstSeenUnixNano.toString(),
    lastSeenUnixNano: session.lastSeenUnixNano.toString(),
    inputTokens: session.inputTokens,
    outputTokens: session.outputTokens,
    costUsd: session.costUsd,
  };
}

/**
 * Parents that spans point to but that were not received (lost, or still in flight), each with
 * the children waiting for it, in the order the children appear. The UI renders them as
 * placeholders so orphans still hang in the tree instead of floating at the top.
 */
export function findPlaceholders(spans: readonly Pick<StoredSpan, 'spanId' | 'parentSpanId'>[]): ApiPlaceholderRecord[] {
  const present = new Set(spans.map((span) => span.spanId));
  const orphans: [string, string][] = [];
  for (const span of spans) {
    const parent = span.parentSpanId;
    if (parent !== null && !present.has(parent)) orphans.push([parent, span.spanId]);
  }
  return groupMissingParents(orphans);
}

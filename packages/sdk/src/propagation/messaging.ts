// Trace context across message queues, agent-to-agent (A2A) messages and MCP requests, following
// the OTel messaging and GenAI MCP conventions: the producer writes its context into the message
// (headers / `metadata` / `params._meta`); the consumer continues it as parent and links the
// context it was running in, so both relations stay visible.

import { SpanKind, context, trace, type Link } from '@opentelemetry/api';
import type { CairnSpan } from '../cairn-span.js';
import { recordSpan } from '../internal/record-span.js';
import { extractContext, injectContext, type Carrier } from './carrier.js';

export interface MessageDestination {
  /** Queue / topic name; low cardinality. */
  destination: string;
  /** Messaging system, e.g. `kafka`, `rabbitmq`, `aws_sqs`, `file` (default `custom`). */
  system?: string;
}

/**
 * Sends a message in a PRODUCER span: `send(headers)` receives the headers to attach (they carry
 * this span's context).
 */
export function sendMessage<T>(target: MessageDestination, send: (headers: Record<string, string>, span: CairnSpan) => T): T {
  return recordSpan(
    {
      type: 'other',
      name: `send ${target.destination}`,
      kind: SpanKind.PRODUCER,
      attributes: { 'messaging.system': target.system ?? 'custom', 'messaging.destination.name': target.destination, 'messaging.operation.type': 'send' },
    },
    (span) => send(injectContext({}), span),
  );
}

/**
 * Processes one received message in a CONSUMER span whose parent is the message's creation
 * context (so producer and consumer are one trace); the ambient context, if any, is linked.
 */
export function processMessage<T>(target: MessageDestination & { headers: Carrier }, process: (span: CairnSpan) => T): T {
  const ambient = trace.getSpanContext(context.active());
  const links: Link[] = ambient && trace.isSpanContextValid(ambient) ? [{ context: ambient, attributes: { 'cairn.link.reason': 'ambient' } }] : [];
  return context.with(extractContext(target.headers), () =>
    recordSpan(
      {
        type: 'other',
        name: `process ${target.destination}`,
        kind: SpanKind.CONSUMER,
        attributes: { 'messaging.system': target.system ?? 'custom', 'messaging.destination.name': target.destination, 'messaging.operation.type': 'process' },
        links,
      },
      process,
    ),
  );
}

/** A2A: the message's `metadata` with the current trace context added. */
export function injectA2AMetadata(metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...metadata, ...injectContext({}) };
}

/** A2A: runs `fn` continuing the trace carried in an incoming message's `metadata`. */
export function withA2AContext<T>(metadata: Record<string, unknown> | undefined, fn: () => T): T {
  return context.with(extractContext(metadata), fn);
}

/** MCP: the request `params` with the current trace context in `params._meta`. */
export function injectMcpMeta<P extends Record<string, unknown>>(params: P): P & { _meta: Record<string, unknown> } {
  const meta = typeof params._meta === 'object' && params._meta !== null ? (params._meta as Record<string, unknown>) : {};
  return { ...params, _meta: { ...meta, ...injectContext({}) } };
}

/** MCP server side: runs `fn` continuing the trace in `params._meta`. */
export function withMcpContext<T>(params: { _meta?: unknown } | undefined, fn: () => T): T {
  const meta = params && typeof params._meta === 'object' ? (params._meta as Record<string, unknown>) : undefined;
  return context.with(extractContext(meta), fn);
}

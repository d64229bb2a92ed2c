// Test data and a store view shared by the analyzer's tests (here and e2e/clickhouse) and its
// benchmark: sessions of agent traces with one run split in two, and a store without bulk reads.

import type { SpanRecord } from '@cairn/model';
import type { TraceStore } from '@cairn/storage';
import { buildAgentTrace, buildSpanRecord } from '@cairn/storage/conformance';

/** The store without its bulk reads: the analyzer reads it trace by trace (getTrace, getSession). */
export function withoutBulkReads(store: TraceStore): TraceStore {
  const hidden = new Set<PropertyKey>(['getTraces', 'listSessionTraces', 'getSpanStructures']);
  return new Proxy(store, {
    get(target, property) {
      if (hidden.has(property)) return undefined;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Sessions of agent traces, one split in two (a client call whose callee started a new trace). */
export function sessionTraces(now: bigint): SpanRecord[][] {
  const received = now - 60_000_000_000n;
  const traces: SpanRecord[][] = [];
  for (let index = 0; index < 12; index++) {
    const start = now - 300_000_000_000n + BigInt(index) * 7_000_000_000n;
    traces.push(buildAgentTrace({ startUnixNano: start, sessionId: `s-${index % 3}` }).map((span) => ({ ...span, receivedUnixNano: received })));
  }
  const start = now - 200_000_000_000n;
  const root = buildSpanRecord({ spanType: 'agent', name: 'checkout', startTimeUnixNano: start, sessionId: 's-1', receivedUnixNano: received });
  const client = buildSpanRecord({ traceId: root.traceId, parentSpanId: root.spanId, kind: 3, spanType: 'tool', name: 'POST /billing', startTimeUnixNano: start + 10_000_000n, sessionId: 's-1', receivedUnixNano: received });
  client.endTimeUnixNano = start + 900_000_000n;
  const server = buildSpanRecord({ kind: 2, spanType: 'agent', name: 'POST /billing', startTimeUnixNano: start + 20_000_000n, sessionId: 's-1', receivedUnixNano: received });
  traces.push([root, client], [server]);
  return traces;
}

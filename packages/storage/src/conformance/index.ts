// The TraceStore conformance suite: every adapter runs it from its own test file, e.g.
//   runTraceStoreConformance('duckdb', { open: () => openDuckDbStore({ dataDir: fresh() }) });
// Cases register with node:test; a case an adapter cannot pass must be skipped with a reason.

import { describe } from 'node:test';
import type { TraceStoreHarness } from './harness.js';
import { registerAnalyticsCases } from './analytics.cases.js';
import { registerDedupeCases } from './dedupe.cases.js';
import { registerListTracesCases } from './list-traces.cases.js';
import { registerLiveSpanCases } from './live-spans.cases.js';
import { registerRoundTripCases } from './round-trip.cases.js';
import { registerSessionCases } from './sessions.cases.js';
import { registerTraceTreeCases } from './trace-tree.cases.js';
import { registerSpanRewriteCases } from './span-rewrite.cases.js';
import { registerRetentionCases } from './retention.cases.js';

export function runTraceStoreConformance(adapterName: string, harness: TraceStoreHarness): void {
  describe(`TraceStore conformance: ${adapterName}`, () => {
    registerRoundTripCases(harness);
    registerDedupeCases(harness);
    registerListTracesCases(harness);
    registerSessionCases(harness);
    registerTraceTreeCases(harness);
    registerSpanRewriteCases(harness);
    registerAnalyticsCases(harness);
    registerLiveSpanCases(harness);
    registerRetentionCases(harness);
  });
}

export type { TraceStoreHarness } from './harness.js';
export { NS_PER_HOUR, NS_PER_MINUTE, T0 } from './harness.js';
export type { AgentTraceOptions } from './span-builder.js';
export { buildAgentTrace, buildSpanRecord, DEFAULT_RESOURCE, DEFAULT_SCOPE, nextSpanId, nextTraceId } from './span-builder.js';
export { buildEverythingSpan } from './round-trip.cases.js';

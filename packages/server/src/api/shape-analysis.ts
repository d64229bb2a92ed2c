// Analysis results → the contract's JSON records: nanoseconds as decimal strings, self time in
// milliseconds.

import type { TraceAnalysis, TraceDiff } from '@cairn/analysis';
import { ANALYSIS_VERSION } from '@cairn/analysis';
import type { ApiTraceAnalysisRecord, ApiTraceDiffRecord } from './analysis-schemas.js';

export function toApiTraceAnalysis(traceId: string, analysis: TraceAnalysis): ApiTraceAnalysisRecord {
  const selfTimeMs: Record<string, number> = {};
  for (const [spanId, nanos] of analysis.selfTimeNanos) selfTimeMs[spanId] = Math.round(Number(nanos) / 1e3) / 1e3;
  return {
    traceId,
    criticalPath: analysis.criticalPath,
    criticalPathSections: analysis.criticalPathSections.map((section) => ({
      spanId: section.spanId,
      startTimeUnixNano: section.startUnixNano.toString(),
      endTimeUnixNano: section.endUnixNano.toString(),
    })),
    findings: analysis.findings,
    rootCause: analysis.rootCause,
    selfTimeMs,
    analysisVersion: ANALYSIS_VERSION,
  };
}

export function toApiTraceDiff(a: string, b: string, diff: TraceDiff): ApiTraceDiffRecord {
  return { a, b, ...diff };
}

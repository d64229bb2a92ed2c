// Everything the analysis endpoint returns for one trace, computed from its span list in one
// pass over a shared tree.

import type { AnalysisSpan } from './analysis-span.js';
import { computeCriticalPath, type CriticalPathSection } from './critical-path.js';
import { detectFindings } from './detect-findings.js';
import type { DetectorThresholds } from './detector-thresholds.js';
import type { Finding } from './finding.js';
import { findRootCause, type RootCause } from './find-root-cause.js';
import { computeSelfTimes } from './self-time.js';
import { buildSpanTree } from './span-tree.js';

export interface TraceAnalysis {
  /** Span ids on the critical path, root first. */
  criticalPath: string[];
  criticalPathSections: CriticalPathSection[];
  findings: Finding[];
  rootCause: RootCause | null;
  /** Self time of each span in nanoseconds. */
  selfTimeNanos: Map<string, bigint>;
}

export function analyzeTrace(spans: readonly AnalysisSpan[], thresholds: Partial<DetectorThresholds> = {}): TraceAnalysis {
  const tree = buildSpanTree(spans);
  const criticalPath = computeCriticalPath(tree);
  return {
    criticalPath: criticalPath.spanIds,
    criticalPathSections: criticalPath.sections,
    findings: detectFindings(tree, thresholds),
    rootCause: findRootCause(tree),
    selfTimeNanos: computeSelfTimes(tree),
  };
}

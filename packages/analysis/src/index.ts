// @cairn/analysis: pure functions over one trace's spans (critical path, self time, detectors,
// root cause) and over two traces (diff). No I/O; the server feeds them TraceStore.getTrace spans.

export type { AnalysisSpan } from './analysis-span.js';
export type { TraceAnalysis } from './analyze-trace.js';
export { analyzeTrace } from './analyze-trace.js';
export type { CriticalPath, CriticalPathSection, Interval } from './critical-path.js';
export { computeCriticalPath, sanitizeIntervals } from './critical-path.js';
export { detectFindings } from './detect-findings.js';
export type { DetectorThresholds } from './detector-thresholds.js';
export { DEFAULT_DETECTOR_THRESHOLDS, resolveThresholds } from './detector-thresholds.js';
export type { DiffDeltas, DiffTotals, FieldChange, SpanAlignment, ToolCallStep, TraceDiff } from './diff-traces.js';
export { diffTraces, matchChildren } from './diff-traces.js';
export type { RootCause } from './find-root-cause.js';
export { findRootCause, isErrorLike } from './find-root-cause.js';
export type { Finding, FindingKind } from './finding.js';
export { ANALYSIS_VERSION, FINDING_KINDS } from './finding.js';
export { computeSelfTimes } from './self-time.js';
export type { SpanTree } from './span-tree.js';
export { buildSpanTree, byStartTime } from './span-tree.js';
export type { ToolArguments } from './tool-arguments.js';
export { sameToolArguments, textSimilarity, toolArguments } from './tool-arguments.js';

// What a detector reports. Findings are plain data about one trace, so a store can later keep
// them per trace (one row: project, trace id, kind, span ids, message, ANALYSIS_VERSION) and
// filter the trace list by kind without re-running the detectors.

export const FINDING_KINDS = [
  'tool_loop',
  'straggler',
  'retry_storm',
  'handoff_ping_pong',
  'context_blowup',
  'broken_trace',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  kind: FindingKind;
  /** The spans involved, in time order (for broken_trace: the orphans or the extra roots). */
  spanIds: string[];
  /** One sentence for a person: what happened and where. */
  message: string;
}

/**
 * Bumped whenever a detector or threshold changes what it flags, so persisted findings computed
 * by an older version can be recomputed.
 */
export const ANALYSIS_VERSION = 1;

// Retention by time (TraceStore.applyRetention): which traces may go, and what went.
//
// The unit is the whole trace. A trace has expired when every one of its spans started before
// its project's cutoff (now − max age); a store removes expired traces with everything keyed by
// them (spans, payloads, detached events, persisted analyses). A store never removes a trace
// that still has a span at or after the cutoff, and never part of a trace. It may keep an
// expired trace for a while longer when its storage works in coarser units: the ClickHouse
// store drops whole (project, UTC day) partitions, so it keeps an expired trace until the day
// its spans started in is wholly before the cutoff (docs/deploy.md, Retention, has the details).

/** One project's retention; overrides RetentionRequest.defaultMaxAgeMs for that project. */
export interface ProjectRetention {
  projectId: string;
  /** Keep this project's traces this long, in milliseconds; null keeps them forever. */
  maxAgeMs: number | null;
}

export interface RetentionRequest {
  /** Projects without an entry in `projects` keep traces this long (ms); null: forever. */
  defaultMaxAgeMs: number | null;
  /** Per-project overrides, at most one per project. */
  projects: readonly ProjectRetention[];
  /** "Now" the cutoffs are measured from. */
  nowUnixNano: bigint;
}

export interface RetentionResult {
  /** Whole traces removed by this call. */
  tracesRemoved: number;
  /** Their spans. */
  spansRemoved: number;
}

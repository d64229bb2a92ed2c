// Thresholds of the detectors, with the defaults documented in docs/analytics.md. Tuned to flag
// the pathological shape and leave ordinary agent runs alone; every one can be overridden.

export interface DetectorThresholds {
  /** tool_loop: calls of one tool with (nearly) the same arguments in a row. Default 3. */
  toolLoopMinCalls: number;
  /** tool_loop: similarity (0..1, edit distance) above which two long string values count as the same. Default 0.8. */
  toolLoopMinSimilarity: number;
  /** straggler: smallest number of concurrent siblings of one kind. Default 3. */
  stragglerMinSiblings: number;
  /** straggler: a sibling is flagged when it takes more than this many times the median. Default 3. */
  stragglerMedianFactor: number;
  /** straggler: ...and at least this much longer than the median. Default 1000 ms. */
  stragglerMinExcessMillis: number;
  /** retry_storm: failed calls to one model or tool within the window. Default 3. */
  retryStormMinErrors: number;
  /** retry_storm: window the failed calls start in. Default 60 000 ms. */
  retryStormWindowMillis: number;
  /** handoff_ping_pong: consecutive hand-offs back and forth between two agents. Default 4. */
  handoffMinAlternations: number;
  /** context_blowup: consecutive model calls of one agent with growing input tokens. Default 4. */
  contextBlowupMinCalls: number;
  /** context_blowup: last call's input tokens divided by the first's. Default 3. */
  contextBlowupMinGrowth: number;
}

export const DEFAULT_DETECTOR_THRESHOLDS: Readonly<DetectorThresholds> = Object.freeze({
  toolLoopMinCalls: 3,
  toolLoopMinSimilarity: 0.8,
  stragglerMinSiblings: 3,
  stragglerMedianFactor: 3,
  stragglerMinExcessMillis: 1000,
  retryStormMinErrors: 3,
  retryStormWindowMillis: 60_000,
  handoffMinAlternations: 4,
  contextBlowupMinCalls: 4,
  contextBlowupMinGrowth: 3,
});

export function resolveThresholds(overrides: Partial<DetectorThresholds> = {}): DetectorThresholds {
  const given = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return { ...DEFAULT_DETECTOR_THRESHOLDS, ...Object.fromEntries(given) };
}

// Per-project retention by time: an optional capability of the ClickHouse store (not yet part of
// the TraceStore interface; see the package README for the proposed interface change).

export interface RetentionRequest {
  projectId: string;
  /** Keep this many days; data of whole UTC days older than that is dropped. At least 1. */
  maxAgeDays: number;
  /** "Now" for the cutoff; defaults to the clock. */
  nowUnixNano?: bigint;
}

export interface RetentionResult {
  /** Partitions (project × day × table × node) dropped by this call. */
  droppedPartitions: number;
  /** True when the server also enforces the policy continuously with a table TTL (19.6+). */
  ttlEnforced: boolean;
}

// Ingest counters since the server started; /api/v1/stats and CairnServer.stats() report them.

export interface IngestStats {
  /** Spans decoded from export requests, valid or not. */
  spansReceived: number;
  /** Spans newly stored. */
  spansAccepted: number;
  /** Live records received (snapshots of running spans, `cairn.live = true`); not in spansReceived. */
  liveSpansReceived: number;
  /** Spans refused as invalid (bad ids) and reported as OTLP partial success. */
  spansRejected: number;
  /** Spans whose (trace id, span id) was already stored; batch totals from the store. */
  spansDeduplicated: number;
  /** Valid spans not stored because the queue was full or the store failed (clients retry these). */
  spansRefused: number;
  /** Spans and detached events waiting in the write queue (not counting the write in progress). */
  queueDepth: number;
  /** gen_ai.* log events attached to spans. */
  eventsAccepted: number;
  /** Log records received, and those not stored because they are not gen_ai.* span events. */
  logRecordsReceived: number;
  logRecordsIgnored: number;
  /** Export requests (OTLP/HTTP and OTLP/gRPC, traces and logs) by outcome. */
  requestsReceived: number;
  requestsSucceeded: number;
  /** Refused as bad input (400, 413, 415 and their gRPC equivalents). */
  requestsInvalid: number;
  /** Refused because the write queue was full (429 / UNAVAILABLE). */
  requestsThrottled: number;
  /** Failed on the server side (503 store failures, 500). */
  requestsFailed: number;
  /** store.write calls that succeeded / failed. */
  batchesWritten: number;
  batchesFailed: number;
}

export type IngestCounters = Omit<IngestStats, 'queueDepth'>;

export function createIngestCounters(): IngestCounters {
  return {
    spansReceived: 0,
    spansAccepted: 0,
    spansRejected: 0,
    liveSpansReceived: 0,
    spansDeduplicated: 0,
    spansRefused: 0,
    eventsAccepted: 0,
    logRecordsReceived: 0,
    logRecordsIgnored: 0,
    requestsReceived: 0,
    requestsSucceeded: 0,
    requestsInvalid: 0,
    requestsThrottled: 0,
    requestsFailed: 0,
    batchesWritten: 0,
    batchesFailed: 0,
  };
}

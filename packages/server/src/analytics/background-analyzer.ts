// Runs the detectors on traces once they have gone quiet and persists the findings through the
// store, so the trace list can filter by finding and the dashboard can count them.
//
// Nothing lives in this process: which traces are due is asked of the store each poll
// (TraceStore.listDueTraces: spans received within the lookback, the newest received before
// now − quiet, and no analysis yet / an older ANALYSIS_VERSION / an analysis older than the
// newest span). A trace that gains spans later is due again once it is quiet again. After a
// start the lookback is a week until the backlog is drained, so traces that went quiet while no
// server ran are analyzed too. Several
// servers on one ClickHouse may analyze the same trace at once: the analysis is deterministic
// and the latest row wins, so the cost is duplicate work, never a wrong answer.
// Each poll also has the store attribute the model calls of quiet traces to agents
// (TraceStore.resolveCallAgents) after resetting those of the traces it re-analyzed.
//
// Ingest comes first: analysis reads and writes the same store on the same cores, so while the
// store spends more than half of the time writing (ingest is saturated) polls are put off, for
// at most maxDeferMillis at a time; findings lag under overload and catch up when it ends.

import { ANALYSIS_VERSION, buildSpanTree, detectFindings, type Finding } from '@cairn/analysis';
import { nowUnixNano } from '@cairn/model';
import { demoteWrappingModelCalls, NORMALIZER_VERSION } from '@cairn/semantic';
import type { StoredSpan, TraceFindingsRecord, TraceStore } from '@cairn/storage';
import type { Logger } from '../logger.js';
import { DEFAULT_ANALYSIS_POLL_MILLIS, DEFAULT_ANALYSIS_QUIET_MILLIS } from '../server-config.js';
import { PollReads } from './analysis-reads.js';
import { findCrossTraceBreaks } from './cross-trace-breaks.js';

export interface BackgroundAnalyzerOptions {
  store: TraceStore;
  logger: Logger;
  /** A trace is analyzed once no span of it arrived for this long. Default 10 000 ms. */
  quietMillis?: number;
  /** Pause between polls of the store. Default 2 000 ms. */
  pollMillis?: number;
  /** Only traces with a span received this recently are considered. Default 1 hour. */
  lookbackMillis?: number;
  /**
   * The lookback of the first polls after start, until one finds fewer due traces than a batch:
   * traces that went quiet while no server was analyzing (a restart, an outage, a new analysis
   * version) are analyzed once instead of never. Default 7 days.
   */
  catchUpMillis?: number;
  /** Traces analyzed per poll (the next poll follows at once when there were more). Default 200. */
  batchTraces?: number;
  /** Other traces of the session compared for cross-trace breaks. Default 20. */
  maxSessionPeers?: number;
  /**
   * Milliseconds the store has spent writing spans so far (WriteQueue.busyMillis). When it grew
   * by more than half the wall time since the last check, a due poll is put off. Default: never.
   */
  ingestBusyMillis?: () => number;
  /** The longest a poll is put off while ingest is saturated. Default 60 000 ms. */
  maxDeferMillis?: number;
}

export const DEFAULT_ANALYSIS_LOOKBACK_MILLIS = 3_600_000;
export const DEFAULT_ANALYSIS_CATCH_UP_MILLIS = 7 * 24 * 3_600_000;
const DEFAULT_BATCH_TRACES = 200;
const DEFAULT_MAX_SESSION_PEERS = 20;
export const DEFAULT_MAX_DEFER_MILLIS = 60_000;
/** Ingest is saturated while the store writes more than this fraction of the time. */
const SATURATED_WRITE_FRACTION = 0.5;
const NANOS_PER_MILLI = 1_000_000n;
/**
 * Model calls attributed to agents per poll at most. The UPDATE runs in the store's write turn:
 * steady state is cheap (8,000 new calls in 35–50 ms with 1–3M spans stored, measured), but a
 * backlog (a store upgraded in place) is worked off in small passes so that ingest never waits
 * long behind one.
 */
const RESOLVE_CALLS_PER_POLL = 20_000;

function maxReceived(spans: readonly StoredSpan[]): bigint {
  let max = 0n;
  for (const span of spans) if (span.receivedUnixNano > max) max = span.receivedUnixNano;
  return max;
}

export class BackgroundAnalyzer {
  private readonly quietNanos: bigint;
  private readonly pollMillis: number;
  private readonly lookbackNanos: bigint;
  private readonly catchUpNanos: bigint;
  /** Until a poll comes back with less than a full batch, polls look back catchUpNanos. */
  private catchingUp = true;
  private readonly batchTraces: number;
  private readonly maxSessionPeers: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;
  /** Last look at the store's write time, and since when the due poll has been put off. */
  private lastBusyCheck: { atMillis: number; busyMillis: number } | null = null;
  private deferredSinceMillis: number | null = null;
  /** Polls put off so far because ingest was saturated. */
  deferredPolls = 0;

  constructor(private readonly options: BackgroundAnalyzerOptions) {
    this.quietNanos = BigInt(Math.round(options.quietMillis ?? DEFAULT_ANALYSIS_QUIET_MILLIS)) * NANOS_PER_MILLI;
    this.pollMillis = options.pollMillis ?? DEFAULT_ANALYSIS_POLL_MILLIS;
    this.lookbackNanos = BigInt(Math.round(options.lookbackMillis ?? DEFAULT_ANALYSIS_LOOKBACK_MILLIS)) * NANOS_PER_MILLI;
    const catchUpNanos = BigInt(Math.round(options.catchUpMillis ?? DEFAULT_ANALYSIS_CATCH_UP_MILLIS)) * NANOS_PER_MILLI;
    this.catchUpNanos = catchUpNanos > this.lookbackNanos ? catchUpNanos : this.lookbackNanos;
    this.batchTraces = options.batchTraces ?? DEFAULT_BATCH_TRACES;
    this.maxSessionPeers = options.maxSessionPeers ?? DEFAULT_MAX_SESSION_PEERS;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(this.pollMillis);
  }

  /** Stops polling and waits for the analysis in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /**
   * True when the store spent more than SATURATED_WRITE_FRACTION of the time since the last look
   * writing, and the poll has not been put off for maxDeferMillis already.
   */
  private shouldDefer(): boolean {
    const { ingestBusyMillis } = this.options;
    if (!ingestBusyMillis) return false;
    const now = performance.now();
    const busyMillis = ingestBusyMillis();
    const last = this.lastBusyCheck;
    this.lastBusyCheck = { atMillis: now, busyMillis };
    // The first look only starts the measurement: the first poll waits one more interval.
    if (last === null) return true;
    const saturated = now > last.atMillis && (busyMillis - last.busyMillis) / (now - last.atMillis) > SATURATED_WRITE_FRACTION;
    if (!saturated) {
      this.deferredSinceMillis = null;
      return false;
    }
    this.deferredSinceMillis ??= now;
    if (now - this.deferredSinceMillis >= (this.options.maxDeferMillis ?? DEFAULT_MAX_DEFER_MILLIS)) {
      this.deferredSinceMillis = null;
      return false;
    }
    this.deferredPolls++;
    return true;
  }

  private schedule(delayMillis: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.shouldDefer()) {
        this.schedule(this.pollMillis);
        return;
      }
      const run = this.runOnce().then(
        (analyzed) => this.schedule(analyzed >= this.batchTraces ? 0 : this.pollMillis),
        (error: unknown) => {
          this.options.logger.error('background analysis failed; retrying at the next poll', error);
          this.schedule(this.pollMillis);
        },
      );
      this.running = run;
    }, delayMillis);
    this.timer.unref();
  }

  /** One poll: analyzes the due traces (and the session peers they are split from); returns how many were due. */
  async runOnce(): Promise<number> {
    const { store } = this.options;
    const now = nowUnixNano();
    const lookback = this.catchingUp ? this.catchUpNanos : this.lookbackNanos;
    const due = await store.listDueTraces({
      receivedSinceUnixNano: now - lookback,
      quietBeforeUnixNano: now - this.quietNanos,
      analysisVersion: ANALYSIS_VERSION,
      limit: this.batchTraces,
    });
    const records: TraceFindingsRecord[] = [];
    const done = new Set<string>();
    const reads = new PollReads(store, this.maxSessionPeers);
    await reads.prefetch(due);
    for (const { projectId, traceId, lastReceivedUnixNano } of due) {
      if (this.stopped) break;
      const analyzed = await this.analyze(reads, projectId, traceId, now, lastReceivedUnixNano);
      if (analyzed === null) continue;
      records.push(analyzed.record);
      done.add(traceId);
      // A peer split from this trace gains the mirror finding now, not when it next changes.
      for (const partner of analyzed.partners) {
        if (done.has(partner)) continue;
        const peer = await this.analyze(reads, projectId, partner, now);
        if (peer === null) continue;
        records.push(peer.record);
        done.add(partner);
      }
    }
    // A due trace may have changed since its model calls were attributed to agents (a late agent
    // span): they are resolved again below. Before the findings, so a crash in between cannot
    // leave a stale attribution behind an up-to-date analysis.
    if (store.resetCallAgents) {
      const byProject = new Map<string, string[]>();
      for (const { projectId, traceId } of records) byProject.set(projectId, [...(byProject.get(projectId) ?? []), traceId]);
      for (const [projectId, traceIds] of byProject) await store.resetCallAgents(projectId, traceIds);
    }
    if (records.length > 0) await store.writeFindings(records);
    // Model calls of quiet traces get their agent stored, so the dashboard need not join them
    // with agent spans at every read (DuckDB; a no-op elsewhere).
    if (!this.stopped) await store.resolveCallAgents?.({ receivedBeforeUnixNano: now - this.quietNanos, receivedSinceUnixNano: now - lookback, limit: RESOLVE_CALLS_PER_POLL });
    if (due.length < this.batchTraces && !this.stopped) this.catchingUp = false;
    return due.length;
  }

  /**
   * `seenThrough`: the newest received time the store reported for the trace. Taken when larger
   * than the loaded spans' own (a ClickHouse span retried into two rows is read once, with either
   * row's received time), so the trace does not come back as due forever.
   */
  private async analyze(reads: PollReads, projectId: string, traceId: string, now: bigint, seenThrough = 0n): Promise<{ record: TraceFindingsRecord; partners: string[] } | null> {
    const subject = await reads.trace(projectId, traceId);
    if (subject === null) return null;
    // A model call and its nested double that arrived in different requests: now that the whole
    // trace is here, the outer one becomes a wrapper (as ingest does within one request) and the
    // store refreshes the trace's totals.
    const demoted = demoteWrappingModelCalls(subject.spans.filter((span) => span.live !== true));
    if (demoted.length > 0) await this.options.store.updateSpanSemantics(demoted, NORMALIZER_VERSION);
    const findings: Finding[] = detectFindings(buildSpanTree(subject.spans));
    const cross = findCrossTraceBreaks(subject, await reads.peers(subject));
    findings.push(...cross.findings);
    return {
      record: {
        projectId,
        traceId,
        traceStartUnixNano: subject.startUnixNano,
        analysisVersion: ANALYSIS_VERSION,
        receivedThroughUnixNano: [maxReceived(subject.spans), seenThrough].reduce((a, b) => (a > b ? a : b)),
        analyzedUnixNano: now,
        findings,
      },
      partners: cross.partners,
    };
  }
}

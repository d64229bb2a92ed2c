// What one poll of the background analyzer reads, read once and in bulk where the store can.
//
// Per due trace the analyzer needs the trace itself (its spans, for the detectors) and, for the
// cross-trace checks, the nearest traces of its session (only their spans' structure). Read one
// by one that was a getTrace per subject, a getSession per subject and a getTrace per peer: with
// 20 peers, 22 reads of ~10 ms for one trace — a few traces per second, far behind ingest. With
// the store's bulk reads (TraceStore.getTraces, listSessionTraces, getSpanStructures; DuckDB has
// them) a poll of 200 traces takes three statements, and every trace read in a poll is kept
// for the rest of it (a subject is also its session's peers' peer). Stores without them are read
// trace by trace, READ_CONCURRENCY reads at a time (a ClickHouse read is mostly waiting), still
// without reading anything twice in a poll.

import type { TraceSummary } from '@cairn/model';
import type { SpanStructure, StoredSpan, TraceDetail, TraceStore } from '@cairn/storage';
import type { SessionTrace } from './cross-trace-breaks.js';

/** Session traces further than this from the subject in time are not compared. */
export const PEER_WINDOW_NANOS = 10n * 60n * 1_000_000_000n;
/** Ids per bulk read. */
const BULK_IDS = 200;
/** Reads in flight at once when a store has no bulk reads. */
const READ_CONCURRENCY = 8;

/** Runs `body` over `items`, at most `limit` at a time. */
async function forEachLimited<T>(items: readonly T[], limit: number, body: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await body(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export interface LoadedTrace extends SessionTrace {
  projectId: string;
  spans: readonly StoredSpan[];
  startUnixNano: bigint;
  endUnixNano: bigint;
  sessionId: string | null;
}

const ALL_TIME = { from: -(2n ** 63n), to: 2n ** 63n };

interface SessionList {
  from: bigint;
  to: bigint;
  traces: TraceSummary[];
}

function loaded(projectId: string, detail: TraceDetail): LoadedTrace {
  const { summary } = detail;
  return {
    projectId,
    traceId: summary.traceId,
    spans: detail.spans,
    startUnixNano: summary.startTimeUnixNano,
    endUnixNano: summary.endTimeUnixNano,
    sessionId: summary.sessionId,
  };
}

function key(projectId: string, id: string): string {
  return `${projectId}\u0000${id}`;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let offset = 0; offset < items.length; offset += size) result.push(items.slice(offset, offset + size));
  return result;
}

/**
 * The session traces to compare `subject` with: other traces of its session within
 * PEER_WINDOW_NANOS of it, nearest start first, at most `max`.
 */
export function nearestPeers(subject: LoadedTrace, sessionTraces: readonly TraceSummary[], max: number): TraceSummary[] {
  const distance = (start: bigint) => (start > subject.startUnixNano ? start - subject.startUnixNano : subject.startUnixNano - start);
  return sessionTraces
    .filter(
      (trace) =>
        trace.traceId !== subject.traceId &&
        trace.startTimeUnixNano <= subject.endUnixNano + PEER_WINDOW_NANOS &&
        trace.endTimeUnixNano >= subject.startUnixNano - PEER_WINDOW_NANOS,
    )
    .sort((a, b) => (distance(a.startTimeUnixNano) < distance(b.startTimeUnixNano) ? -1 : 1))
    .slice(0, max);
}

export class PollReads {
  private readonly traces = new Map<string, LoadedTrace | null>();
  private readonly structures = new Map<string, SessionTrace | null>();
  private readonly sessions = new Map<string, SessionList>();

  constructor(
    private readonly store: TraceStore,
    private readonly maxSessionPeers: number,
  ) {}

  /** Reads the due traces, their sessions and their peers in bulk (a no-op for stores without bulk reads). */
  async prefetch(due: readonly { projectId: string; traceId: string }[]): Promise<void> {
    const byProject = new Map<string, string[]>();
    for (const { projectId, traceId } of due) {
      const traceIds = byProject.get(projectId);
      if (traceIds) traceIds.push(traceId);
      else byProject.set(projectId, [traceId]);
    }
    for (const [projectId, traceIds] of byProject) {
      await this.prefetchTraces(projectId, traceIds);
      const subjects = traceIds.map((traceId) => this.traces.get(key(projectId, traceId))).filter((trace): trace is LoadedTrace => trace != null);
      await this.prefetchSessions(projectId, subjects);
      const peers = new Set<string>();
      for (const subject of subjects) {
        const list = subject.sessionId === null ? undefined : this.sessions.get(key(projectId, subject.sessionId));
        if (!list) continue;
        for (const peer of nearestPeers(subject, list.traces, this.maxSessionPeers)) peers.add(peer.traceId);
      }
      await this.prefetchStructures(projectId, [...peers]);
    }
  }

  private async prefetchTraces(projectId: string, traceIds: readonly string[]): Promise<void> {
    const { store } = this;
    if (!store.getTraces) return forEachLimited(traceIds, READ_CONCURRENCY, (traceId) => this.trace(projectId, traceId));
    for (const ids of chunks(traceIds, BULK_IDS)) {
      for (const id of ids) this.traces.set(key(projectId, id), null);
      for (const detail of await store.getTraces(projectId, ids)) this.traces.set(key(projectId, detail.summary.traceId), loaded(projectId, detail));
    }
  }

  private async prefetchSessions(projectId: string, subjects: readonly LoadedTrace[]): Promise<void> {
    const { store } = this;
    const withSession = subjects.filter((subject) => subject.sessionId !== null);
    if (withSession.length === 0) return;
    if (!store.listSessionTraces) {
      const sessionIds = [...new Set(withSession.map((subject) => subject.sessionId!))];
      return forEachLimited(sessionIds, READ_CONCURRENCY, (sessionId) => this.wholeSession(projectId, sessionId));
    }
    let from = withSession[0]!.startUnixNano;
    let to = withSession[0]!.endUnixNano;
    for (const subject of withSession) {
      if (subject.startUnixNano < from) from = subject.startUnixNano;
      if (subject.endUnixNano > to) to = subject.endUnixNano;
    }
    from -= PEER_WINDOW_NANOS;
    to += PEER_WINDOW_NANOS;
    const sessionIds = [...new Set(withSession.map((subject) => subject.sessionId!))];
    const bySession = new Map<string, TraceSummary[]>(sessionIds.map((sessionId) => [sessionId, []]));
    for (const trace of await store.listSessionTraces({ projectId, sessionIds, fromUnixNano: from, toUnixNano: to })) bySession.get(trace.sessionId!)?.push(trace);
    for (const [sessionId, traces] of bySession) this.sessions.set(key(projectId, sessionId), { from, to, traces });
  }

  private async prefetchStructures(projectId: string, traceIds: readonly string[]): Promise<void> {
    const { store } = this;
    const missing = traceIds.filter((traceId) => !this.traces.has(key(projectId, traceId)) && !this.structures.has(key(projectId, traceId)));
    if (!store.getSpanStructures) return forEachLimited(missing, READ_CONCURRENCY, (traceId) => this.trace(projectId, traceId));
    for (const ids of chunks(missing, BULK_IDS)) {
      const found = await store.getSpanStructures(projectId, ids);
      for (const id of ids) {
        const spans: SpanStructure[] | undefined = found.get(id);
        this.structures.set(key(projectId, id), spans ? { traceId: id, spans } : null);
      }
    }
  }

  /** The trace with all its spans, or null when it is unknown. */
  async trace(projectId: string, traceId: string): Promise<LoadedTrace | null> {
    const cached = this.traces.get(key(projectId, traceId));
    if (cached !== undefined) return cached;
    const detail = await this.store.getTrace(projectId, traceId);
    const trace = detail === null ? null : loaded(projectId, detail);
    this.traces.set(key(projectId, traceId), trace);
    return trace;
  }

  /** The session traces to compare `subject` with (nearestPeers), with their spans' structure. */
  async peers(subject: LoadedTrace): Promise<SessionTrace[]> {
    if (subject.sessionId === null) return [];
    const sessionTraces = await this.sessionTraces(subject, subject.sessionId);
    const peers: SessionTrace[] = [];
    for (const trace of nearestPeers(subject, sessionTraces, this.maxSessionPeers)) {
      const peer = await this.structure(subject.projectId, trace.traceId);
      if (peer !== null) peers.push(peer);
    }
    return peers;
  }

  private async sessionTraces(subject: LoadedTrace, sessionId: string): Promise<readonly TraceSummary[]> {
    const from = subject.startUnixNano - PEER_WINDOW_NANOS;
    const to = subject.endUnixNano + PEER_WINDOW_NANOS;
    const cached = this.sessions.get(key(subject.projectId, sessionId));
    if (cached && cached.from <= from && cached.to >= to) return cached.traces;
    const { store } = this;
    if (store.listSessionTraces) {
      const traces = await store.listSessionTraces({ projectId: subject.projectId, sessionIds: [sessionId], fromUnixNano: from, toUnixNano: to });
      if (!cached) this.sessions.set(key(subject.projectId, sessionId), { from, to, traces });
      return traces;
    }
    return this.wholeSession(subject.projectId, sessionId);
  }

  /** getSession's traces; the whole session covers any window. */
  private async wholeSession(projectId: string, sessionId: string): Promise<TraceSummary[]> {
    const cached = this.sessions.get(key(projectId, sessionId));
    if (cached && cached.from === ALL_TIME.from) return cached.traces;
    const traces = (await this.store.getSession(projectId, sessionId))?.traces ?? [];
    this.sessions.set(key(projectId, sessionId), { ...ALL_TIME, traces });
    return traces;
  }

  private async structure(projectId: string, traceId: string): Promise<SessionTrace | null> {
    const full = this.traces.get(key(projectId, traceId));
    if (full !== undefined) return full;
    const cached = this.structures.get(key(projectId, traceId));
    if (cached !== undefined) return cached;
    if (this.store.getSpanStructures) {
      const spans = (await this.store.getSpanStructures(projectId, [traceId])).get(traceId);
      const trace = spans ? { traceId, spans } : null;
      this.structures.set(key(projectId, traceId), trace);
      return trace;
    }
    return this.trace(projectId, traceId);
  }
}

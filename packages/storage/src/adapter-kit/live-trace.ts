// Live records (snapshots of running spans) joined with a trace's finished spans at read time.
// Stores never delete a live record when its finished span arrives — that would put a delete on
// the ingest hot path — so every read drops the live records whose span is stored ("anti-join"),
// and keeps only the newest snapshot of each span.

import type { SpanRecord, TraceSummary } from '@cairn/model';
import { MISSING_ROOT_NAME } from '@cairn/model';
import type { StoredSpan, TraceDetail } from '../trace-store.js';

function liveKey(span: Pick<SpanRecord, 'projectId' | 'traceId' | 'spanId'>): string {
  return `${span.projectId}\u0000${span.traceId}\u0000${span.spanId}`;
}

/** The newest snapshot (latest endTimeUnixNano, then latest received) of each span. */
export function newestLiveSnapshots<T extends StoredSpan>(snapshots: readonly T[]): T[] {
  const newest = new Map<string, T>();
  for (const snapshot of snapshots) {
    const key = liveKey(snapshot);
    const current = newest.get(key);
    if (
      current === undefined ||
      snapshot.endTimeUnixNano > current.endTimeUnixNano ||
      (snapshot.endTimeUnixNano === current.endTimeUnixNano && snapshot.receivedUnixNano > current.receivedUnixNano)
    ) {
      newest.set(key, snapshot);
    }
  }
  return [...newest.values()];
}

/** The live records whose span is not among `finishedKeys` (from liveSpanKey). */
export function unfinishedLiveSpans<T extends StoredSpan>(snapshots: readonly T[], finishedKeys: ReadonlySet<string>): T[] {
  return newestLiveSnapshots(snapshots).filter((span) => !finishedKeys.has(liveKey(span)));
}

/** The key unfinishedLiveSpans compares: project, trace id and span id. */
export function liveSpanKey(projectId: string, traceId: string, spanId: string): string {
  return liveKey({ projectId, traceId, spanId });
}

function compareByStart(a: StoredSpan, b: StoredSpan): number {
  if (a.startTimeUnixNano !== b.startTimeUnixNano) return a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1;
  return a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;
}

/** A trace summary over spans, with the rules of the stores' SQL rollups (trace-part.ts). */
export function summarizeSpans(traceId: string, spans: readonly StoredSpan[]): TraceSummary {
  const ordered = [...spans].sort(compareByStart);
  const root = ordered.find((span) => span.parentSpanId === null) ?? null;
  const first = ordered[0]!;
  const models = new Set<string>();
  const agents = new Set<string>();
  let end = first.endTimeUnixNano;
  let errorCount = 0;
  let llmCallCount = 0;
  let toolCallCount = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd = 0;
  for (const span of ordered) {
    if (span.endTimeUnixNano > end) end = span.endTimeUnixNano;
    if (span.status.code === 'error') errorCount++;
    if (span.spanType === 'llm') llmCallCount++;
    if (span.spanType === 'tool') toolCallCount++;
    if (span.spanType === 'llm' || span.spanType === 'embedding') {
      inputTokens += span.usage.inputTokens;
      outputTokens += span.usage.outputTokens;
      costUsd += span.costUsd ?? 0;
    }
    if (span.model !== null) models.add(span.model);
    if (span.agentName !== null) agents.add(span.agentName);
  }
  return {
    traceId,
    rootName: root?.name ?? MISSING_ROOT_NAME,
    serviceName: (root ?? first).serviceName,
    startTimeUnixNano: first.startTimeUnixNano,
    endTimeUnixNano: end,
    spanCount: ordered.length,
    errorCount,
    llmCallCount,
    toolCallCount,
    inputTokens,
    outputTokens,
    costUsd,
    models: [...models].sort(),
    agents: [...agents].sort(),
    sessionId: ordered.find((span) => span.sessionId !== null)?.sessionId ?? null,
    userId: ordered.find((span) => span.userId !== null)?.userId ?? null,
    hasRoot: root !== null,
  };
}

/** The finished trace's summary widened by its running spans (counts, time range, root). */
function combineSummaries(finished: TraceSummary, live: TraceSummary): TraceSummary {
  const rootFromLive = !finished.hasRoot && live.hasRoot;
  return {
    ...finished,
    rootName: rootFromLive ? live.rootName : finished.rootName,
    serviceName: rootFromLive ? live.serviceName : finished.serviceName,
    hasRoot: finished.hasRoot || live.hasRoot,
    startTimeUnixNano: live.startTimeUnixNano < finished.startTimeUnixNano ? live.startTimeUnixNano : finished.startTimeUnixNano,
    endTimeUnixNano: live.endTimeUnixNano > finished.endTimeUnixNano ? live.endTimeUnixNano : finished.endTimeUnixNano,
    spanCount: finished.spanCount + live.spanCount,
    errorCount: finished.errorCount + live.errorCount,
    llmCallCount: finished.llmCallCount + live.llmCallCount,
    toolCallCount: finished.toolCallCount + live.toolCallCount,
    inputTokens: finished.inputTokens + live.inputTokens,
    outputTokens: finished.outputTokens + live.outputTokens,
    costUsd: finished.costUsd + live.costUsd,
    models: [...new Set([...finished.models, ...live.models])],
    agents: [...new Set([...finished.agents, ...live.agents])],
    sessionId: finished.sessionId ?? live.sessionId,
    userId: finished.userId ?? live.userId,
  };
}

/**
 * getTrace's answer with the trace's running spans: each live record whose span is not stored
 * is listed (live: true) among the finished spans by start time, and counted in the summary.
 * A trace known only from live records is returned with a summary built from them.
 */
export function withLiveSpans(detail: TraceDetail | null, snapshots: readonly StoredSpan[]): TraceDetail | null {
  if (snapshots.length === 0) return detail;
  const finished = new Set((detail?.spans ?? []).map(liveKey));
  const running = unfinishedLiveSpans(snapshots, finished);
  if (running.length === 0) return detail;
  const traceId = running[0]!.traceId;
  if (detail === null) return { summary: summarizeSpans(traceId, running), spans: [...running].sort(compareByStart) };
  return {
    summary: combineSummaries(detail.summary, summarizeSpans(traceId, running)),
    spans: [...detail.spans, ...running].sort(compareByStart),
  };
}

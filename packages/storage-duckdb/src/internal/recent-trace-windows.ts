// Where the spans of recently written traces are, kept by the DuckDB worker for dedupe. A write
// whose traces may be stored (the known-traces filter says so: a retried export, or a trace whose
// spans arrive over several exports, as the OpenTelemetry batch processor sends a long agent run)
// must find where their stored spans are. Asking trace_parts probes every part — 20 ms at 250k
// parts, 66 ms at 1M for a write's 50 ids, on the serial write path (BENCHMARKS.md) — so the
// windows of the traces written lately are kept here and only the others are asked about.
//
// An entry covers every stored part of its trace: it starts from what trace_parts held of the
// trace (nothing, for a new one) and grows with each committed write of it. Deletes (retention,
// erasure) leave entries wider than their trace: harmless, a window only bounds where stored
// spans are looked for. The least recently written are dropped past the capacity (in halves).

/** Where a trace's stored spans are: its parts' start times and written batches. */
export interface TraceWindow {
  minStart: bigint;
  maxStart: bigint;
  minSeq: bigint;
  maxSeq: bigint;
}

/** Entries kept by default: ~250 bytes each; at 600 new traces/s, a minute and a half of them. */
export const RECENT_TRACE_WINDOWS = 50_000;

/**
 * Two generations of windows: new ones go into the current map, which becomes the previous one
 * once it holds half the capacity (the previous one dropped). A Map used as a queue instead
 * (delete the oldest, add the newest) leaves deleted entries at its front that every lookup of
 * the oldest walks past: writes of 20,000 new traces took ~0.6 s more each.
 */
export class RecentTraceWindows {
  private current = new Map<string, TraceWindow>();
  private previous = new Map<string, TraceWindow>();

  constructor(private readonly capacity = RECENT_TRACE_WINDOWS) {}

  get(traceId: string): TraceWindow | undefined {
    return this.current.get(traceId) ?? this.previous.get(traceId);
  }

  /** Records a trace's whole window, once the write that made it is committed. */
  set(traceId: string, window: TraceWindow): void {
    if (this.capacity === 0) return;
    this.current.set(traceId, window);
    if (this.current.size >= Math.ceil(this.capacity / 2)) {
      this.previous = this.current;
      this.current = new Map();
    }
  }
}

/** The smallest window holding both (either may be absent). */
export function unionWindow(a: TraceWindow | undefined, b: TraceWindow): TraceWindow {
  if (!a) return b;
  return {
    minStart: a.minStart < b.minStart ? a.minStart : b.minStart,
    maxStart: a.maxStart > b.maxStart ? a.maxStart : b.maxStart,
    minSeq: a.minSeq < b.minSeq ? a.minSeq : b.minSeq,
    maxSeq: a.maxSeq > b.maxSeq ? a.maxSeq : b.maxSeq,
  };
}

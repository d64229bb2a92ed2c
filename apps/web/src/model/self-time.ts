// Self time: the part of a span's interval that none of its children cover. Children may
// overlap one another (parallel tool calls) and may run past their parent (async work), so the
// covered time is the union of the children's intervals clipped to the parent's:
//
//   parent   |==============================|          duration 30
//   child a      |======|                               covers 4..11
//   child b          |=======|                          covers 8..16  (overlaps a)
//   child c                          |============|     clipped at 30
//   self     |===|           |=======|                  4 + 10 = 14

export interface Interval {
  startMs: number;
  durationMs: number;
}

/** `children` must be sorted by startMs. */
export function computeSelfTimeMs(startMs: number, durationMs: number, children: readonly Interval[]): number {
  const endMs = startMs + durationMs;
  let covered = 0;
  let cursor = startMs;
  for (const child of children) {
    const childStart = Math.max(child.startMs, cursor);
    const childEnd = Math.min(child.startMs + child.durationMs, endMs);
    if (childEnd > childStart) {
      covered += childEnd - childStart;
      cursor = childEnd;
    }
  }
  return Math.max(0, durationMs - covered);
}

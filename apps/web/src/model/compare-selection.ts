// The trace list's "select two traces → Compare": at most two ids, in the order they were
// picked (the first is the diff's baseline a); picking a third drops the oldest pick.

export function toggleCompareSelection(selected: readonly string[], traceId: string): string[] {
  if (selected.includes(traceId)) return selected.filter((id) => id !== traceId);
  return [...selected, traceId].slice(-2);
}

// GET /api/v1/diff → what the diff page shows: the aligned spans as one list (changed, added,
// removed first), the two tool-call sequences side by side with inserted steps as gaps, and the
// totals with their deltas.

import type { ApiDiffTotals, ApiSpanAlignment, ApiToolCallStep, ApiTraceDiff } from '../api/api-types.js';

export type AlignmentStatus = 'changed' | 'added' | 'removed' | 'unchanged';

export interface AlignmentRow extends ApiSpanAlignment {
  status: AlignmentStatus;
}

const STATUS_ORDER: AlignmentStatus[] = ['changed', 'added', 'removed', 'unchanged'];

export function alignmentRows(diff: ApiTraceDiff, includeUnchanged = false): AlignmentRow[] {
  const rows: AlignmentRow[] = [];
  for (const status of STATUS_ORDER) {
    if (status === 'unchanged' && !includeUnchanged) continue;
    for (const alignment of diff[status]) rows.push({ ...alignment, status });
  }
  return rows;
}

export interface ToolStepRow {
  a: ApiToolCallStep | null;
  b: ApiToolCallStep | null;
  /** same: same tool and arguments; changed: same position, different call; a gap on one side otherwise. */
  kind: 'same' | 'changed' | 'removed' | 'added';
}

const signature = (step: ApiToolCallStep) => `${step.toolName}\u0000${step.arguments ?? ''}`;
const MAX_LCS_CELLS = 250_000;

/** Side-by-side tool calls: equal calls (by LCS) on one row; between them, calls pair up as changed. */
export function toolStepRows(a: readonly ApiToolCallStep[], b: readonly ApiToolCallStep[]): ToolStepRow[] {
  const matches: [number, number][] = [];
  if (a.length * b.length <= MAX_LCS_CELLS) {
    const table = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
    for (let i = a.length - 1; i >= 0; i--) {
      for (let j = b.length - 1; j >= 0; j--) {
        table[i]![j] = signature(a[i]!) === signature(b[j]!) ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
      }
    }
    for (let i = 0, j = 0; i < a.length && j < b.length; ) {
      if (signature(a[i]!) === signature(b[j]!)) matches.push([i++, j++]);
      else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
      else j++;
    }
  }
  const rows: ToolStepRow[] = [];
  let i = 0;
  let j = 0;
  for (const [matchA, matchB] of [...matches, [a.length, b.length] as [number, number]]) {
    while (i < matchA || j < matchB) {
      const left = i < matchA ? a[i++]! : null;
      const right = j < matchB ? b[j++]! : null;
      rows.push({ a: left, b: right, kind: left && right ? 'changed' : left ? 'removed' : 'added' });
    }
    if (matchA < a.length) rows.push({ a: a[i++]!, b: b[j++]!, kind: 'same' });
  }
  return rows;
}

export interface TotalRow {
  label: string;
  field: keyof ApiDiffTotals;
  a: number;
  b: number;
  delta: number;
}

const TOTAL_FIELDS: { field: keyof ApiDiffTotals; label: string }[] = [
  { field: 'durationMs', label: 'Duration' },
  { field: 'inputTokens', label: 'Input tokens' },
  { field: 'outputTokens', label: 'Output tokens' },
  { field: 'costUsd', label: 'Cost' },
  { field: 'spanCount', label: 'Spans' },
  { field: 'modelCalls', label: 'Model calls' },
  { field: 'toolCalls', label: 'Tool calls' },
  { field: 'errorCount', label: 'Errors' },
];

export function totalRows(diff: ApiTraceDiff): TotalRow[] {
  return TOTAL_FIELDS.map(({ field, label }) => ({ label, field, a: diff.totals.a[field], b: diff.totals.b[field], delta: diff.totals.delta[field] }));
}

/** "+12", "−3", "±0" with the formatter for the magnitude. */
export function formatDelta(value: number, format: (magnitude: number) => string): string {
  if (value === 0) return '±0';
  return `${value > 0 ? '+' : '−'}${format(Math.abs(value))}`;
}

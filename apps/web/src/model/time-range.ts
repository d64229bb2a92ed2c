// Time range presets of the trace and session lists, resolved against "now" at query time so a
// shared URL ("last 1 hour") means the same thing whenever it is opened.

export interface TimeRangePreset {
  id: string;
  label: string;
  durationMs: number;
}

export const TIME_RANGE_PRESETS: readonly TimeRangePreset[] = [
  { id: '15m', label: 'Last 15 minutes', durationMs: 15 * 60_000 },
  { id: '1h', label: 'Last hour', durationMs: 60 * 60_000 },
  { id: '6h', label: 'Last 6 hours', durationMs: 6 * 60 * 60_000 },
  { id: '24h', label: 'Last 24 hours', durationMs: 24 * 60 * 60_000 },
  { id: '7d', label: 'Last 7 days', durationMs: 7 * 24 * 60 * 60_000 },
  { id: '30d', label: 'Last 30 days', durationMs: 30 * 24 * 60 * 60_000 },
];

export const DEFAULT_TIME_RANGE = '24h';

/** `{ from, to }` in epoch milliseconds for a preset id; unknown ids fall back to the default. */
export function resolveTimeRange(presetId: string, nowMs: number): { fromMs: number; toMs: number } {
  const preset = TIME_RANGE_PRESETS.find((candidate) => candidate.id === presetId) ?? TIME_RANGE_PRESETS.find((candidate) => candidate.id === DEFAULT_TIME_RANGE)!;
  // A minute of slack after now: spans from clocks slightly ahead still show up.
  return { fromMs: nowMs - preset.durationMs, toMs: nowMs + 60_000 };
}

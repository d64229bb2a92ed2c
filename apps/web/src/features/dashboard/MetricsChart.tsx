// A plain SVG line chart of one measure over time, one line per group (ChartData from
// model/metrics-chart.ts). Gaps (null) break the line.

import type { ChartData } from '../../model/metrics-chart.js';
import { niceTicks } from '../../model/metrics-chart.js';

export const SERIES_COLORS = ['#4f46e5', '#d97706', '#059669', '#db2777', '#0891b2', '#64748b'];

const WIDTH = 420;
const HEIGHT = 170;
const PADDING = { left: 52, right: 10, top: 10, bottom: 22 };

function formatTick(value: number): string {
  if (value >= 1_000_000) return `${value / 1_000_000}M`;
  if (value >= 1_000) return `${value / 1_000}k`;
  return String(value);
}

function formatTime(ms: number, spanMs: number): string {
  const date = new Date(ms);
  return spanMs > 2 * 86_400_000
    ? date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
    : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export function MetricsChart({ title, data, format }: { title: string; data: ChartData; format: (value: number) => string }) {
  const ticks = niceTicks(data.maxValue);
  const top = ticks[ticks.length - 1]!;
  const count = data.bucketsMs.length;
  const plotWidth = WIDTH - PADDING.left - PADDING.right;
  const plotHeight = HEIGHT - PADDING.top - PADDING.bottom;
  const x = (index: number) => PADDING.left + (count <= 1 ? plotWidth / 2 : (index / (count - 1)) * plotWidth);
  const y = (value: number) => PADDING.top + plotHeight - (value / top) * plotHeight;
  const first = data.bucketsMs[0] ?? 0;
  const last = data.bucketsMs[count - 1] ?? 0;
  const summary = data.series.map((series) => `${series.label}: peak ${format(Math.max(0, ...series.values.map((value) => value ?? 0)))}`).join('; ');
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title}: ${summary || 'no data'}`}>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={PADDING.left} x2={WIDTH - PADDING.right} y1={y(tick)} y2={y(tick)} className="grid" />
            <text x={PADDING.left - 6} y={y(tick) + 4} textAnchor="end" className="tick">
              {formatTick(tick)}
            </text>
          </g>
        ))}
        {count > 0 && (
          <>
            <text x={PADDING.left} y={HEIGHT - 6} className="tick">
              {formatTime(first, last - first)}
            </text>
            <text x={WIDTH - PADDING.right} y={HEIGHT - 6} textAnchor="end" className="tick">
              {formatTime(last, last - first)}
            </text>
          </>
        )}
        {data.series.map((series, seriesIndex) => {
          const segments: string[] = [];
          let path = '';
          series.values.forEach((value, index) => {
            if (value === null) {
              if (path) segments.push(path);
              path = '';
              return;
            }
            path += `${path ? 'L' : 'M'}${x(index).toFixed(1)},${y(value).toFixed(1)}`;
          });
          if (path) segments.push(path);
          const color = SERIES_COLORS[seriesIndex % SERIES_COLORS.length];
          return segments.map((segment, index) => {
            // A lone point has no line to draw: mark it.
            const lone = /^M([\d.]+),([\d.]+)$/.exec(segment);
            return lone ? (
              <circle key={`${seriesIndex}-${index}`} cx={lone[1]} cy={lone[2]} r={2.5} fill={color} />
            ) : (
              <path key={`${seriesIndex}-${index}`} d={segment} fill="none" stroke={color} strokeWidth={1.6} />
            );
          });
        })}
      </svg>
    </figure>
  );
}

// Per-group totals of the dashboard window, with CSV export.

import type { ApiMetricsRow } from '../../api/api-types.js';
import { CsvButton } from '../../components/CsvButton.js';
import { toCsv } from '../../model/csv.js';
import { formatCostUsd, formatCount, formatDurationMs } from '../../model/format.js';
import { NO_KEY_LABEL } from '../../model/metrics-chart.js';
import { METRICS_CSV_COLUMNS, sortMetricsRows } from '../../model/metrics-table.js';

const latency = (value: number | null) => (value === null ? '–' : formatDurationMs(value));

export function MetricsTable({ rows, groupLabel, filename }: { rows: ApiMetricsRow[]; groupLabel: string; filename: string }) {
  const sorted = sortMetricsRows(rows);
  return (
    <section className="panel" aria-label="Totals per group">
      <div className="panel-head">
        <h2>By {groupLabel.toLowerCase()}</h2>
        <CsvButton filename={filename} csv={() => toCsv(METRICS_CSV_COLUMNS, sorted)} disabled={sorted.length === 0} />
      </div>
      <div className="table-wrap">
        <table className="data" aria-label={`Metrics by ${groupLabel.toLowerCase()}`}>
          <thead>
            <tr>
              <th scope="col"><span>{groupLabel}</span></th>
              <th scope="col" className="num"><span>Calls</span></th>
              <th scope="col" className="num"><span>Error rate</span></th>
              <th scope="col" className="num"><span>Input tokens</span></th>
              <th scope="col" className="num"><span>Output tokens</span></th>
              <th scope="col" className="num"><span>Cost</span></th>
              <th scope="col" className="num"><span>p50</span></th>
              <th scope="col" className="num"><span>p95</span></th>
              <th scope="col" className="num"><span>p99</span></th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((row) => (
              <tr key={row.key ?? ''}>
                <td className="name">{row.key ?? <span className="dim">{NO_KEY_LABEL}</span>}</td>
                <td className="num">{formatCount(row.calls)}</td>
                <td className={row.errors > 0 ? 'num errors-cell' : 'num'}>{row.calls === 0 ? '–' : `${(row.errorRate * 100).toFixed(1)}%`}</td>
                <td className="num">{formatCount(row.inputTokens)}</td>
                <td className="num">{formatCount(row.outputTokens)}</td>
                <td className="num">{formatCostUsd(row.costUsd)}</td>
                <td className="num">{latency(row.p50Ms)}</td>
                <td className="num">{latency(row.p95Ms)}</td>
                <td className="num">{latency(row.p99Ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

// The dashboard: tokens, cost, calls, error rate and latency percentiles over time per group
// (model, provider, agent, tool, prompt version, service or user), with the trace-list filters,
// the per-group table with CSV export, and the finding counts linking to the filtered list.

import { useMemo, useState } from 'react';
import { fetchFindingCounts, fetchMetrics } from '../../api/api-client.js';
import type { ApiFindingCounts, ApiMetrics } from '../../api/api-types.js';
import { navigate, type AppLocation } from '../../app/router.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { useApi } from '../../components/use-api.js';
import { chartWindow, dashboardFromSearch, dashboardToSearch, filterApiQuery, GROUP_BY_OPTIONS, metricsApiQuery, type DashboardState } from '../../model/dashboard-state.js';
import { formatCostUsd, formatCount } from '../../model/format.js';
import { buildChartData, MEASURES, type Measure } from '../../model/metrics-chart.js';
import { metricsTotals } from '../../model/metrics-table.js';
import { TraceFilterBar } from '../trace-list/TraceFilterBar.js';
import { FindingCounts } from './FindingCounts.js';
import { MetricsChart, SERIES_COLORS } from './MetricsChart.js';
import { MetricsTable } from './MetricsTable.js';

interface DashboardData {
  bucketed: ApiMetrics;
  perGroup: ApiMetrics;
  findings: ApiFindingCounts;
  nowMs: number;
}

const FORMATS: Record<Measure, (value: number) => string> = {
  tokens: formatCount,
  costUsd: (value) => formatCostUsd(value),
  calls: formatCount,
  errorRate: (value) => `${(value * 100).toFixed(1)}%`,
  p50Ms: (value) => `${Math.round(value)} ms`,
  p95Ms: (value) => `${Math.round(value)} ms`,
  p99Ms: (value) => `${Math.round(value)} ms`,
};

export function DashboardPage({ location }: { location: AppLocation }) {
  const searchKey = location.search.toString();
  const state = useMemo(() => dashboardFromSearch(new URLSearchParams(searchKey)), [searchKey]);
  const [reloadCount, setReloadCount] = useState(0);
  const setState = (next: DashboardState) => {
    const search = dashboardToSearch(next).toString();
    navigate(`/dashboard${search ? `?${search}` : ''}`, { replace: true });
  };
  const { state: loaded } = useApi<DashboardData>(async (signal) => {
    const nowMs = Date.now();
    const [bucketed, perGroup, findings] = await Promise.all([
      fetchMetrics(metricsApiQuery(state, nowMs, true), signal),
      fetchMetrics(metricsApiQuery(state, nowMs, false), signal),
      fetchFindingCounts(filterApiQuery(state.filters, nowMs), signal),
    ]);
    return { bucketed, perGroup, findings, nowMs };
  }, `${searchKey}#${reloadCount}`);
  const groupLabel = GROUP_BY_OPTIONS.find((option) => option.id === state.groupBy)!.label;

  let body = null;
  if (loaded.status === 'error') body = <ErrorBanner error={loaded.error} onRetry={() => setReloadCount((value) => value + 1)} />;
  else if (loaded.status === 'loading') body = <div className="list-footer">Loading…</div>;
  else {
    const { bucketed, perGroup, findings, nowMs } = loaded.data;
    const window = chartWindow(state, nowMs);
    const charts = MEASURES.map((measure) => ({ measure, data: buildChartData(bucketed.rows, measure.id, window) }));
    const legend = charts[0]!.data.series;
    const totals = metricsTotals(perGroup.rows);
    body = (
      <>
        <div className="stat-row" aria-label="Window totals">
          <div className="stat"><span className="value">{formatCount(totals.calls)}</span><span className="label">calls</span></div>
          <div className="stat"><span className="value">{formatCount(totals.tokens)}</span><span className="label">tokens</span></div>
          <div className="stat"><span className="value">{formatCostUsd(totals.costUsd)}</span><span className="label">cost</span></div>
          <div className="stat"><span className="value">{totals.calls === 0 ? '–' : `${((totals.errors / totals.calls) * 100).toFixed(1)}%`}</span><span className="label">errors</span></div>
        </div>
        <FindingCounts counts={findings.counts} filters={state.filters} />
        <section className="panel" aria-label="Charts">
          <div className="panel-head">
            <h2>Over time by {groupLabel.toLowerCase()}</h2>
            <ul className="legend" aria-label="Legend">
              {legend.map((series, index) => (
                <li key={series.label}>
                  <span className="swatch" style={{ background: SERIES_COLORS[index % SERIES_COLORS.length] }} />
                  {series.label}
                </li>
              ))}
            </ul>
          </div>
          {legend.length === 0 ? (
            <p className="dim">No calls in this window.</p>
          ) : (
            <div className="chart-grid">
              {charts.map(({ measure, data }) => (
                <MetricsChart key={measure.id} title={measure.label} data={data} format={FORMATS[measure.id]} />
              ))}
            </div>
          )}
        </section>
        <MetricsTable rows={perGroup.rows} groupLabel={groupLabel} filename={`cairn-metrics-by-${state.groupBy}.csv`} />
      </>
    );
  }

  return (
    <div className="page scroll">
      <div className="page-title">
        <h1>Dashboard</h1>
        <div className="field inline">
          <label htmlFor="dashboard-group-by">Group by</label>
          <select id="dashboard-group-by" value={state.groupBy} onChange={(event) => setState({ ...state, groupBy: event.target.value as DashboardState['groupBy'] })}>
            {GROUP_BY_OPTIONS.map((option) => (
              <option key={option.id} value={option.id}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <span className="sub">Tokens and cost are summed over single model calls.</span>
      </div>
      <TraceFilterBar filters={state.filters} onChange={(filters) => setState({ ...state, filters })} onRefresh={() => setReloadCount((value) => value + 1)} />
      {body}
    </div>
  );
}

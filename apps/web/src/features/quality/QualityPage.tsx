// The instrumentation-quality report: per service, what is wrong with its spans, how often, one
// trace to look at, and what to change in the app.

import { useMemo } from 'react';
import { fetchQualityReport } from '../../api/api-client.js';
import type { ApiQualityIssue, ApiQualityReport } from '../../api/api-types.js';
import { navigate, type AppLocation } from '../../app/router.js';
import { CsvButton } from '../../components/CsvButton.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Link } from '../../components/Link.js';
import { useApi } from '../../components/use-api.js';
import { toCsv, type CsvColumn } from '../../model/csv.js';
import { formatCount } from '../../model/format.js';
import { DEFAULT_TIME_RANGE, resolveTimeRange, TIME_RANGE_PRESETS } from '../../model/time-range.js';

type IssueRow = ApiQualityIssue & { service: string };

const ISSUE_CSV: readonly CsvColumn<IssueRow>[] = [
  { header: 'service', value: (row) => row.service },
  { header: 'kind', value: (row) => row.kind },
  { header: 'severity', value: (row) => row.severity },
  { header: 'count', value: (row) => row.count },
  { header: 'example_trace_id', value: (row) => row.exampleTraceId },
  { header: 'example_span_name', value: (row) => row.exampleSpanName },
  { header: 'message', value: (row) => row.message },
  { header: 'fix', value: (row) => row.fix },
];

export function QualityPage({ location }: { location: AppLocation }) {
  const range = location.search.get('range') || DEFAULT_TIME_RANGE;
  const { state, reload } = useApi<ApiQualityReport>((signal) => {
    const { fromMs, toMs } = resolveTimeRange(range, Date.now());
    return fetchQualityReport(new URLSearchParams({ from: String(fromMs), to: String(toMs) }), signal);
  }, range);
  const issues = useMemo<IssueRow[]>(
    () => (state.status === 'ready' ? state.data.services.flatMap((service) => service.issues.map((issue) => ({ ...issue, service: service.service }))) : []),
    [state],
  );
  return (
    <div className="page scroll">
      <div className="page-title">
        <h1>Instrumentation quality</h1>
        <div className="field inline">
          <label htmlFor="quality-range">Time range</label>
          <select id="quality-range" value={range} onChange={(event) => navigate(`/quality?range=${event.target.value}`, { replace: true })}>
            {TIME_RANGE_PRESETS.map((preset) => (
              <option key={preset.id} value={preset.id}>
                {preset.label}
              </option>
            ))}
          </select>
        </div>
        <span className="spacer" />
        <CsvButton filename="cairn-instrumentation-quality.csv" csv={() => toCsv(ISSUE_CSV, issues)} disabled={issues.length === 0} />
      </div>
      {state.status === 'error' && <ErrorBanner error={state.error} onRetry={reload} />}
      {state.status === 'loading' && <div className="list-footer">Loading…</div>}
      {state.status === 'ready' && state.data.services.length === 0 && <p className="dim">No spans in this window.</p>}
      {state.status === 'ready' &&
        state.data.services.map((service) => (
          <section key={service.service} className="panel" aria-label={`Service ${service.service}`}>
            <div className="panel-head">
              <h2>{service.service}</h2>
              <span className="dim">
                {formatCount(service.spans)} spans · {formatCount(service.traces)} traces · {formatCount(service.modelCalls)} model calls
              </span>
            </div>
            {service.issues.length === 0 ? (
              <p className="ok-note">No issues found.</p>
            ) : (
              <ul className="issues">
                {service.issues.map((issue, index) => (
                  <li key={`${issue.kind}-${index}`} className={`issue ${issue.severity}`}>
                    <div className="issue-head">
                      <span className={`badge ${issue.severity}`}>{issue.severity}</span>
                      <strong>{issue.message}</strong>
                      {issue.exampleTraceId !== null && (
                        <Link href={`/traces/${issue.exampleTraceId}`} className="example">
                          example trace{issue.exampleSpanName ? ` (${issue.exampleSpanName})` : ''}
                        </Link>
                      )}
                    </div>
                    <p className="fix">{issue.fix}</p>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ))}
    </div>
  );
}

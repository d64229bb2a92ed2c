// The sessions list: conversations (traces sharing a session id), newest activity first.

import { fetchSessions } from '../../api/api-client.js';
import type { AppLocation } from '../../app/router.js';
import { navigate } from '../../app/router.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Link } from '../../components/Link.js';
import { useApi } from '../../components/use-api.js';
import { formatCostUsd, formatCount, formatRelative, formatTimestamp } from '../../model/format.js';
import { resolveTimeRange, TIME_RANGE_PRESETS, DEFAULT_TIME_RANGE } from '../../model/time-range.js';

export function SessionListPage({ location }: { location: AppLocation }) {
  const range = location.search.get('range') ?? DEFAULT_TIME_RANGE;
  const { state, reload } = useApi((signal) => {
    const { fromMs, toMs } = resolveTimeRange(range, Date.now());
    return fetchSessions(new URLSearchParams({ from: String(fromMs), to: String(toMs), limit: '200' }), signal);
  }, range);
  const now = Date.now();
  return (
    <div className="page">
      <div className="page-title">
        <h1>Sessions</h1>
        <span className="sub">{state.status === 'ready' ? `${state.data.items.length}${state.data.nextCursor ? '+' : ''} sessions` : ''}</span>
      </div>
      <form className="filters" aria-label="Session filters" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="session-range">Time range</label>
          <select id="session-range" value={range} onChange={(event) => navigate(`/sessions?range=${event.target.value}`, { replace: true })}>
            {TIME_RANGE_PRESETS.map((preset) => (
              <option key={preset.id} value={preset.id}>
                {preset.label}
              </option>
            ))}
          </select>
        </div>
      </form>
      {state.status === 'error' && <ErrorBanner error={state.error} onRetry={reload} />}
      {state.status === 'loading' && <p className="loading">Loading sessions…</p>}
      {state.status === 'ready' && state.data.items.length === 0 && <EmptyState filtered={false} />}
      {state.status === 'ready' && state.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="data" aria-label="Sessions">
            <thead>
              <tr>
                <th scope="col"><span>Session</span></th>
                <th scope="col"><span>First seen</span></th>
                <th scope="col"><span>Last activity</span></th>
                <th scope="col" className="num"><span>Traces</span></th>
                <th scope="col" className="num"><span>Tokens</span></th>
                <th scope="col" className="num"><span>Cost</span></th>
              </tr>
            </thead>
            <tbody>
              {state.data.items.map((session) => {
                const href = `/sessions/${encodeURIComponent(session.sessionId)}`;
                return (
                  <tr key={session.sessionId} onClick={(event) => (event.target as HTMLElement).closest('a') === null && navigate(href)}>
                    <td className="name">
                      <Link href={href}>{session.sessionId}</Link>
                    </td>
                    <td>{formatTimestamp(session.firstSeen)}</td>
                    <td>{formatRelative(session.lastSeen, now)}</td>
                    <td className="num">{session.traceCount}</td>
                    <td className="num">{formatCount(session.inputTokens + session.outputTokens)}</td>
                    <td className="num">{formatCostUsd(session.costUsd)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

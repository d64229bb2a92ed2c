// /sessions/{sessionId}: the session's totals, its traces read as one conversation, and the
// table of those traces.

import { fetchSession } from '../../api/api-client.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Link } from '../../components/Link.js';
import { useApi } from '../../components/use-api.js';
import { formatCostUsd, formatCount, formatTimestamp } from '../../model/format.js';
import { TraceTable } from '../trace-list/TraceTable.js';
import { SessionConversation } from './SessionConversation.js';

export function SessionPage({ sessionId }: { sessionId: string }) {
  const { state, reload } = useApi((signal) => fetchSession(sessionId, signal), sessionId);
  return (
    <div className="page">
      <div>
        <div className="dim" style={{ fontSize: 12 }}>
          <Link href="/sessions">Sessions</Link> / <span className="mono">{sessionId}</span>
        </div>
        <div className="page-title">
          <h1>Session {sessionId}</h1>
        </div>
      </div>
      {state.status === 'loading' && <p className="loading">Loading session…</p>}
      {state.status === 'error' && <ErrorBanner error={state.error} onRetry={reload} />}
      {state.status === 'ready' && (
        <>
          <div className="trace-header">
            <div className="stat">
              Traces<b>{state.data.session.traceCount}</b>
            </div>
            <div className="stat">
              First seen<b>{formatTimestamp(state.data.session.firstSeen)}</b>
            </div>
            <div className="stat">
              Last activity<b>{formatTimestamp(state.data.session.lastSeen)}</b>
            </div>
            <div className="stat">
              Tokens<b>{formatCount(state.data.session.inputTokens + state.data.session.outputTokens)}</b>
            </div>
            <div className="stat">
              Cost<b>{formatCostUsd(state.data.session.costUsd)}</b>
            </div>
          </div>
          <section className="conversation-wrap" aria-label="Conversation">
            <SessionConversation traces={state.data.traces} />
          </section>
          <div className="table-wrap session-traces">
            <TraceTable traces={state.data.traces} label={`Traces of session ${sessionId}`} />
          </div>
        </>
      )}
    </div>
  );
}

// The shell: top bar and the route table.

import { Link } from '../components/Link.js';
import { DashboardPage } from '../features/dashboard/DashboardPage.js';
import { TraceDiffPage } from '../features/diff/TraceDiffPage.js';
import { QualityPage } from '../features/quality/QualityPage.js';
import { SessionListPage } from '../features/sessions/SessionListPage.js';
import { SessionPage } from '../features/sessions/SessionPage.js';
import { TraceListPage } from '../features/trace-list/TraceListPage.js';
import { TraceViewPage } from '../features/trace-view/TraceViewPage.js';
import { useLocation, type AppLocation } from './router.js';

function Page({ location }: { location: AppLocation }) {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const trace = /^\/traces\/([^/]+)$/.exec(path);
  if (trace) return <TraceViewPage key={trace[1]} traceId={decodeURIComponent(trace[1]!)} location={location} />;
  const session = /^\/sessions\/([^/]+)$/.exec(path);
  if (session) return <SessionPage key={session[1]} sessionId={decodeURIComponent(session[1]!)} />;
  if (path === '/sessions') return <SessionListPage location={location} />;
  if (path === '/dashboard') return <DashboardPage location={location} />;
  if (path === '/quality') return <QualityPage location={location} />;
  if (path === '/diff') return <TraceDiffPage key={location.search.toString()} location={location} />;
  if (path === '/' || path === '/traces') return <TraceListPage location={location} />;
  return (
    <div className="page">
      <div className="empty" role="status">
        <h2>Page not found</h2>
        <p>
          Nothing lives at <code>{location.pathname}</code>. <Link href="/traces">Go to the traces.</Link>
        </p>
      </div>
    </div>
  );
}

export function App() {
  const location = useLocation();
  const section = ['sessions', 'dashboard', 'quality'].find((name) => location.pathname.startsWith(`/${name}`)) ?? 'traces';
  return (
    <div className="app">
      <header className="topbar">
        <Link href="/traces" className="brand">
          <svg width="20" height="20" viewBox="0 0 16 16" aria-hidden="true">
            <ellipse cx="8" cy="13" rx="6" ry="2.5" fill="#6b7280" />
            <ellipse cx="8" cy="8.5" rx="4.5" ry="2.2" fill="#9ca3af" />
            <ellipse cx="8" cy="4.5" rx="3" ry="1.8" fill="#4f46e5" />
          </svg>
          Cairn
        </Link>
        <nav aria-label="Main">
          <Link href="/traces" current={section === 'traces'}>
            Traces
          </Link>
          <Link href="/sessions" current={section === 'sessions'}>
            Sessions
          </Link>
          <Link href="/dashboard" current={section === 'dashboard'}>
            Dashboard
          </Link>
          <Link href="/quality" current={section === 'quality'}>
            Quality
          </Link>
        </nav>
        <span className="spacer" />
        <span className="server">{window.location.host}</span>
      </header>
      <main>
        <Page location={location} />
      </main>
    </div>
  );
}

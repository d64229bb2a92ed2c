// /traces/{traceId}: the trace header, the virtualized span tree and waterfall, search within
// the trace, and the detail panel of the opened span (?span= in the URL, so it can be shared).

import { useCallback, useEffect, useMemo, useState } from 'react';
import { fetchTrace } from '../../api/api-client.js';
import type { ApiTraceDetail } from '../../api/api-types.js';
import { navigate, type AppLocation } from '../../app/router.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Link } from '../../components/Link.js';
import { useApi } from '../../components/use-api.js';
import { formatCostUsd, formatCount, formatDurationMs, formatTimestamp } from '../../model/format.js';
import { buildSpanTree, type SpanTree } from '../../model/span-tree.js';
import { searchTrace } from '../../model/trace-search.js';
import { flattenVisibleRows, revealNode } from '../../model/visible-rows.js';
import { SpanDetailPanel } from './SpanDetailPanel.js';
import { SpanTreeTimeline } from './SpanTreeTimeline.js';

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      {label}
      <b>{value}</b>
    </div>
  );
}

function TraceView({ traceId, trace, location }: { traceId: string; trace: ApiTraceDetail; location: AppLocation }) {
  const tree: SpanTree = useMemo(() => buildSpanTree(trace.spans, trace.placeholders), [trace]);
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const [query, setQuery] = useState('');
  const [matchIndex, setMatchIndex] = useState(0);
  const [revealIndex, setRevealIndex] = useState<{ index: number } | null>(null);
  const selectedId = location.search.get('span');
  const selectedNode = selectedId !== null ? (tree.byId.get(selectedId) ?? null) : null;

  const rows = useMemo(() => flattenVisibleRows(tree, collapsed), [tree, collapsed]);
  const matches = useMemo(() => searchTrace(tree, query), [tree, query]);
  const matchSet = useMemo(() => new Set(matches), [matches]);

  const select = useCallback(
    (spanId: string | null) => {
      const search = new URLSearchParams(window.location.search);
      if (spanId === null) search.delete('span');
      else search.set('span', spanId);
      const text = search.toString();
      navigate(`/traces/${traceId}${text ? `?${text}` : ''}`, { replace: true });
    },
    [traceId],
  );

  const goTo = (spanId: string) => {
    const node = tree.byId.get(spanId);
    if (!node) return;
    const nextCollapsed = revealNode(collapsed, node);
    const visible = nextCollapsed.size === collapsed.size ? rows : flattenVisibleRows(tree, nextCollapsed);
    if (nextCollapsed.size !== collapsed.size) setCollapsed(nextCollapsed);
    setRevealIndex({ index: visible.indexOf(node) });
  };

  // A span selected through the URL is revealed once, when the trace opens.
  useEffect(() => {
    if (selectedId !== null) goTo(selectedId);
    // Only on open: later selections come from the tree itself, already in view.
  }, [tree]);

  const stepMatch = (direction: 1 | -1) => {
    if (matches.length === 0) return;
    const next = (matchIndex + direction + matches.length) % matches.length;
    setMatchIndex(next);
    goTo(matches[next]!);
    select(matches[next]!);
  };

  const toggle = useCallback((spanId: string) => {
    setCollapsed((previous) => {
      const next = new Set(previous);
      if (!next.delete(spanId)) next.add(spanId);
      return next;
    });
  }, []);
  const setCollapse = useCallback((spanId: string, collapse: boolean) => {
    setCollapsed((previous) => {
      const next = new Set(previous);
      if (collapse) next.add(spanId);
      else next.delete(spanId);
      return next;
    });
  }, []);
  const expandAll = () => setCollapsed(new Set());
  const collapseAll = () => setCollapsed(new Set([...tree.byId.values()].filter((node) => node.depth >= 1 && node.children.length > 0).map((node) => node.spanId)));

  const summary = trace.summary;
  return (
    <div className="page">
      <div className="trace-header">
        <div>
          <div className="dim" style={{ fontSize: 12 }}>
            <Link href="/traces">Traces</Link> / <span className="mono">{traceId}</span>
          </div>
          <h1>{summary.rootName}</h1>
        </div>
        <Stat label="Started" value={formatTimestamp(summary.startTime)} />
        <Stat label="Duration" value={formatDurationMs(summary.durationMs)} />
        <Stat label="Spans" value={summary.spanCount.toLocaleString('en-US')} />
        <Stat label="LLM calls" value={String(summary.llmCallCount)} />
        <Stat label="Tool calls" value={String(summary.toolCallCount)} />
        <Stat label="Tokens" value={formatCount(summary.inputTokens + summary.outputTokens)} />
        <Stat label="Cost" value={formatCostUsd(summary.costUsd)} />
        {summary.errorCount > 0 && <Stat label="Errors" value={String(summary.errorCount)} />}
        {summary.sessionId && (
          <div className="stat">
            Session
            <Link href={`/sessions/${encodeURIComponent(summary.sessionId)}`}>{summary.sessionId}</Link>
          </div>
        )}
      </div>
      <div className="trace-body">
        <section className="tree-panel" aria-label="Span tree and timeline">
          <div className="tree-toolbar">
            <input
              type="search"
              aria-label="Search spans in this trace"
              placeholder="Search spans: name, model, tool, error…"
              value={query}
              onChange={(event) => {
                setQuery(event.target.value);
                setMatchIndex(-1);
              }}
              onKeyDown={(event) => {
                if (event.key === 'Enter') stepMatch(event.shiftKey ? -1 : 1);
              }}
            />
            {query.trim() !== '' && (
              <span className="dim" aria-live="polite" style={{ fontSize: 12 }}>
                {matches.length === 0 ? 'no matches' : `${Math.max(0, matchIndex) + 1} / ${matches.length}`}
              </span>
            )}
            <button type="button" className="btn small" onClick={() => stepMatch(-1)} disabled={matches.length === 0} aria-label="Previous match">
              ↑
            </button>
            <button type="button" className="btn small" onClick={() => stepMatch(1)} disabled={matches.length === 0} aria-label="Next match">
              ↓
            </button>
            <button type="button" className="btn small" onClick={expandAll}>
              Expand all
            </button>
            <button type="button" className="btn small" onClick={collapseAll}>
              Collapse
            </button>
            <span className="hint">↑↓ move · ←→ fold · Enter open</span>
          </div>
          <SpanTreeTimeline
            rows={rows}
            traceDurationMs={tree.traceDurationMs}
            collapsed={collapsed}
            selectedId={selectedId}
            matches={matchSet}
            revealIndex={revealIndex}
            onToggle={toggle}
            onSelect={select}
            onCollapse={setCollapse}
          />
        </section>
        {selectedNode && <SpanDetailPanel key={selectedNode.spanId} traceId={traceId} node={selectedNode} onClose={() => select(null)} />}
      </div>
    </div>
  );
}

export function TraceViewPage({ traceId, location }: { traceId: string; location: AppLocation }) {
  const { state, reload } = useApi((signal) => fetchTrace(traceId, signal), traceId);
  if (state.status === 'loading') return <p className="loading page">Loading trace…</p>;
  if (state.status === 'error') {
    return (
      <div className="page">
        <ErrorBanner error={state.error} onRetry={reload} />
        <Link href="/traces">← Back to traces</Link>
      </div>
    );
  }
  return <TraceView traceId={traceId} trace={state.data} location={location} />;
}

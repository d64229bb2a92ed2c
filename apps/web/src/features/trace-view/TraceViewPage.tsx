// /traces/{traceId}: the trace header, the analysis (root cause, findings, critical path), the
// agent graph, the virtualized span tree and waterfall, search within the trace, and the detail
// panel of the opened span. The URL holds the opened span (?span=) and the spans the tree is
// narrowed to (?focus= a graph node id, "finding:<i>" or "critical"), so views can be shared.

import { useCallback, useEffect, useMemo, useState } from 'react';
import { fetchTrace, fetchTraceAnalysis } from '../../api/api-client.js';
import type { ApiSpanDetail, ApiTraceAnalysis, ApiTraceDetail } from '../../api/api-types.js';
import { navigate, type AppLocation } from '../../app/router.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Link } from '../../components/Link.js';
import { useApi } from '../../components/use-api.js';
import { buildAgentGraph, type AgentGraph } from '../../model/agent-graph.js';
import { flattenFocusedRows } from '../../model/focus-rows.js';
import { formatCostUsd, formatCount, formatDurationMs, formatTimestamp } from '../../model/format.js';
import { buildSpanTree, type SpanTree } from '../../model/span-tree.js';
import { eventMarkers, traceEventMarkers, type EventMarker } from '../../model/span-events.js';
import { searchTrace } from '../../model/trace-search.js';
import { flattenVisibleRows, revealNode } from '../../model/visible-rows.js';
import { AgentGraphView } from './AgentGraphView.js';
import { SpanDetailPanel } from './SpanDetailPanel.js';
import { SpanTreeTimeline } from './SpanTreeTimeline.js';
import { TraceAnalysisBar } from './TraceAnalysisBar.js';
import { useLiveTrace } from '../live/use-live-trace.js';

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      {label}
      <b>{value}</b>
    </div>
  );
}

const NO_SPANS: ReadonlySet<string> = new Set();

/** The span ids a ?focus= value stands for, and how to name them; null when it names nothing. */
function resolveFocus(focus: string | null, graph: AgentGraph, analysis: ApiTraceAnalysis | null): { ids: Set<string>; label: string } | null {
  if (focus === null) return null;
  if (focus === 'critical') return analysis && analysis.criticalPath.length > 0 ? { ids: new Set(analysis.criticalPath), label: 'the critical path' } : null;
  const finding = /^finding:(\d+)$/.exec(focus);
  if (finding) {
    const found = analysis?.findings[Number(finding[1])];
    return found ? { ids: new Set(found.spanIds), label: `the finding “${found.message}”` } : null;
  }
  const node = graph.nodes.find((candidate) => candidate.id === focus);
  return node ? { ids: new Set(node.spanIds), label: node.kind === 'entry' ? 'calls outside any agent' : `${node.kind} ${node.label}` } : null;
}

function TraceView({ traceId, trace: loadedTrace, location }: { traceId: string; trace: ApiTraceDetail; location: AppLocation }) {
  // Running spans drawn up to now, and the trace reloaded until they finish (features/live).
  const trace = useLiveTrace(traceId, loadedTrace);
  const tree: SpanTree = useMemo(() => buildSpanTree(trace.spans, trace.placeholders), [trace]);
  const graph = useMemo(() => buildAgentGraph(trace.spans), [trace]);
  const { state: analysisState } = useApi((signal) => fetchTraceAnalysis(traceId, signal), traceId);
  const analysis = analysisState.status === 'ready' ? analysisState.data : null;
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const [query, setQuery] = useState('');
  const [matchIndex, setMatchIndex] = useState(0);
  const [revealIndex, setRevealIndex] = useState<{ index: number } | null>(null);
  const [showGraph, setShowGraph] = useState(() => graph.nodes.length >= 2);
  // Event ticks of every span from the tree view (classified by name); a span's detail, once
  // opened, refines its ticks with the events' attributes (a 429 inside an exception, say).
  const [detailMarkers, setMarkersBySpan] = useState<ReadonlyMap<string, readonly EventMarker[]>>(() => new Map());
  const treeMarkers = useMemo(() => traceEventMarkers(trace.spans, tree.traceStartNs, tree.traceDurationMs), [trace, tree]);
  const markersBySpan = useMemo<ReadonlyMap<string, readonly EventMarker[]>>(
    () => (detailMarkers.size === 0 ? treeMarkers : new Map([...treeMarkers, ...detailMarkers])),
    [treeMarkers, detailMarkers],
  );
  const selectedId = location.search.get('span');
  const selectedNode = selectedId !== null ? (tree.byId.get(selectedId) ?? null) : null;
  const focusParam = location.search.get('focus');
  const focus = useMemo(() => resolveFocus(focusParam, graph, analysis), [focusParam, graph, analysis]);

  const rows = useMemo(() => (focus ? flattenFocusedRows(tree, focus.ids) : flattenVisibleRows(tree, collapsed)), [tree, collapsed, focus]);
  const matches = useMemo(() => searchTrace(tree, query), [tree, query]);
  const matchSet = useMemo(() => (query.trim() === '' && focus ? focus.ids : new Set(matches)), [matches, focus, query]);
  const criticalSet = useMemo(() => (analysis ? new Set(analysis.criticalPath) : NO_SPANS), [analysis]);

  const updateUrl = useCallback(
    (changes: { span?: string | null; focus?: string | null }) => {
      const search = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null) search.delete(key);
        else if (value !== undefined) search.set(key, value);
      }
      const text = search.toString();
      navigate(`/traces/${traceId}${text ? `?${text}` : ''}`, { replace: true });
    },
    [traceId],
  );
  const select = useCallback((spanId: string | null) => updateUrl({ span: spanId }), [updateUrl]);

  const goTo = (spanId: string) => {
    const node = tree.byId.get(spanId);
    if (!node) return;
    if (focus && !focus.ids.has(spanId) && rows.indexOf(node) < 0) updateUrl({ focus: null });
    const nextCollapsed = revealNode(collapsed, node);
    const visible = focus && rows.includes(node) ? rows : nextCollapsed.size === collapsed.size ? flattenVisibleRows(tree, collapsed) : flattenVisibleRows(tree, nextCollapsed);
    if (nextCollapsed.size !== collapsed.size) setCollapsed(nextCollapsed);
    setRevealIndex({ index: visible.indexOf(node) });
  };

  /** Narrows the tree to a set of spans (toggling off when it is already the focus) and opens the first. */
  const focusOn = (nextFocus: string) => {
    if (focusParam === nextFocus) {
      updateUrl({ focus: null });
      return;
    }
    const resolved = resolveFocus(nextFocus, graph, analysis);
    if (!resolved) return;
    const focusedRows = flattenFocusedRows(tree, resolved.ids);
    const first = focusedRows.find((node) => resolved.ids.has(node.spanId));
    setQuery('');
    updateUrl({ focus: nextFocus, span: first?.spanId ?? null });
    if (first) setRevealIndex({ index: focusedRows.indexOf(first) });
  };

  // A span selected through the URL is revealed once, when the trace opens.
  useEffect(() => {
    if (selectedId !== null) goTo(selectedId);
    // Only on open: later selections come from the tree itself, already in view.
  }, [tree]);

  const onDetailLoaded = useCallback(
    (detail: ApiSpanDetail) => {
      if (detail.events.length === 0) return;
      setMarkersBySpan((previous) => {
        if (previous.has(detail.spanId)) return previous;
        const next = new Map(previous);
        next.set(detail.spanId, eventMarkers(detail.events, BigInt(detail.startTimeUnixNano), tree.traceStartNs, tree.traceDurationMs));
        return next;
      });
    },
    [tree],
  );

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
  const activeFinding = focusParam?.startsWith('finding:') ? Number(focusParam.slice('finding:'.length)) : null;
  return (
    <div className="page">
      <div className="trace-header">
        <div className="trace-title">
          <div className="dim" style={{ fontSize: 12 }}>
            <Link href="/traces">Traces</Link> / <span className="mono">{traceId}</span>
          </div>
          <h1 title={summary.rootName}>{summary.rootName}</h1>
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
      {analysis && (
        <TraceAnalysisBar
          analysis={analysis}
          activeFinding={activeFinding}
          onShowSpan={(spanId) => {
            goTo(spanId);
            select(spanId);
          }}
          onFocusFinding={(index) => focusOn(`finding:${index}`)}
        />
      )}
      <div className="trace-body">
        <section className="tree-panel" aria-label="Span tree and timeline">
          {showGraph && graph.nodes.length > 0 && <AgentGraphView graph={graph} selectedNodeId={focus && focusParam !== 'critical' && !focusParam?.startsWith('finding:') ? focusParam : null} onSelectNode={focusOn} />}
          <div className="tree-toolbar">
            <input
              type="search"
              aria-label="Search spans in this trace"
              placeholder="Search spans: name, model, tool, error…"
              value={query}
              onChange={(event) => {
                setQuery(event.target.value);
                setMatchIndex(-1);
                if (focusParam !== null) updateUrl({ focus: null });
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
            <button type="button" className="btn small" onClick={expandAll} disabled={focus !== null}>
              Expand all
            </button>
            <button type="button" className="btn small" onClick={collapseAll} disabled={focus !== null}>
              Collapse
            </button>
            {analysis && analysis.criticalPath.length > 0 && (
              <button type="button" className="btn small critical-toggle" aria-pressed={focusParam === 'critical'} onClick={() => focusOn('critical')} title="Spans on the critical path are outlined; click to show only them">
                <span className="critical-swatch" aria-hidden="true" /> Critical path
              </button>
            )}
            {graph.nodes.length > 0 && (
              <button type="button" className="btn small" aria-pressed={showGraph} onClick={() => setShowGraph((value) => !value)}>
                Agent graph
              </button>
            )}
            <span className="hint">↑↓ move · ←→ fold · Enter open</span>
          </div>
          {focus && (
            <div className="focus-bar" role="status">
              Showing the {focus.ids.size} span{focus.ids.size === 1 ? '' : 's'} of {focus.label}, with their parents.
              <button type="button" className="btn small" onClick={() => updateUrl({ focus: null })}>
                Show all spans
              </button>
            </div>
          )}
          <SpanTreeTimeline
            rows={rows}
            traceDurationMs={tree.traceDurationMs}
            collapsed={focus ? NO_SPANS : collapsed}
            selectedId={selectedId}
            matches={matchSet}
            critical={criticalSet}
            markersBySpan={markersBySpan}
            revealIndex={revealIndex}
            onToggle={toggle}
            onSelect={select}
            onCollapse={setCollapse}
          />
        </section>
        {selectedNode && <SpanDetailPanel key={selectedNode.spanId} traceId={traceId} node={selectedNode} onClose={() => select(null)} onLoaded={onDetailLoaded} />}
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

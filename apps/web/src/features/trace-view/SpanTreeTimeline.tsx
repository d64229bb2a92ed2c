// The span tree beside its waterfall, virtualized: only the rows in view (plus a few) are in the
// DOM, so a 20,000-span trace renders as fast as a 20-span one. Keyboard: ↑/↓ move, ← collapses
// or goes to the parent, → expands or goes to the first child, Enter opens the span, Home/End
// and PageUp/PageDown jump. The list is one focusable tree with aria-activedescendant.

import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import { SpanTypeBadge } from '../../components/SpanTypeBadge.js';
import { formatDurationMs } from '../../model/format.js';
import { computeRowWindow, scrollTopToReveal } from '../../model/row-window.js';
import { SPAN_EVENT_LABELS, type EventMarker } from '../../model/span-events.js';
import { barGeometry, spanTypeStyle } from '../../model/span-style.js';
import type { SpanNode } from '../../model/span-tree.js';

export const ROW_HEIGHT_PX = 28;
const INDENT_PX = 14;

interface SpanRowProps {
  node: SpanNode;
  index: number;
  traceDurationMs: number;
  collapsed: boolean;
  selected: boolean;
  focused: boolean;
  matched: boolean;
  critical: boolean;
  /** Events of this span, once its detail was loaded. */
  markers: readonly EventMarker[] | undefined;
  labelWidthPx: number;
  onToggle: (spanId: string) => void;
  onSelect: (spanId: string, index: number) => void;
}

const SpanRow = memo(function SpanRow({ node, index, traceDurationMs, collapsed, selected, focused, matched, critical, markers, labelWidthPx, onToggle, onSelect }: SpanRowProps) {
  const span = node.span;
  const error = span?.status.code === 'error';
  const style = spanTypeStyle(span?.spanType ?? null);
  const { leftPercent, widthPercent } = barGeometry(node.startMs, node.durationMs, traceDurationMs);
  const hasChildren = node.children.length > 0;
  const name = span ? span.name : `missing span ${node.spanId.slice(0, 8)}`;
  const live = span?.live === true;
  const classes = ['span-row', live && 'live', selected && 'selected', focused && 'focused', matched && 'match', critical && 'critical', error && 'error', span === null && 'placeholder'].filter(Boolean).join(' ');
  return (
    <div
      id={`span-row-${node.spanId}`}
      role="treeitem"
      aria-level={node.depth + 1}
      aria-expanded={hasChildren ? !collapsed : undefined}
      aria-selected={selected}
      aria-label={`${style.description} ${name}, ${formatDurationMs(node.durationMs)}${live ? ', running' : ''}${error ? ', error' : ''}${critical ? ', on the critical path' : ''}`}
      className={classes}
      data-span-id={node.spanId}
      style={{ top: index * ROW_HEIGHT_PX, height: ROW_HEIGHT_PX, ['--badge' as string]: `var(--type-${style.colour})` }}
      onClick={() => onSelect(node.spanId, index)}
    >
      <div className="label" style={{ width: labelWidthPx, paddingLeft: 6 + Math.min(node.depth, 40) * INDENT_PX }}>
        {hasChildren ? (
          <button
            type="button"
            className="twisty"
            tabIndex={-1}
            aria-label={collapsed ? `Expand ${node.descendantCount} spans` : 'Collapse'}
            onClick={(event) => {
              event.stopPropagation();
              onToggle(node.spanId);
            }}
          >
            {collapsed ? '▶' : '▼'}
          </button>
        ) : (
          <span className="twisty" aria-hidden="true" />
        )}
        <SpanTypeBadge type={span?.spanType ?? null} />
        {error && (
          <span className="err-dot" aria-hidden="true" title={span?.status.message}>
            ●
          </span>
        )}
        <span className="name" title={name}>
          {name}
        </span>
        {live && <span className="chip running" title="Still running: reported started by the SDK, not finished yet">running</span>}
        {collapsed && hasChildren && <span className="chip">{node.descendantCount}</span>}
      </div>
      <div className="dur">{formatDurationMs(node.durationMs)}</div>
      <div className="self" title="Self time: not covered by child spans">
        {node.children.length > 0 ? formatDurationMs(node.selfTimeMs) : ''}
      </div>
      <div className="timeline" aria-hidden="true">
        <div className="bar" style={{ left: `${leftPercent}%`, width: `${widthPercent}%` }} />
        {markers?.map((marker, markerIndex) => (
          <span
            key={markerIndex}
            className={`event-tick kind-${marker.kind}`}
            data-event-kind={marker.kind}
            style={{ left: `${marker.leftPercent}%` }}
            title={`${SPAN_EVENT_LABELS[marker.kind]}: ${marker.name} at +${formatDurationMs(marker.offsetMs)}`}
          />
        ))}
      </div>
    </div>
  );
});

export interface SpanTreeTimelineProps {
  rows: SpanNode[];
  traceDurationMs: number;
  collapsed: ReadonlySet<string>;
  selectedId: string | null;
  matches: ReadonlySet<string>;
  /** Spans on the critical path (empty when the server has no analysis). */
  critical: ReadonlySet<string>;
  markersBySpan: ReadonlyMap<string, readonly EventMarker[]>;
  /** Row to bring into view (search hits, URL selection); changes to the same index re-scroll. */
  revealIndex: { index: number } | null;
  onToggle: (spanId: string) => void;
  onSelect: (spanId: string) => void;
  onCollapse: (spanId: string, collapse: boolean) => void;
}

export function SpanTreeTimeline({ rows, traceDurationMs, collapsed, selectedId, matches, critical, markersBySpan, revealIndex, onToggle, onSelect, onCollapse }: SpanTreeTimelineProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ scrollTop: 0, height: 600, width: 900 });
  const [focusIndex, setFocusIndex] = useState(0);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => setViewport({ scrollTop: element.scrollTop, height: element.clientHeight, width: element.clientWidth });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const reveal = (index: number) => {
    const element = scroller.current;
    if (!element) return;
    const top = scrollTopToReveal(index, element.scrollTop, element.clientHeight, ROW_HEIGHT_PX);
    if (top !== null) element.scrollTop = top;
  };

  useEffect(() => {
    if (revealIndex === null) return;
    setFocusIndex(revealIndex.index);
    reveal(revealIndex.index);
  }, [revealIndex]);

  const selectRow = useCallback(
    (spanId: string, rowIndex: number) => {
      setFocusIndex(rowIndex);
      onSelect(spanId);
    },
    [onSelect],
  );

  const clampedFocus = Math.min(focusIndex, Math.max(0, rows.length - 1));
  const rowWindow = computeRowWindow(viewport.scrollTop, viewport.height, ROW_HEIGHT_PX, rows.length);
  const labelWidthPx = Math.max(220, Math.min(520, Math.round(viewport.width * 0.42)));

  const moveFocus = (index: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, index));
    setFocusIndex(next);
    reveal(next);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const node = rows[clampedFocus];
    if (!node) return;
    const page = Math.max(1, Math.floor(viewport.height / ROW_HEIGHT_PX) - 1);
    switch (event.key) {
      case 'ArrowDown': moveFocus(clampedFocus + 1); break;
      case 'ArrowUp': moveFocus(clampedFocus - 1); break;
      case 'PageDown': moveFocus(clampedFocus + page); break;
      case 'PageUp': moveFocus(clampedFocus - page); break;
      case 'Home': moveFocus(0); break;
      case 'End': moveFocus(rows.length - 1); break;
      case 'ArrowRight':
        if (node.children.length === 0) return;
        if (collapsed.has(node.spanId)) onCollapse(node.spanId, false);
        else moveFocus(clampedFocus + 1);
        break;
      case 'ArrowLeft':
        if (node.children.length > 0 && !collapsed.has(node.spanId)) onCollapse(node.spanId, true);
        else if (node.parent) moveFocus(rows.indexOf(node.parent));
        break;
      case 'Enter':
      case ' ':
        onSelect(node.spanId);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const rendered: ReactElement[] = [];
  for (let index = rowWindow.start; index < rowWindow.end; index++) {
    const node = rows[index]!;
    rendered.push(
      <SpanRow
        key={node.spanId}
        node={node}
        index={index}
        traceDurationMs={traceDurationMs}
        collapsed={collapsed.has(node.spanId)}
        selected={node.spanId === selectedId}
        focused={index === clampedFocus}
        matched={matches.has(node.spanId)}
        critical={critical.has(node.spanId)}
        markers={markersBySpan.get(node.spanId)}
        labelWidthPx={labelWidthPx}
        onToggle={onToggle}
        onSelect={selectRow}
      />,
    );
  }
  const focusedNode = rows[clampedFocus];

  return (
    <>
      <div className="tree-columns" aria-hidden="true">
        <div style={{ width: labelWidthPx }}>Span</div>
        <div style={{ width: 72, textAlign: 'right', padding: '4px 8px 4px 0' }}>Duration</div>
        <div style={{ width: 64, textAlign: 'right', padding: '4px 8px 4px 0' }}>Self</div>
        <div style={{ flex: 1 }}>Timeline · {formatDurationMs(traceDurationMs)}</div>
      </div>
      <div
        ref={scroller}
        className="tree-scroll"
        role="tree"
        aria-label="Spans of this trace"
        tabIndex={0}
        aria-activedescendant={focusedNode && clampedFocus >= rowWindow.start && clampedFocus < rowWindow.end ? `span-row-${focusedNode.spanId}` : undefined}
        onKeyDown={onKeyDown}
        onScroll={(event) => {
          const scrollTop = event.currentTarget.scrollTop;
          setViewport((previous) => (previous.scrollTop === scrollTop ? previous : { ...previous, scrollTop }));
        }}
      >
        <div className="tree-spacer" style={{ height: rows.length * ROW_HEIGHT_PX }}>
          {rendered}
        </div>
      </div>
    </>
  );
}

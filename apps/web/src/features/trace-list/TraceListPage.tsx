// The trace list: filters captured in the URL, cursor-paginated infinite scroll, and new traces
// merged in at the top while the page is open.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { fetchTraces } from '../../api/api-client.js';
import type { ApiTraceSummary } from '../../api/api-types.js';
import { navigate, type AppLocation } from '../../app/router.js';
import { EmptyState } from '../../components/EmptyState.js';
import { CsvButton } from '../../components/CsvButton.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { toCsv, TRACE_CSV_COLUMNS } from '../../model/csv.js';
import { toggleCompareSelection } from '../../model/compare-selection.js';
import { activeFilterCount, filtersFromSearch, filtersToApiQuery, filtersToSearch, toggleSort, type TraceFilters } from '../../model/trace-filters.js';
import { RunningNowPanel } from '../live/RunningNowPanel.js';
import { TraceFilterBar } from './TraceFilterBar.js';
import { TraceTable } from './TraceTable.js';

const PAGE_SIZE = 50;
const POLL_MILLIS = 10_000;

interface ListState {
  items: ApiTraceSummary[];
  nextCursor: string | null;
  loading: boolean;
  error: unknown;
  loaded: boolean;
}

export function TraceListPage({ location }: { location: AppLocation }) {
  const searchKey = location.search.toString();
  const filters = useMemo(() => filtersFromSearch(new URLSearchParams(searchKey)), [searchKey]);
  const [list, setList] = useState<ListState>({ items: [], nextCursor: null, loading: true, error: null, loaded: false });
  const [reloadCount, setReloadCount] = useState(0);
  const [selected, setSelected] = useState<string[]>([]);
  const generation = useRef(0);
  const sentinel = useRef<HTMLDivElement>(null);

  const setFilters = (next: TraceFilters) => {
    const search = filtersToSearch(next).toString();
    navigate(`/traces${search ? `?${search}` : ''}`, { replace: true });
  };

  // First page whenever the filters change.
  useEffect(() => {
    const current = ++generation.current;
    const controller = new AbortController();
    setList((previous) => ({ ...previous, loading: true, error: null }));
    fetchTraces(filtersToApiQuery(filters, Date.now(), null, PAGE_SIZE), controller.signal).then(
      (page) => current === generation.current && setList({ items: page.items, nextCursor: page.nextCursor, loading: false, error: null, loaded: true }),
      (error: unknown) => current === generation.current && !controller.signal.aborted && setList((previous) => ({ ...previous, loading: false, error })),
    );
    return () => controller.abort();
  }, [filters, reloadCount]);

  const loadMore = useCallback(() => {
    if (list.loading || list.nextCursor === null || list.error) return;
    const current = generation.current;
    setList((previous) => ({ ...previous, loading: true }));
    fetchTraces(filtersToApiQuery(filters, Date.now(), list.nextCursor, PAGE_SIZE)).then(
      (page) =>
        current === generation.current &&
        setList((previous) => {
          const seen = new Set(previous.items.map((item) => item.traceId));
          return { ...previous, items: [...previous.items, ...page.items.filter((item) => !seen.has(item.traceId))], nextCursor: page.nextCursor, loading: false };
        }),
      (error: unknown) => current === generation.current && setList((previous) => ({ ...previous, loading: false, error })),
    );
  }, [filters, list.loading, list.nextCursor, list.error]);

  // Infinite scroll: fetch the next page when the sentinel below the table comes into view.
  useEffect(() => {
    const target = sentinel.current;
    if (!target) return;
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && loadMore(), { rootMargin: '300px' });
    observer.observe(target);
    return () => observer.disconnect();
  }, [loadMore]);

  // New traces while the page is open: newest-first lists poll their first page and merge it in.
  const newestFirst = filters.sort.field === 'startTime' && filters.sort.descending;
  useEffect(() => {
    if (!newestFirst) return;
    const timer = setInterval(() => {
      if (document.hidden) return;
      const current = generation.current;
      fetchTraces(filtersToApiQuery(filters, Date.now(), null, PAGE_SIZE)).then(
        (page) =>
          current === generation.current &&
          setList((previous) => {
            const known = new Set(previous.items.map((item) => item.traceId));
            const fresh = page.items.filter((item) => !known.has(item.traceId));
            const updated = new Map(page.items.map((item) => [item.traceId, item]));
            const items = previous.items.map((item) => updated.get(item.traceId) ?? item);
            return { ...previous, items: [...fresh, ...items], loaded: true, error: null, nextCursor: previous.loaded ? previous.nextCursor : page.nextCursor };
          }),
        () => undefined, // a failed poll keeps the list; the next one retries
      );
    }, POLL_MILLIS);
    return () => clearInterval(timer);
  }, [filters, newestFirst]);

  const filtered = activeFilterCount(filters) > 0;
  return (
    <div className="page">
      <div className="page-title">
        <h1>Traces</h1>
        <span className="sub" aria-live="polite">
          {list.loaded ? `${list.items.length}${list.nextCursor ? '+' : ''} traces` : ''}
        </span>
        <span className="spacer" />
        <span className="dim">{selected.length === 1 ? 'Select one more trace to compare' : ''}</span>
        <button type="button" className="btn small primary" disabled={selected.length !== 2} onClick={() => navigate(`/diff?a=${selected[0]}&b=${selected[1]}`)}>
          Compare{selected.length > 0 ? ` (${selected.length}/2)` : ''}
        </button>
        <CsvButton filename="cairn-traces.csv" csv={() => toCsv(TRACE_CSV_COLUMNS, list.items)} disabled={list.items.length === 0} />
      </div>
      <RunningNowPanel />
      <TraceFilterBar filters={filters} onChange={setFilters} onRefresh={() => setReloadCount((value) => value + 1)} />
      {list.error !== null && <ErrorBanner error={list.error} onRetry={() => setReloadCount((value) => value + 1)} />}
      {list.loaded && list.items.length === 0 && !list.error ? (
        <EmptyState filtered={filtered || filters.range !== '24h'} />
      ) : (
        <div className="table-wrap">
          {list.items.length > 0 && <TraceTable
              traces={list.items}
              sort={filters.sort}
              onSort={(field) => setFilters({ ...filters, sort: toggleSort(filters.sort, field) })}
              label="Traces"
              selection={{ selected, onToggle: (traceId) => setSelected((previous) => toggleCompareSelection(previous, traceId)) }}
            />}
          <div ref={sentinel} className="list-footer">
            {list.loading ? 'Loading…' : list.nextCursor === null && list.items.length > 0 ? 'End of the list' : ''}
          </div>
        </div>
      )}
    </div>
  );
}

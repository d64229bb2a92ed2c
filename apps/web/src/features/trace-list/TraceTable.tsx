// The trace list table. Sortable headers are buttons with aria-sort; a row opens its trace.

import type { ApiTraceSummary } from '../../api/api-types.js';
import { navigate } from '../../app/router.js';
import { Link } from '../../components/Link.js';
import { formatCostUsd, formatCount, formatDurationMs, formatRelative, formatTimestamp } from '../../model/format.js';
import type { SortField, TraceSort } from '../../model/trace-filters.js';

interface Column {
  label: string;
  sortField?: SortField;
  numeric?: boolean;
}

const COLUMNS: Column[] = [
  { label: 'Start', sortField: 'startTime' },
  { label: 'Root / agent' },
  { label: 'Models' },
  { label: 'Duration', sortField: 'duration', numeric: true },
  { label: 'Spans', numeric: true },
  { label: 'Tokens', sortField: 'tokens', numeric: true },
  { label: 'Cost', sortField: 'cost', numeric: true },
  { label: 'Errors', numeric: true },
];

function SortHeader({ column, sort, onSort }: { column: Column; sort?: TraceSort; onSort?: (field: SortField) => void }) {
  const field = column.sortField;
  const active = field !== undefined && sort?.field === field;
  const ariaSort = active ? (sort!.descending ? 'descending' : 'ascending') : undefined;
  return (
    <th scope="col" className={column.numeric ? 'num' : undefined} aria-sort={ariaSort}>
      {field !== undefined && onSort ? (
        <button type="button" onClick={() => onSort(field)}>
          {column.label} {active ? (sort!.descending ? '↓' : '↑') : <span className="dim">↕</span>}
        </button>
      ) : (
        <span>{column.label}</span>
      )}
    </th>
  );
}

export interface TraceSelection {
  selected: readonly string[];
  onToggle: (traceId: string) => void;
}

export function TraceTable({ traces, sort, onSort, label, selection }: { traces: ApiTraceSummary[]; sort?: TraceSort; onSort?: (field: SortField) => void; label: string; selection?: TraceSelection }) {
  const now = Date.now();
  return (
    <table className="data" aria-label={label}>
      <thead>
        <tr>
          {selection && (
            <th scope="col" className="select">
              <span className="visually-hidden">Select to compare</span>
            </th>
          )}
          {COLUMNS.map((column) => (
            <SortHeader key={column.label} column={column} sort={sort} onSort={onSort} />
          ))}
        </tr>
      </thead>
      <tbody>
        {traces.map((trace) => {
          const href = `/traces/${trace.traceId}`;
          const agents = trace.agents.join(', ');
          return (
            <tr key={trace.traceId} onClick={(event) => (event.target as HTMLElement).closest('a, input, label') === null && navigate(href)}>
              {selection && (
                <td className="select">
                  <input
                    type="checkbox"
                    aria-label={`Select ${trace.rootName} at ${formatTimestamp(trace.startTime)} to compare`}
                    checked={selection.selected.includes(trace.traceId)}
                    onChange={() => selection.onToggle(trace.traceId)}
                  />
                </td>
              )}
              <td title={trace.startTime}>
                {formatTimestamp(trace.startTime)}
                <div className="sub">{formatRelative(trace.startTime, now)}</div>
              </td>
              <td className="name">
                <Link href={href}>{trace.rootName}</Link>
                <div className="sub">
                  {trace.serviceName}
                  {agents ? ` · ${agents}` : ''}
                </div>
              </td>
              <td>
                <div className="chips">
                  {trace.models.slice(0, 3).map((model) => (
                    <span className="chip" key={model}>
                      {model}
                    </span>
                  ))}
                  {trace.models.length > 3 && <span className="chip">+{trace.models.length - 3}</span>}
                </div>
              </td>
              <td className="num">{formatDurationMs(trace.durationMs)}</td>
              <td className="num">{formatCount(trace.spanCount)}</td>
              <td className="num" title={`${trace.inputTokens} in / ${trace.outputTokens} out`}>
                {formatCount(trace.inputTokens + trace.outputTokens)}
              </td>
              <td className="num">{formatCostUsd(trace.costUsd)}</td>
              <td className={trace.errorCount > 0 ? 'num errors-cell' : 'num'}>{trace.errorCount > 0 ? trace.errorCount : '–'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

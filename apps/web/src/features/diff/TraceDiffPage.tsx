// Two traces side by side (e.g. one task under prompt v1 and v2): token, cost and latency deltas,
// the tool-call sequences aligned, and the spans that were added, removed or changed.

import { fetchTraceDiff } from '../../api/api-client.js';
import type { ApiTraceDiff } from '../../api/api-types.js';
import type { AppLocation } from '../../app/router.js';
import { CsvButton } from '../../components/CsvButton.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Link } from '../../components/Link.js';
import { useApi } from '../../components/use-api.js';
import { toCsv, type CsvColumn } from '../../model/csv.js';
import { formatCostUsd, formatCount, formatDurationMs } from '../../model/format.js';
import { alignmentRows, formatDelta, toolStepRows, totalRows, type AlignmentRow, type TotalRow } from '../../model/trace-diff-view.js';

const FORMAT: Partial<Record<TotalRow['field'], (value: number) => string>> = { durationMs: formatDurationMs, costUsd: (value) => formatCostUsd(value) };
const format = (field: TotalRow['field'], value: number) => (FORMAT[field] ?? formatCount)(value);

const ALIGNMENT_CSV: readonly CsvColumn<AlignmentRow>[] = [
  { header: 'status', value: (row) => row.status },
  { header: 'path', value: (row) => row.path },
  { header: 'span_type', value: (row) => row.spanType },
  { header: 'label', value: (row) => row.label },
  { header: 'span_a', value: (row) => row.a },
  { header: 'span_b', value: (row) => row.b },
  { header: 'changes', value: (row) => row.changes.map((change) => `${change.field}: ${change.a ?? '∅'} → ${change.b ?? '∅'}`).join('; ') },
  { header: 'duration_delta_ms', value: (row) => row.deltas.durationMs },
  { header: 'input_tokens_delta', value: (row) => row.deltas.inputTokens },
  { header: 'output_tokens_delta', value: (row) => row.deltas.outputTokens },
  { header: 'cost_delta_usd', value: (row) => row.deltas.costUsd },
];

function DiffBody({ diff }: { diff: ApiTraceDiff }) {
  const rows = alignmentRows(diff);
  const steps = toolStepRows(diff.toolCalls.a, diff.toolCalls.b);
  return (
    <>
      <p className="diff-summary" role="status">
        {diff.changed.length} changed · {diff.added.length} added · {diff.removed.length} removed · {diff.unchanged.length} unchanged spans
      </p>
      <section className="panel" aria-label="Totals">
        <div className="table-wrap">
          <table className="data static" aria-label="Totals and deltas">
            <thead>
              <tr>
                <th scope="col"><span /></th>
                <th scope="col" className="num"><span>A</span></th>
                <th scope="col" className="num"><span>B</span></th>
                <th scope="col" className="num"><span>B − A</span></th>
              </tr>
            </thead>
            <tbody>
              {totalRows(diff).map((row) => (
                <tr key={row.field}>
                  <td>{row.label}</td>
                  <td className="num">{format(row.field, row.a)}</td>
                  <td className="num">{format(row.field, row.b)}</td>
                  <td className={row.delta > 0 ? 'num worse' : row.delta < 0 ? 'num better' : 'num'}>{formatDelta(row.delta, (value) => format(row.field, value))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel" aria-label="Tool calls">
        <div className="panel-head">
          <h2>Tool calls</h2>
        </div>
        <ol className="tool-steps">
          {steps.map((step, index) => (
            <li key={index} className={`step ${step.kind}`} data-kind={step.kind}>
              {[step.a, step.b].map((side, sideIndex) => (
                <div key={sideIndex} className="side">
                  {side ? (
                    <>
                      <strong>{side.toolName}</strong> <code>{side.arguments ?? ''}</code>
                      {side.status === 'error' && <span className="badge warning">error</span>}
                    </>
                  ) : (
                    <span className="dim">—</span>
                  )}
                </div>
              ))}
            </li>
          ))}
        </ol>
      </section>
      <section className="panel" aria-label="Span differences">
        <div className="panel-head">
          <h2>Spans that differ</h2>
          <CsvButton filename={`cairn-diff-${diff.a.slice(0, 8)}-${diff.b.slice(0, 8)}.csv`} csv={() => toCsv(ALIGNMENT_CSV, alignmentRows(diff, true))} />
        </div>
        {rows.length === 0 ? (
          <p className="ok-note">The two traces have the same spans.</p>
        ) : (
          <div className="table-wrap">
            <table className="data static" aria-label="Span differences">
              <thead>
                <tr>
                  <th scope="col"><span>Status</span></th>
                  <th scope="col"><span>Span</span></th>
                  <th scope="col"><span>What changed</span></th>
                  <th scope="col" className="num"><span>Δ duration</span></th>
                  <th scope="col" className="num"><span>Δ tokens</span></th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={`${row.status}-${row.path}`} data-status={row.status}>
                    <td><span className={`badge ${row.status}`}>{row.status}</span></td>
                    <td className="name" title={row.path}>
                      {row.label} <span className="dim">{row.spanType}</span>
                    </td>
                    <td className="changes">
                      {row.changes.map((change) => (
                        <div key={change.field}>
                          {change.field}: <del>{change.a ?? '∅'}</del> → <ins>{change.b ?? '∅'}</ins>
                        </div>
                      ))}
                    </td>
                    <td className="num">{formatDelta(row.deltas.durationMs, formatDurationMs)}</td>
                    <td className="num">{formatDelta(row.deltas.inputTokens + row.deltas.outputTokens, formatCount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export function TraceDiffPage({ location }: { location: AppLocation }) {
  const a = location.search.get('a') ?? '';
  const b = location.search.get('b') ?? '';
  const { state, reload } = useApi((signal) => fetchTraceDiff(a, b, signal), `${a}:${b}`);
  return (
    <div className="page scroll">
      <div className="page-title">
        <h1>Compare traces</h1>
        <span className="sub">
          A <Link href={`/traces/${a}`}><code>{a.slice(0, 12)}</code></Link> · B <Link href={`/traces/${b}`}><code>{b.slice(0, 12)}</code></Link>
        </span>
      </div>
      {state.status === 'error' && <ErrorBanner error={state.error} onRetry={reload} />}
      {state.status === 'loading' && <div className="list-footer">Loading…</div>}
      {state.status === 'ready' && <DiffBody diff={state.data} />}
    </div>
  );
}

// Traces per persisted finding kind; each count links to the trace list filtered by that kind.

import type { ApiFindingCounts } from '../../api/api-types.js';
import { Link } from '../../components/Link.js';
import { traceListHrefForFinding } from '../../model/dashboard-state.js';
import type { TraceFilters } from '../../model/trace-filters.js';

export const FINDING_LABELS: Record<string, string> = {
  tool_loop: 'Tool loops',
  straggler: 'Fan-out stragglers',
  retry_storm: 'Retry storms',
  handoff_ping_pong: 'Hand-off ping-pong',
  context_blowup: 'Context blow-ups',
  broken_trace: 'Broken traces',
};

export function FindingCounts({ counts, filters }: { counts: ApiFindingCounts['counts']; filters: TraceFilters }) {
  return (
    <section className="panel" aria-label="Findings">
      <div className="panel-head">
        <h2>Findings</h2>
        <span className="dim">traces flagged once quiet for a few seconds</span>
      </div>
      <ul className="finding-counts">
        {counts.map(({ kind, traces }) => (
          <li key={kind}>
            <Link href={traceListHrefForFinding(filters, kind)} className={traces > 0 ? 'count flagged' : 'count'}>
              <span className="value">{traces}</span>
              <span className="label">{FINDING_LABELS[kind] ?? kind}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

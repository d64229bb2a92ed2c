// What the server's analysis found in this trace: the root-cause hint when something failed,
// and the detectors' findings (tool loops, stragglers, retry storms…). Each links to its spans.

import type { ApiTraceAnalysis } from '../../api/api-types.js';

const FINDING_LABELS: Record<string, string> = {
  tool_loop: 'tool loop',
  straggler: 'straggler',
  retry_storm: 'retry storm',
  handoff_ping_pong: 'hand-off ping-pong',
  context_blowup: 'context blow-up',
  broken_trace: 'broken trace',
};

export function TraceAnalysisBar({
  analysis,
  activeFinding,
  onShowSpan,
  onFocusFinding,
}: {
  analysis: ApiTraceAnalysis;
  activeFinding: number | null;
  onShowSpan: (spanId: string) => void;
  onFocusFinding: (index: number) => void;
}) {
  const { rootCause, findings } = analysis;
  if (rootCause === null && findings.length === 0) return null;
  return (
    <div className="analysis-bar">
      {rootCause && (
        <div className="root-cause" role="note" aria-label="Root cause">
          <strong>Likely root cause</strong>
          <span className="root-cause-text">{rootCause.message}</span>
          <button type="button" className="btn small" onClick={() => onShowSpan(rootCause.spanId)}>
            Show span
          </button>
        </div>
      )}
      {findings.length > 0 && (
        <details className="findings">
          <summary>
            Findings ({findings.length}): {[...new Set(findings.map((finding) => FINDING_LABELS[finding.kind] ?? finding.kind))].join(', ')}
          </summary>
          <ul aria-label="Findings">
            {findings.map((finding, index) => (
              <li key={index}>
                <button type="button" className={`finding${activeFinding === index ? ' active' : ''}`} aria-pressed={activeFinding === index} onClick={() => onFocusFinding(index)}>
                  <span className="chip">{FINDING_LABELS[finding.kind] ?? finding.kind}</span> {finding.message}
                  <span className="dim"> · {finding.spanIds.length} span{finding.spanIds.length === 1 ? '' : 's'}</span>
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

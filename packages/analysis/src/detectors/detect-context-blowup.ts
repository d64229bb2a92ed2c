// context_blowup: the input tokens of one agent's consecutive model calls grow turn after turn —
// the conversation history (tool results, retrieved documents) is re-sent and piles up until it
// is slow, expensive, or overflows the window. Flagged when at least `contextBlowupMinCalls`
// consecutive calls of one agent invocation grow strictly, and the last is at least
// `contextBlowupMinGrowth` × the first. Calls are grouped by their nearest agent span (or, with
// none, by the top of their subtree); calls without token counts are skipped.

import type { AnalysisSpan } from '../analysis-span.js';
import type { DetectorThresholds } from '../detector-thresholds.js';
import type { Finding } from '../finding.js';
import { nearestAncestors, quote } from '../internal/span-facts.js';
import { byStartTime, type SpanTree } from '../span-tree.js';

export function detectContextBlowup(tree: SpanTree, thresholds: DetectorThresholds): Finding[] {
  const nearestAgent = nearestAncestors(tree, (span) => span.spanType === 'agent');
  const byAgent = new Map<string, { agent: AnalysisSpan | null; calls: AnalysisSpan[] }>();
  for (const span of tree.preorder) {
    if (span.spanType !== 'llm' || span.usage.inputTokens <= 0) continue;
    const agent = nearestAgent.get(span.spanId) ?? null;
    const key = agent?.spanId ?? '';
    const group = byAgent.get(key);
    if (group === undefined) byAgent.set(key, { agent, calls: [span] });
    else group.calls.push(span);
  }
  const findings: Finding[] = [];
  for (const { agent, calls } of byAgent.values()) {
    calls.sort(byStartTime);
    let runStart = 0;
    for (let index = 1; index <= calls.length; index++) {
      const grows = index < calls.length && calls[index]!.usage.inputTokens > calls[index - 1]!.usage.inputTokens;
      if (grows) continue;
      const run = calls.slice(runStart, index);
      runStart = index;
      if (run.length < thresholds.contextBlowupMinCalls) continue;
      const first = run[0]!.usage.inputTokens;
      const last = run[run.length - 1]!.usage.inputTokens;
      if (last < first * thresholds.contextBlowupMinGrowth) continue;
      const who = agent === null ? 'the trace' : `agent ${quote(agent.agentName ?? agent.name)}`;
      findings.push({
        kind: 'context_blowup',
        spanIds: run.map((span) => span.spanId),
        message:
          `input tokens of ${run.length} consecutive model calls of ${who} grew from ${first} to ${last} ` +
          `(${(last / first).toFixed(1)}×)`,
      });
    }
  }
  return findings;
}

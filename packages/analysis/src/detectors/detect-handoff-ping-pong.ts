// handoff_ping_pong: control bounces between two agents, A → B → A → B → A, with
// `handoffMinAlternations` or more hand-offs and no progress in between. Two recordings exist:
//
//   siblings (OpenAI Agents, swarm):       nested (LangGraph sub-graphs, agent-as-tool):
//   workflow                                A
//     A  B  A  B  A                           └ B
//                                               └ A
//                                                 └ B …
//
// Siblings count only under a parent that is not itself an agent: a supervisor agent calling
// workers in turn (researcher, writer, researcher …) delegates, it does not hand off. A hand-off
// to a third agent ends the alternation, and re-entering the same agent is not a hand-off.

import type { AnalysisSpan } from '../analysis-span.js';
import type { DetectorThresholds } from '../detector-thresholds.js';
import type { Finding } from '../finding.js';
import { nearestAncestors, quote } from '../internal/span-facts.js';
import type { SpanTree } from '../span-tree.js';

interface AgentStep {
  name: string;
  spanIds: string[];
}

const agentName = (span: AnalysisSpan) => span.agentName ?? span.name;

/** Alternating runs (x y x y …) of at least minAlternations hand-offs in a sequence of steps. */
function alternatingRuns(steps: readonly AgentStep[], minAlternations: number): AgentStep[][] {
  // Re-entering the same agent is not a hand-off: merge consecutive steps of one agent.
  const merged: AgentStep[] = [];
  for (const step of steps) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.name === step.name) last.spanIds.push(...step.spanIds);
    else merged.push({ name: step.name, spanIds: [...step.spanIds] });
  }
  const runs: AgentStep[][] = [];
  let start = 0;
  for (let index = 2; index <= merged.length; index++) {
    const continues = index < merged.length && merged[index]!.name === merged[index - 2]!.name;
    if (continues) continue;
    // merged[start .. index-1] alternates between two names.
    if (index - 1 - start >= minAlternations) runs.push(merged.slice(start, index));
    start = index - 1;
  }
  return runs;
}

function toFinding(run: AgentStep[], how: string): Finding {
  const [first, second] = run;
  return {
    kind: 'handoff_ping_pong',
    spanIds: run.flatMap((step) => step.spanIds),
    message:
      `agents ${quote(first?.name ?? '')} and ${quote(second?.name ?? '')} handed off to each other ` +
      `${run.length - 1} times in a row (${how})`,
  };
}

export function detectHandoffPingPong(tree: SpanTree, thresholds: DetectorThresholds): Finding[] {
  const findings: Finding[] = [];
  const minAlternations = thresholds.handoffMinAlternations;
  const isAgent = (span: AnalysisSpan) => span.spanType === 'agent';

  const siblingLists: AnalysisSpan[][] = [tree.tops];
  for (const [parentId, children] of tree.children) {
    const parent = tree.byId.get(parentId);
    if (parent !== undefined && !isAgent(parent)) siblingLists.push(children);
  }
  for (const siblings of siblingLists) {
    const steps = siblings.filter(isAgent).map((span) => ({ name: agentName(span), spanIds: [span.spanId] }));
    if (steps.length <= minAlternations) continue;
    for (const run of alternatingRuns(steps, minAlternations)) findings.push(toFinding(run, 'one after another'));
  }

  // Nested: follow each chain of agent spans down the tree. A chain ends where it forks, so an
  // agent that calls several sub-agents is not read as one long chain.
  const nearestAgent = nearestAncestors(tree, isAgent);
  const chainSteps = new Map<string, AgentStep[]>();
  const agentChildren = new Map<string, number>();
  for (const span of tree.preorder) {
    if (!isAgent(span)) continue;
    const above = nearestAgent.get(span.spanId) ?? null;
    if (above !== null) agentChildren.set(above.spanId, (agentChildren.get(above.spanId) ?? 0) + 1);
  }
  for (const span of tree.preorder) {
    if (!isAgent(span)) continue;
    const above = nearestAgent.get(span.spanId) ?? null;
    // A single-child chain is handed down (moved, not copied) so deep chains stay linear.
    const inherited = above !== null && agentChildren.get(above.spanId) === 1 ? chainSteps.get(above.spanId) : undefined;
    if (above !== null) chainSteps.delete(above.spanId);
    const steps = inherited ?? [];
    steps.push({ name: agentName(span), spanIds: [span.spanId] });
    chainSteps.set(span.spanId, steps);
    const endsHere = (agentChildren.get(span.spanId) ?? 0) !== 1;
    if (endsHere && steps.length > minAlternations) {
      for (const run of alternatingRuns(steps, minAlternations)) findings.push(toFinding(run, 'each inside the other'));
    }
  }
  return findings;
}

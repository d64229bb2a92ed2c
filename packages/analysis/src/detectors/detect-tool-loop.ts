// tool_loop: the same tool called with the same or nearly the same arguments N or more times in a
// row under one parent — the "comb" in the timeline, an agent that does not notice it already
// has the answer. Tool calls nested in a model-call span count under that span's parent (some
// frameworks record tool execution inside the step). Calls must follow one another: a parallel
// fan-out of identical calls is not a loop. Calls whose arguments are unknown never match.

import type { AnalysisSpan } from '../analysis-span.js';
import type { DetectorThresholds } from '../detector-thresholds.js';
import type { Finding } from '../finding.js';
import { isModelCall, quote } from '../internal/span-facts.js';
import type { SpanTree } from '../span-tree.js';
import { sameToolArguments, toolArguments, type ToolArguments } from '../tool-arguments.js';

interface ToolCall {
  span: AnalysisSpan;
  tool: string;
  arguments: ToolArguments | null;
}

function loopParent(tree: SpanTree, span: AnalysisSpan): string {
  let parentId = span.parentSpanId ?? '';
  const parent = tree.byId.get(parentId);
  if (parent !== undefined && isModelCall(parent)) parentId = parent.parentSpanId ?? '';
  return parentId;
}

/** The next call starts after the previous one ended (half of the shorter one may overlap, for skew). */
function follows(previous: AnalysisSpan, next: AnalysisSpan): boolean {
  const previousDuration = previous.endTimeUnixNano - previous.startTimeUnixNano;
  const nextDuration = next.endTimeUnixNano - next.startTimeUnixNano;
  const tolerance = (previousDuration < nextDuration ? previousDuration : nextDuration) / 2n;
  return next.startTimeUnixNano >= previous.endTimeUnixNano - (tolerance > 0n ? tolerance : 0n);
}

export function detectToolLoops(tree: SpanTree, thresholds: DetectorThresholds): Finding[] {
  const byParent = new Map<string, ToolCall[]>();
  for (const span of tree.preorder) {
    if (span.spanType !== 'tool') continue;
    const key = loopParent(tree, span);
    const call: ToolCall = { span, tool: span.toolName ?? span.name, arguments: toolArguments(span) };
    const calls = byParent.get(key);
    if (calls === undefined) byParent.set(key, [call]);
    else calls.push(call);
  }
  const findings: Finding[] = [];
  const report = (run: ToolCall[]) => {
    if (run.length < thresholds.toolLoopMinCalls) return;
    const first = run[0]!;
    const exact = run.every((call) => call.arguments?.text === first.arguments?.text);
    findings.push({
      kind: 'tool_loop',
      spanIds: run.map((call) => call.span.spanId),
      message:
        `tool ${quote(first.tool)} was called ${run.length} times in a row with ${exact ? 'the same' : 'nearly the same'} ` +
        `arguments ${quote(first.arguments?.text ?? '', 120)}`,
    });
  };
  for (const calls of byParent.values()) {
    calls.sort((left, right) => (left.span.startTimeUnixNano < right.span.startTimeUnixNano ? -1 : 1));
    let run: ToolCall[] = [];
    for (const call of calls) {
      const first = run[0];
      const previous = run[run.length - 1];
      const continues =
        first !== undefined &&
        previous !== undefined &&
        call.tool === first.tool &&
        follows(previous.span, call.span) &&
        sameToolArguments(first.arguments, call.arguments, thresholds.toolLoopMinSimilarity);
      if (continues) {
        run.push(call);
        continue;
      }
      report(run);
      run = [call];
    }
    report(run);
  }
  return findings;
}

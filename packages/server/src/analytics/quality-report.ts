// The instrumentation-quality report: per service, what the store's statistics say is wrong with
// the instrumentation, with counts, one trace to look at, and what to change in the app.
// Pure: the store counts (TraceStore.qualityStats), this decides what is an issue and says why.

import type { CountWithExample, ServiceQualityStats } from '@cairn/storage';

export const QUALITY_ISSUE_KINDS = [
  'high_cardinality_span_names',
  'model_call_without_model',
  'model_call_without_tokens',
  'model_call_without_prompt_version',
  'monolithic_spans',
  'orphan_spans',
  'multiple_roots',
] as const;
export type QualityIssueKind = (typeof QUALITY_ISSUE_KINDS)[number];

export interface QualityIssue {
  kind: QualityIssueKind;
  /** warning: data is wrong or missing (propagation, tokens); info: it could be more useful. */
  severity: 'warning' | 'info';
  count: number;
  exampleTraceId: string | null;
  exampleSpanName: string | null;
  /** What was seen. */
  message: string;
  /** What to change in the instrumented app. */
  fix: string;
}

export interface ServiceQualityReport {
  service: string;
  spans: number;
  traces: number;
  modelCalls: number;
  issues: QualityIssue[];
}

export interface QualityThresholds {
  /** A name pattern with more distinct names than this is high-cardinality. Default 100. */
  highCardinalityMinNames: number;
  /** A pattern whose masked part is an id (`{id}`) flags from this many distinct names. Default 10. */
  idInNameMinNames: number;
  monolithicMinMs: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = { highCardinalityMinNames: 100, idInNameMinNames: 10, monolithicMinMs: 10_000 };

function issue(
  kind: QualityIssueKind,
  severity: QualityIssue['severity'],
  count: CountWithExample,
  message: string,
  fix: string,
): QualityIssue[] {
  if (count.count === 0) return [];
  return [{ kind, severity, count: count.count, exampleTraceId: count.exampleTraceId, exampleSpanName: count.exampleSpanName, message, fix }];
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function buildQualityReport(stats: readonly ServiceQualityStats[], thresholds: QualityThresholds = DEFAULT_QUALITY_THRESHOLDS): ServiceQualityReport[] {
  return stats.map((service) => {
    const issues: QualityIssue[] = [];
    for (const pattern of service.namePatterns) {
      const many = pattern.distinctNames > thresholds.highCardinalityMinNames;
      const ids = pattern.pattern.includes('{id}') && pattern.distinctNames >= thresholds.idInNameMinNames;
      if (!many && !ids) continue;
      issues.push({
        kind: 'high_cardinality_span_names',
        severity: 'warning',
        count: pattern.distinctNames,
        exampleTraceId: pattern.exampleTraceId,
        exampleSpanName: pattern.exampleName,
        message: `${plural(pattern.distinctNames, 'distinct span name')} (${plural(pattern.spans, 'span')}) follow the pattern "${pattern.pattern}"`,
        fix: `Name the span after the operation, not the request: use "${pattern.pattern.replaceAll('{id}', '{…}')}" as a route template (e.g. "GET /orders/{id}") and put the id in an attribute such as url.path or app.order_id.`,
      });
    }
    const calls = (count: CountWithExample) => `${count.count} of ${service.modelCalls} model calls`;
    issues.push(
      ...issue('model_call_without_model', 'warning', service.modelCallsWithoutModel, `${calls(service.modelCallsWithoutModel)} name no model`,
        'Set gen_ai.request.model (and gen_ai.response.model from the response) on every model-call span; cost and the by-model dashboard need it.'),
      ...issue('model_call_without_tokens', 'warning', service.modelCallsWithoutTokens, `${calls(service.modelCallsWithoutTokens)} report no token usage`,
        'Record gen_ai.usage.input_tokens and gen_ai.usage.output_tokens from the provider response (for streams, ask for usage in the last chunk, e.g. stream_options.include_usage).'),
      ...issue('model_call_without_prompt_version', 'info', service.modelCallsWithoutPromptVersion, `${calls(service.modelCallsWithoutPromptVersion)} carry no prompt version`,
        'Set gen_ai.prompt.version (or cairn.prompt.version) to the version of the prompt template, so runs can be compared by prompt version.'),
      ...issue('monolithic_spans', 'info', service.monolithicSpans,
        `${plural(service.monolithicSpans.count, 'span')} ran ${thresholds.monolithicMinMs / 1000} s or longer without any child span`,
        'Wrap the steps inside these spans (model calls, tool calls, HTTP and database calls) in child spans, or enable the instrumentation for the libraries they use, so the time can be attributed.'),
      ...issue('orphan_spans', 'warning', service.orphanSpans, `${plural(service.orphanSpans.count, 'span')} point at a parent span that never arrived`,
        'Make sure every process exports its spans (flush on shutdown) and that the parent context is propagated (W3C traceparent) to the process that creates these spans.'),
      ...issue('multiple_roots', 'warning', service.multiRootTraces, `${plural(service.multiRootTraces.count, 'trace')} have more than one root span`,
        'Start the later work inside the active context (context.with / startActiveSpan), or pass the parent context explicitly across async boundaries and queues.'),
    );
    return { service: service.service, spans: service.spans, traces: service.traces, modelCalls: service.modelCalls, issues };
  });
}

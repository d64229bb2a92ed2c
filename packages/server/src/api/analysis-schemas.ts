// Response records of the analytics endpoints (trace analysis and trace diff) as zod schemas,
// registered with the same registry as api-schemas.ts so they appear in the OpenAPI document.

import { FINDING_KINDS } from '@cairn/analysis';
import { z } from 'zod';
import { component, count, nanos } from './api-schemas.js';

export const ApiFinding = component(
  z.object({
    kind: z.enum(FINDING_KINDS),
    spanIds: z.array(z.string()).describe('The spans involved, in time order.'),
    message: z.string().describe('What happened and where, in one sentence.'),
  }),
  'Finding',
  'Something a detector flagged in a trace; see docs/analytics.md for each kind and its thresholds.',
);

export const ApiRootCause = component(
  z.object({ spanId: z.string(), message: z.string() }),
  'RootCause',
  'The earliest span on the causal chain of a failure: the deepest, earliest-ending failed or error-like span.',
);

export const ApiCriticalPathSection = component(
  z.object({
    spanId: z.string(),
    startTimeUnixNano: nanos('Start of the stretch (clamped into the parent for clock skew).'),
    endTimeUnixNano: nanos('End of the stretch.'),
  }),
  'CriticalPathSection',
  'A stretch of time on the critical path during which this span (not its children) held it up.',
);

export const ApiTraceAnalysis = component(
  z.object({
    traceId: z.string(),
    criticalPath: z.array(z.string()).describe('Span ids on the critical path, root first.'),
    criticalPathSections: z.array(ApiCriticalPathSection).describe('The critical path in time order.'),
    findings: z.array(ApiFinding),
    rootCause: ApiRootCause.nullable().describe('null unless some span failed (status error).'),
    selfTimeMs: z
      .record(z.string(), z.number())
      .describe('Self time of each span in milliseconds: its duration minus the time covered by its children.'),
    analysisVersion: count.describe('Version of the detectors; findings differ between versions.'),
  }),
  'TraceAnalysis',
  'Critical path, self time, detector findings and root-cause hint of one trace, computed on request.',
);

const deltas = z.object({
  durationMs: z.number(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number(),
});

export const ApiSpanAlignment = component(
  z.object({
    path: z.string().describe('Ancestral path of span-type:label#occurrence steps, e.g. "agent:support#0/tool:search#1".'),
    spanType: z.string(),
    label: z.string().describe('Tool name, agent name, model-call operation, or span name.'),
    a: z.string().nullable().describe('Span id in trace a; null when added.'),
    b: z.string().nullable().describe('Span id in trace b; null when removed.'),
    changes: z
      .array(
        z.object({
          field: z.enum(['name', 'model', 'status', 'toolName', 'agentName', 'arguments', 'spanType']),
          a: z.string().nullable(),
          b: z.string().nullable(),
        }),
      )
      .describe('Fields that differ (never durations, tokens or cost: those are in deltas).'),
    deltas: deltas.describe('b − a, for this span alone; tokens and cost count on model calls only.'),
  }),
  'SpanAlignment',
  'A span of trace a aligned with a span of trace b.',
);

const toolCall = z.object({
  spanId: z.string(),
  toolName: z.string(),
  arguments: z.string().nullable().describe('Canonical JSON (sorted keys) or text; null when not in the span list.'),
  status: z.string(),
});

const totals = z.object({
  spanCount: z.number(),
  errorCount: z.number(),
  modelCalls: z.number(),
  toolCalls: z.number(),
  durationMs: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
});

export const ApiTraceDiff = component(
  z.object({
    a: z.string().describe('Trace id a (the baseline).'),
    b: z.string().describe('Trace id b.'),
    added: z.array(ApiSpanAlignment).describe('Spans only in b.'),
    removed: z.array(ApiSpanAlignment).describe('Spans only in a.'),
    changed: z.array(ApiSpanAlignment),
    unchanged: z.array(ApiSpanAlignment),
    toolCalls: z.object({ a: z.array(toolCall), b: z.array(toolCall) }).describe('Tool calls of each trace in time order.'),
    totals: z.object({ a: totals, b: totals, delta: totals.describe('b − a.') }),
  }),
  'TraceDiff',
  'Span-by-span alignment of two traces with token, cost and duration deltas.',
);

export type ApiTraceAnalysisRecord = z.output<typeof ApiTraceAnalysis>;
export type ApiTraceDiffRecord = z.output<typeof ApiTraceDiff>;

// SQL of qualityStats: per-service instrumentation statistics over spans starting in a window.
// Four statements (service totals with model-call gaps, name patterns, childless long spans,
// propagation gaps), merged per service by duckdb-analytics.ts.
// Parents start before their children, so lookups of parents and children scan from the window
// start minus PARENT_GRACE_NANOS (a parent that started earlier still counts as present).

import type { QualityQuery } from '@cairn/storage';
import { millisToNanos } from '@cairn/model';
import { SPAN_NAME_ID_REGEX } from '@cairn/storage';
import { promptVersionSql } from './metrics-sql.js';
import type { SqlParams } from './sql-params.js';

export const PARENT_GRACE_NANOS = 3_600_000_000_000n;
export const MAX_PATTERNS_PER_SERVICE = 20;

function windowOf(query: QualityQuery, params: SqlParams, alias = ''): string {
  return `${alias}project_id = ${params.text(query.projectId)} AND ${alias}start_ns >= ${params.bigint(query.fromUnixNano)} AND ${alias}start_ns < ${params.bigint(query.toUnixNano)}`;
}

/** count, example trace, example name of the rows matching `condition`. */
function counted(condition: string): string {
  return `count(*) FILTER (WHERE ${condition}), arg_min(trace_id, start_ns) FILTER (WHERE ${condition}), arg_min(name, start_ns) FILTER (WHERE ${condition})`;
}

/** service, spans, traces, model calls, then 3 × counted(): without model, tokens, prompt version. */
export function serviceTotalsSql(query: QualityQuery, params: SqlParams): string {
  return `SELECT service_name, count(*), count(DISTINCT trace_id), count(*) FILTER (WHERE model_call),
      ${counted('model_call AND model IS NULL AND request_model IS NULL')},
      ${counted('model_call AND NOT coalesce(has_usage, false)')},
      ${counted('model_call AND prompt_version IS NULL')}
    FROM (SELECT service_name, trace_id, name, start_ns, model, request_model, has_usage,
            span_type IN ('llm', 'embedding') AS model_call, ${promptVersionSql(params)} AS prompt_version
          FROM spans WHERE ${windowOf(query, params)})
    GROUP BY service_name ORDER BY service_name`;
}

/** service, pattern, distinct names, spans, example name, example trace. */
export function namePatternsSql(query: QualityQuery, params: SqlParams): string {
  return `SELECT service_name, pattern, count(DISTINCT name) AS names, count(*), min(name), arg_min(trace_id, name)
    FROM (SELECT service_name, name, trace_id, regexp_replace(name, ${params.text(SPAN_NAME_ID_REGEX)}, '{id}', 'g') AS pattern
          FROM spans WHERE ${windowOf(query, params)})
    GROUP BY service_name, pattern HAVING count(DISTINCT name) >= 2
    QUALIFY row_number() OVER (PARTITION BY service_name ORDER BY names DESC, pattern) <= ${MAX_PATTERNS_PER_SERVICE}`;
}

function nearbySpans(query: QualityQuery, params: SqlParams): string {
  return `SELECT trace_id, span_id, parent_span_id FROM spans
    WHERE project_id = ${params.text(query.projectId)} AND start_ns >= ${params.bigint(query.fromUnixNano - PARENT_GRACE_NANOS)}`;
}

/** service, counted() of monolithic spans. */
export function monolithicSql(query: QualityQuery, params: SqlParams): string {
  return `SELECT service_name, ${counted('true')}
    FROM spans s WHERE ${windowOf(query, params, 's.')}
      AND coalesce(s.span_type, '') NOT IN ('llm', 'embedding')
      AND s.end_ns - s.start_ns >= ${params.bigint(millisToNanos(query.monolithicMinDurationMs))}
      AND NOT EXISTS (SELECT 1 FROM (${nearbySpans(query, params)}) c WHERE c.trace_id = s.trace_id AND c.parent_span_id = s.span_id)
    GROUP BY service_name`;
}

/** service, counted() of orphans. */
export function orphansSql(query: QualityQuery, params: SqlParams): string {
  return `SELECT service_name, ${counted('true')}
    FROM spans s WHERE ${windowOf(query, params, 's.')} AND s.parent_span_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM (${nearbySpans(query, params)}) p WHERE p.trace_id = s.trace_id AND p.span_id = s.parent_span_id)
    GROUP BY service_name`;
}

/** service (of the trace's first root), count of traces with several roots, example trace. */
export function multiRootSql(query: QualityQuery, params: SqlParams): string {
  return `SELECT service, count(*), min(trace_id), arg_min(root_name, trace_id) FROM (
      SELECT trace_id, arg_min(service_name, start_ns) AS service, arg_min(name, start_ns) AS root_name FROM spans
      WHERE ${windowOf(query, params)} AND parent_span_id IS NULL
      GROUP BY trace_id HAVING count(*) > 1
    ) GROUP BY service`;
}

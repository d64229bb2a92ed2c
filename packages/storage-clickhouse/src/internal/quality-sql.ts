// SQL of qualityStats on ClickHouse: per-service statistics over distinct spans starting in a
// window (service totals with model-call gaps, name patterns, childless long spans, propagation
// gaps). Parent/child lookups read the *local* spans table from the window start minus an hour:
// a trace lives on one shard, so each shard answers for its own traces.

import type { QualityQuery } from '@cairn/storage';
import { millisToNanos } from '@cairn/model';
import { SPAN_NAME_ID_REGEX } from '@cairn/storage';
import { promptVersionSql, spansOnceSql } from './analytics-sql.js';
import type { TableNames } from './schema.js';
import { text, uint64 } from './sql-literal.js';

const PARENT_GRACE_NANOS = 3_600_000_000_000n;
const MAX_PATTERNS_PER_SERVICE = 20;

const QUALITY_COLUMNS = [
  ['parent_span_id', 's_parent'],
  ['start_ns', 's_start'],
  ['end_ns', 's_end'],
  ['name', 's_name'],
  ['service_name', 's_service'],
  ['span_type', 's_type'],
  ['model', 's_model'],
  ['request_model', 's_request_model'],
  ['has_usage', 's_has_usage'],
] as const;

function spansInWindow(query: QualityQuery, tables: TableNames, extra: readonly (readonly [string, string])[] = []): string {
  const where = `project_id = ${text(query.projectId)} AND start_ns >= ${uint64(query.fromUnixNano)} AND start_ns < ${uint64(query.toUnixNano)}`;
  return spansOnceSql(tables.spans, where, [...QUALITY_COLUMNS, ...extra]);
}

function nearbyLocal(query: QualityQuery, tables: TableNames, columns: string): string {
  return `SELECT ${columns} FROM ${tables.spansLocal}
    WHERE project_id = ${text(query.projectId)} AND start_ns >= ${uint64(query.fromUnixNano - PARENT_GRACE_NANOS)}`;
}

/** count, example trace, example name of the rows matching `condition`. */
function counted(condition: string): string {
  return `countIf(${condition}), argMinIf(trace_id, s_start, ${condition}), argMinIf(s_name, s_start, ${condition})`;
}

const MODEL_CALL = `s_type IN ('llm', 'embedding')`;

export function serviceTotalsSql(query: QualityQuery, tables: TableNames): string {
  return `SELECT s_service, count(), uniqExact(trace_id), countIf(${MODEL_CALL}),
      ${counted(`${MODEL_CALL} AND isNull(s_model) AND isNull(s_request_model)`)},
      ${counted(`${MODEL_CALL} AND s_has_usage = 0`)},
      ${counted(`${MODEL_CALL} AND isNull(s_prompt)`)}
    FROM (${spansInWindow(query, tables, [[promptVersionSql('attributes'), 's_prompt']])})
    GROUP BY s_service ORDER BY s_service`;
}

export function namePatternsSql(query: QualityQuery, tables: TableNames): string {
  return `SELECT s_service, pattern, uniqExact(s_name) AS names, count(), min(s_name), argMin(trace_id, s_name)
    FROM (SELECT s_service, s_name, trace_id, replaceRegexpAll(s_name, ${text(SPAN_NAME_ID_REGEX)}, '{id}') AS pattern
          FROM (${spansInWindow(query, tables)}))
    GROUP BY s_service, pattern HAVING names >= 2
    ORDER BY s_service, names DESC, pattern
    LIMIT ${MAX_PATTERNS_PER_SERVICE} BY s_service`;
}

export function monolithicSql(query: QualityQuery, tables: TableNames): string {
  return `SELECT s_service, ${counted('1')} FROM (${spansInWindow(query, tables)})
    WHERE NOT (${MODEL_CALL}) AND s_end - s_start >= ${uint64(millisToNanos(query.monolithicMinDurationMs))}
      AND (trace_id, span_id) NOT IN (${nearbyLocal(query, tables, 'trace_id, parent_span_id')})
    GROUP BY s_service`;
}

export function orphansSql(query: QualityQuery, tables: TableNames): string {
  return `SELECT s_service, ${counted('1')} FROM (${spansInWindow(query, tables)})
    WHERE s_parent != '' AND (trace_id, s_parent) NOT IN (${nearbyLocal(query, tables, 'trace_id, span_id')})
    GROUP BY s_service`;
}

export function multiRootSql(query: QualityQuery, tables: TableNames): string {
  return `SELECT service, count(), min(trace_id), argMin(root_name, trace_id) FROM (
      SELECT trace_id, argMin(s_service, s_start) AS service, argMin(s_name, s_start) AS root_name
      FROM (${spansInWindow(query, tables)}) WHERE s_parent = ''
      GROUP BY trace_id HAVING count() > 1
    ) GROUP BY service`;
}

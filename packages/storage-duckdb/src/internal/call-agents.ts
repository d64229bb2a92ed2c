// The agent each model call counts for under groupBy=agent (metrics-sql.ts), kept on the model
// call's own row in spans.call_agent so the dashboard reads it from one scan instead of joining
// every model call with the agent spans of its trace on string ids at each request.
//
//   call_agent NULL   not resolved (yet, or again): the read takes the read-time path
//              ''     resolved: no agent
//              name   resolved: that agent
//
// Resolution cannot happen at write time (parents usually arrive after their children), so it
// runs in the background on spans received before a watermark — traces that have gone quiet
// (BackgroundAnalyzer) — with the read-time rule: the call's own agent name, else its parent's
// when that is an agent span, else the innermost agent span of its trace enclosing its start.
// Agent spans are looked up across the whole trace. A trace that changes later (a late agent
// span, updateSpanSemantics) has its calls reset to NULL and resolved again.

import type { CallAgentResolveRequest } from '@cairn/storage';
import { SqlParams } from './sql-params.js';
import { tracesWindow } from './json-rows-sql.js';

type Row = unknown[];
type RunSql = (sql: string, params: SqlParams) => Promise<Row[]>;

/** Added without a schema bump: older stores gain it NULL everywhere (all unresolved). */
export const CALL_AGENT_SCHEMA_SQL = `ALTER TABLE spans ADD COLUMN IF NOT EXISTS call_agent VARCHAR`;

const MODEL_CALL = `span_type IN ('llm', 'embedding')`;

function unresolvedSql(params: SqlParams, request: CallAgentResolveRequest): string {
  const since = request.receivedSinceUnixNano === undefined ? '' : ` AND received_ns >= ${params.bigint(request.receivedSinceUnixNano)}`;
  return `call_agent IS NULL AND ${MODEL_CALL} AND received_ns < ${params.bigint(request.receivedBeforeUnixNano)}${since}`;
}

/**
 * Fills call_agent of unresolved model calls received before the watermark; returns how many
 * rows were set. Runs on the writer connection inside the store's write turn.
 */
export async function resolveCallAgents(write: RunSql, request: CallAgentResolveRequest): Promise<number> {
  // Where the traces of the unresolved calls have spans: their agent spans are read within these
  // start times only (zone maps on start_ns), whatever the query windows later.
  const bounds = new SqlParams();
  const [window] = await write(
    `SELECT min(min_start_ns), max(max_start_ns) FROM trace_parts
     WHERE trace_id IN (SELECT trace_id FROM spans WHERE ${unresolvedSql(bounds, request)})`,
    bounds,
  );
  const [minStart, maxStart] = (window ?? [null, null]) as [bigint | null, bigint | null];
  if (minStart === null || maxStart === null) return 0;
  const params = new SqlParams();
  const limit = request.limit === undefined ? '' : `LIMIT ${Math.max(1, Math.trunc(request.limit))}`;
  // One row per call (a span stored twice is resolved once, both rows set). As at read time: a
  // hash join with the parent first; only the calls left take the range join with their trace's
  // agent spans (joining every call with every agent of its trace grows with their product).
  const rows = await write(
    `UPDATE spans SET call_agent = r.agent
     FROM (
       WITH todo AS (
         SELECT project_id, trace_id, span_id, any_value(parent_span_id) AS parent_span_id,
           any_value(agent_name) AS agent_name, any_value(start_ns) AS start_ns
         FROM spans WHERE ${unresolvedSql(params, request)}
         GROUP BY project_id, trace_id, span_id ${limit}
       ),
       agents AS (
         SELECT project_id, trace_id, span_id, agent_name, start_ns, end_ns FROM spans
         WHERE span_type = 'agent' AND start_ns >= ${params.bigint(minStart)} AND start_ns <= ${params.bigint(maxStart)}
           AND trace_id IN (SELECT trace_id FROM todo)
       ),
       by_parent AS (
         SELECT t.project_id, t.trace_id, t.span_id, any_value(t.start_ns) AS start_ns,
           CASE WHEN any_value(t.agent_name) IS NOT NULL THEN any_value(t.agent_name)
             WHEN bool_or(p.span_id IS NOT NULL) THEN coalesce(any_value(p.agent_name), '') END AS agent
         FROM todo t LEFT JOIN agents p ON p.project_id = t.project_id AND p.trace_id = t.trace_id AND p.span_id = t.parent_span_id
         GROUP BY t.project_id, t.trace_id, t.span_id
       ),
       by_time AS (
         SELECT c.project_id, c.trace_id, c.span_id, coalesce(arg_max(a.agent_name, a.start_ns), '') AS agent
         FROM (SELECT * FROM by_parent WHERE agent IS NULL) c
         LEFT JOIN agents a ON a.project_id = c.project_id AND a.trace_id = c.trace_id AND a.start_ns <= c.start_ns AND c.start_ns < a.end_ns
         GROUP BY c.project_id, c.trace_id, c.span_id
       )
       SELECT project_id, trace_id, span_id, agent FROM by_parent WHERE agent IS NOT NULL
       UNION ALL
       SELECT project_id, trace_id, span_id, agent FROM by_time
     ) AS r
     WHERE ${unresolvedSql(params, request)}
       AND spans.project_id = r.project_id AND spans.trace_id = r.trace_id AND spans.span_id = r.span_id`,
    params,
  );
  return Number((rows[0]?.[0] as bigint | number | undefined) ?? 0);
}

/** Sets call_agent of these traces' spans back to NULL (unresolved), on the writer connection. */
export async function resetCallAgents(write: RunSql, projectId: string, traceIds: readonly string[]): Promise<void> {
  const unique = [...new Set(traceIds)];
  if (unique.length === 0) return;
  const window = await tracesWindow(write, unique);
  if (!window) return;
  const { params } = window;
  await write(
    `UPDATE spans SET call_agent = NULL
     WHERE ${window.where} AND call_agent IS NOT NULL AND project_id = ${params.text(projectId)}
       AND trace_id IN (SELECT unnest(${params.textList(unique)}))`,
    params,
  );
}

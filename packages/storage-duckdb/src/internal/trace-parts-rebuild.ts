// updateSpanSemantics on DuckDB changes what trace_parts summarize (types, models, tokens, cost):
// the touched traces' parts are rebuilt from their spans with the write path's own builder.

import type { SpanRecord } from '@cairn/model';
import { jsonRowsSql, tracesWindow } from './json-rows-sql.js';
import { SqlParams } from './sql-params.js';
import type { PartSpan } from './trace-part.js';
import { buildTraceParts, tracePartCells } from './trace-part.js';

type Row = unknown[];
type RunSql = (sql: string, params: SqlParams) => Promise<Row[]>;

const TRACE_PART_COLUMNS: readonly (readonly [string, string])[] = [
  ['project_id', 'VARCHAR'],
  ['trace_id', 'VARCHAR'],
  ['min_start_ns', 'BIGINT'],
  ['max_start_ns', 'BIGINT'],
  ['max_end_ns', 'BIGINT'],
  ['has_root', 'BOOLEAN'],
  ['root_name', 'VARCHAR'],
  ['root_service', 'VARCHAR'],
  ['first_service', 'VARCHAR'],
  ['span_count', 'INTEGER'],
  ['error_count', 'INTEGER'],
  ['llm_calls', 'INTEGER'],
  ['tool_calls', 'INTEGER'],
  ['input_tokens', 'DOUBLE'],
  ['output_tokens', 'DOUBLE'],
  ['cost_usd', 'DOUBLE'],
  ['models', 'VARCHAR[]'],
  ['agents', 'VARCHAR[]'],
  ['tools', 'VARCHAR[]'],
  ['services', 'VARCHAR[]'],
  ['span_types', 'VARCHAR[]'],
  ['providers', 'VARCHAR[]'],
  ['session_id', 'VARCHAR'],
  ['session_start_ns', 'BIGINT'],
  ['user_id', 'VARCHAR'],
  ['user_start_ns', 'BIGINT'],
  ['batch_seq', 'BIGINT'],
  ['max_received_ns', 'BIGINT'],
  ['trace_key', 'UINTEGER'],
];

/**
 * Replaces the trace_parts rows of these traces with parts rebuilt from their spans, one per
 * (trace, batch_seq) as the write path made them (inside the caller's write transaction).
 */
export async function rebuildTraceParts(write: RunSql, traces: readonly [projectId: string, traceId: string][]): Promise<void> {
  const traceIds = [...new Set(traces.map(([, traceId]) => traceId))];
  const window = await tracesWindow(write, traceIds);
  if (!window) return;
  const wanted = new Set(traces.map(([projectId, traceId]) => `${projectId}\u0000${traceId}`));
  const { params } = window;
  const rows = await write(
    `SELECT project_id, trace_id, span_id, name, parent_span_id, start_ns, end_ns, status_code, span_type,
       input_tokens, output_tokens, cost_usd, model, agent_name, tool_name, provider, service_name, session_id, user_id, batch_seq, received_ns
     FROM spans WHERE ${window.where} AND trace_id IN (SELECT unnest(${params.textList(traceIds)}))`,
    params,
  );
  const byBatch = new Map<bigint, PartSpan[]>();
  for (const row of rows) {
    if (!wanted.has(`${row[0] as string}\u0000${row[1] as string}`)) continue;
    const seq = row[19] as bigint;
    const list = byBatch.get(seq) ?? [];
    list.push(partSpanOfRow(row));
    byBatch.set(seq, list);
  }
  const parts: Record<string, unknown>[] = [];
  for (const [seq, spans] of byBatch) {
    for (const part of buildTraceParts(spans)) {
      const cells = tracePartCells(part, seq);
      parts.push(Object.fromEntries(TRACE_PART_COLUMNS.map(([name], index) => [name, cells[index]])));
    }
  }
  const remove = new SqlParams();
  await write(
    `DELETE FROM trace_parts USING (SELECT unnest(${remove.textList(traces.map(([projectId]) => projectId))}) AS w_project,
         unnest(${remove.textList(traces.map(([, traceId]) => traceId))}) AS w_trace) AS w
     WHERE trace_parts.project_id = w.w_project AND trace_parts.trace_id = w.w_trace`,
    remove,
  );
  const insert = new SqlParams();
  const columns = TRACE_PART_COLUMNS.map(([name]) => name).join(', ');
  await write(`INSERT INTO trace_parts (${columns}) SELECT ${columns} FROM (${jsonRowsSql(insert, TRACE_PART_COLUMNS, parts)})`, insert);
}

function partSpanOfRow(row: Row): PartSpan {
  const statusCodes = ['unset', 'ok', 'error'] as const;
  return {
    projectId: row[0] as string,
    traceId: row[1] as string,
    spanId: row[2] as string,
    name: row[3] as string,
    parentSpanId: row[4] as string | null,
    startTimeUnixNano: row[5] as bigint,
    endTimeUnixNano: row[6] as bigint,
    status: { code: statusCodes[row[7] as number] ?? 'unset', message: '' },
    spanType: row[8] as SpanRecord['spanType'],
    usage: { inputTokens: row[9] as number, outputTokens: row[10] as number, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
    costUsd: row[11] as number | null,
    model: row[12] as string | null,
    agentName: row[13] as string | null,
    toolName: row[14] as string | null,
    provider: row[15] as string | null,
    serviceName: row[16] as string,
    sessionId: row[17] as string | null,
    userId: row[18] as string | null,
    receivedUnixNano: row[20] as bigint,
  };
}

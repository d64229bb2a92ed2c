// scanSpans and updateSpanSemantics on DuckDB (what `cairn prices recompute` and `cairn renormalize`
// run). Scans page by keyset on (start_ns, project_id, trace_id, span_id) — columns an update
// never changes — so every span is seen once while batches are rewritten between pages.
//
// An update is one transaction on the writer connection (queued with the span writes):
//   UPDATE spans ← new semantic columns, joined on (project, trace, span) within the window of the
//                  touched traces (trace_parts says which batches and start times hold them)
//   trace_parts  ← every part of a touched trace replaced by parts rebuilt from its spans, one per
//                  (trace, batch_seq) as the write path made them, so batch-pruned reads still work.

import type { SpanEvent, SpanRecord } from '@cairn/model';
import { decodeStoredAttributes } from '@cairn/model';
import type { SpanScanQuery, SpanSemanticsUpdateResult, StoredSpan } from '@cairn/storage';
import { decodeEvent, encodeSemanticExtras } from '@cairn/storage/adapter-kit';
import type { DecodedSpanRow } from './span-row.js';
import { SPAN_JSON_SELECT } from './span-row.js';
import { SqlParams } from './sql-params.js';
import type { PartSpan } from './trace-part.js';
import { buildTraceParts, tracePartCells } from './trace-part.js';

/** Columns the semantic layer owns, added without a schema bump (NULL on rows written before). */
export const SPAN_SEMANTICS_SCHEMA_SQL = [
  // The optional SpanSemantics fields (adapter-kit semantic-extras-json.ts); NULL: none.
  `ALTER TABLE spans ADD COLUMN IF NOT EXISTS semantics VARCHAR`,
  // NORMALIZER_VERSION that made the row's semantic columns; NULL: before versions were recorded.
  `ALTER TABLE spans ADD COLUMN IF NOT EXISTS normalizer_version UINTEGER`,
];

type Row = unknown[];
type RunSql = (sql: string, params: SqlParams) => Promise<Row[]>;

export interface SpanRewriteParts {
  /** A read on the reader pool. */
  read: RunSql;
  /** A statement on the writer connection; the caller holds the store's write turn. */
  write: RunSql;
  /** Rows of SPAN_JSON_SELECT decoded, origins loaded. */
  decodeRows(cells: Row[]): Promise<DecodedSpanRow[]>;
}

const STATUS_NUMBER = { unset: 0, ok: 1, error: 2 } as const;

/** The UPDATE's value columns and their types, as the JSON parameter carries them. */
const UPDATE_COLUMNS: readonly (readonly [string, string])[] = [
  ['project_id', 'VARCHAR'],
  ['trace_id', 'VARCHAR'],
  ['span_id', 'VARCHAR'],
  ['span_type', 'VARCHAR'],
  ['model', 'VARCHAR'],
  ['request_model', 'VARCHAR'],
  ['provider', 'VARCHAR'],
  ['operation', 'VARCHAR'],
  ['agent_name', 'VARCHAR'],
  ['tool_name', 'VARCHAR'],
  ['tool_call_id', 'VARCHAR'],
  ['session_id', 'VARCHAR'],
  ['user_id', 'VARCHAR'],
  ['input_tokens', 'DOUBLE'],
  ['output_tokens', 'DOUBLE'],
  ['cache_read_tokens', 'DOUBLE'],
  ['cache_write_tokens', 'DOUBLE'],
  ['reasoning_tokens', 'DOUBLE'],
  ['has_usage', 'BOOLEAN'],
  ['cost_usd', 'DOUBLE'],
  ['input_preview', 'VARCHAR'],
  ['output_preview', 'VARCHAR'],
  ['dialects', 'VARCHAR'],
  ['semantics', 'VARCHAR'],
  ['status_code', 'UTINYINT'],
  ['status_message', 'VARCHAR'],
  ['normalizer_version', 'UINTEGER'],
];

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
];

/** Rows as one JSON parameter, unnested into columns: `SELECT unnest(from_json(…))`. */
export function jsonRowsSql(params: SqlParams, columns: readonly (readonly [string, string])[], rows: readonly Record<string, unknown>[]): string {
  const structure = `[{${columns.map(([name, type]) => `"${name}":"${type}"`).join(',')}}]`;
  // BIGINTs travel as strings (every digit kept), non-finite doubles as "NaN" / "Infinity".
  const json = JSON.stringify(rows, (_key, value: unknown) =>
    typeof value === 'bigint' || (typeof value === 'number' && !Number.isFinite(value)) ? String(value) : value,
  );
  return `SELECT unnest(from_json(${params.text(json)}::JSON, ${params.text(structure)}), recursive := true)`;
}

export interface SpanKey {
  projectId: string;
  traceId: string;
  spanId: string;
}

export function spanKey(projectId: string, traceId: string, spanId: string): string {
  return `${projectId}\u0000${traceId}\u0000${spanId}`;
}

function updateRow(span: StoredSpan, normalizerVersion: number): Record<string, unknown> {
  return {
    project_id: span.projectId,
    trace_id: span.traceId,
    span_id: span.spanId,
    span_type: span.spanType,
    model: span.model,
    request_model: span.requestModel,
    provider: span.provider,
    operation: span.operation,
    agent_name: span.agentName,
    tool_name: span.toolName,
    tool_call_id: span.toolCallId,
    session_id: span.sessionId,
    user_id: span.userId,
    input_tokens: span.usage.inputTokens,
    output_tokens: span.usage.outputTokens,
    cache_read_tokens: span.usage.cacheReadTokens,
    cache_write_tokens: span.usage.cacheWriteTokens,
    reasoning_tokens: span.usage.reasoningTokens,
    has_usage: span.hasUsage,
    cost_usd: span.costUsd,
    input_preview: span.inputPreview,
    output_preview: span.outputPreview,
    dialects: span.dialects.length === 0 ? '' : JSON.stringify(span.dialects),
    semantics: encodeSemanticExtras(span),
    status_code: STATUS_NUMBER[span.status.code],
    status_message: span.status.message,
    normalizer_version: normalizerVersion,
  };
}

/** Where the given traces' spans are: start times and batches (from trace_parts), or null. */
async function tracesWindow(run: RunSql, traceIds: readonly string[]): Promise<{ params: SqlParams; where: string } | null> {
  const params = new SqlParams();
  const rows = await run(
    `SELECT min(min_start_ns), max(max_start_ns), min(batch_seq), max(batch_seq) FROM trace_parts
     WHERE trace_id IN (SELECT unnest(${params.textList(traceIds)}))`,
    params,
  );
  const [minStart, maxStart, minSeq, maxSeq] = rows[0] as [bigint | null, bigint | null, bigint | null, bigint | null];
  if (minStart === null || maxStart === null || minSeq === null || maxSeq === null) return null;
  const window = new SqlParams();
  return {
    params: window,
    where: `spans.batch_seq >= ${window.bigint(minSeq)} AND spans.batch_seq <= ${window.bigint(maxSeq)}
      AND spans.start_ns >= ${window.bigint(minStart)} AND spans.start_ns <= ${window.bigint(maxStart)}`,
  };
}

export class DuckDbSpanRewrite {
  constructor(private readonly parts: SpanRewriteParts) {}

  async *scan(query: SpanScanQuery): AsyncIterable<StoredSpan[]> {
    const batchSize = Math.max(1, Math.min(10_000, Math.trunc(query.batchSize)));
    let after: StoredSpan | null = null;
    for (;;) {
      const params = new SqlParams();
      const where = [`start_ns >= ${params.bigint(query.fromUnixNano)}`, `start_ns < ${params.bigint(query.toUnixNano)}`];
      if (query.projectId !== undefined) where.push(`project_id = ${params.text(query.projectId)}`);
      if (query.spanTypes !== undefined) where.push(`span_type IN (SELECT unnest(${params.textList(query.spanTypes)}))`);
      if (query.normalizerVersionBelow !== undefined) {
        where.push(`coalesce(normalizer_version, 0) < ${params.bigint(BigInt(Math.trunc(query.normalizerVersionBelow)))}`);
      }
      if (after !== null) {
        const [start, project, trace, span] = [
          params.bigint(after.startTimeUnixNano),
          params.text(after.projectId),
          params.text(after.traceId),
          params.text(after.spanId),
        ];
        where.push(
          `(start_ns > ${start} OR (start_ns = ${start} AND (project_id > ${project} OR (project_id = ${project}
            AND (trace_id > ${trace} OR (trace_id = ${trace} AND span_id > ${span}))))))`,
        );
      }
      const cells = await this.parts.read(
        `SELECT ${SPAN_JSON_SELECT} FROM spans WHERE ${where.join(' AND ')}
         ORDER BY start_ns, project_id, trace_id, span_id LIMIT ${batchSize}`,
        params,
      );
      if (cells.length === 0) return;
      const spans = await this.complete(await this.parts.decodeRows(cells));
      after = spans[spans.length - 1]!;
      yield spans;
      if (cells.length < batchSize) return;
    }
  }

  /** Stored spans by key (those found), complete as scan returns them. */
  async readByKeys(keys: readonly SpanKey[]): Promise<StoredSpan[]> {
    if (keys.length === 0) return [];
    const traceIds = [...new Set(keys.map((key) => key.traceId))];
    const window = await tracesWindow(this.parts.read, traceIds);
    if (!window) return [];
    const { params } = window;
    const cells = await this.parts.read(
      `SELECT ${SPAN_JSON_SELECT} FROM spans WHERE ${window.where}
         AND trace_id IN (SELECT unnest(${params.textList(traceIds)}))
         AND span_id IN (SELECT unnest(${params.textList(keys.map((key) => key.spanId))}))`,
      params,
    );
    const wanted = new Set(keys.map((key) => spanKey(key.projectId, key.traceId, key.spanId)));
    const rows = (await this.parts.decodeRows(cells)).filter((row) => wanted.has(spanKey(row.span.projectId, row.span.traceId, row.span.spanId)));
    return this.complete(rows);
  }

  /** Sets the stored previews of these spans (inside the caller's write turn). */
  async updatePreviews(previews: readonly (SpanKey & { inputPreview: string; outputPreview: string })[]): Promise<void> {
    if (previews.length === 0) return;
    const window = await tracesWindow(this.parts.write, [...new Set(previews.map((preview) => preview.traceId))]);
    if (!window) return;
    const { params } = window;
    const columns = [...UPDATE_COLUMNS.slice(0, 3), ['input_preview', 'VARCHAR'], ['output_preview', 'VARCHAR']] as const;
    const rows = previews.map((preview) => ({
      project_id: preview.projectId,
      trace_id: preview.traceId,
      span_id: preview.spanId,
      input_preview: preview.inputPreview,
      output_preview: preview.outputPreview,
    }));
    await this.parts.write(
      `UPDATE spans SET input_preview = u.input_preview, output_preview = u.output_preview
       FROM (${jsonRowsSql(params, columns, rows)}) AS u
       WHERE ${window.where} AND spans.trace_id = u.trace_id AND spans.span_id = u.span_id AND spans.project_id = u.project_id`,
      params,
    );
  }

  /** The decoded rows with their large attributes and their detached events merged in. */
  private async complete(rows: DecodedSpanRow[]): Promise<StoredSpan[]> {
    const spans = rows.map((row) => row.span);
    const traceIds = [...new Set(spans.map((span) => span.traceId))];
    const withPayload = rows.filter((row) => row.hasPayload).map((row) => row.span);
    const [attributes, events] = await Promise.all([this.fullAttributes(withPayload), detachedEventsOf(this.parts.read, traceIds)]);
    for (const span of spans) {
      const key = spanKey(span.projectId, span.traceId, span.spanId);
      const full = attributes.get(key);
      if (full !== undefined) span.attributes = decodeStoredAttributes(full);
      const extra = events.get(key);
      if (extra) span.events = sortByTime([...span.events, ...extra]);
    }
    return spans;
  }

  /** Stored-form attributes of the spans whose large attributes live in span_payloads. */
  private async fullAttributes(spans: readonly StoredSpan[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (spans.length === 0) return found;
    let minStart = spans[0]!.startTimeUnixNano;
    let maxStart = minStart;
    for (const span of spans) {
      if (span.startTimeUnixNano < minStart) minStart = span.startTimeUnixNano;
      if (span.startTimeUnixNano > maxStart) maxStart = span.startTimeUnixNano;
    }
    const params = new SqlParams();
    const rows = await this.parts.read(
      `SELECT project_id, trace_id, span_id, attributes FROM span_payloads
       WHERE start_ns >= ${params.bigint(minStart)} AND start_ns <= ${params.bigint(maxStart)} AND attributes IS NOT NULL
         AND trace_id IN (SELECT unnest(${params.textList([...new Set(spans.map((span) => span.traceId))])}))
         AND span_id IN (SELECT unnest(${params.textList(spans.map((span) => span.spanId))}))`,
      params,
    );
    for (const row of rows) found.set(spanKey(row[0] as string, row[1] as string, row[2] as string), row[3] as string);
    return found;
  }

  /** The update, inside the caller's write turn: one transaction over spans and trace_parts. */
  async update(spans: readonly StoredSpan[], normalizerVersion: number): Promise<SpanSemanticsUpdateResult> {
    const unique = new Map<string, StoredSpan>();
    for (const span of spans) unique.set(spanKey(span.projectId, span.traceId, span.spanId), span);
    if (unique.size === 0) return { updated: 0 };
    const traceIds = [...new Set([...unique.values()].map((span) => span.traceId))];
    const window = await tracesWindow(this.parts.write, traceIds);
    if (!window) return { updated: 0 };
    const { write } = this.parts;
    await write('BEGIN TRANSACTION', new SqlParams());
    try {
      const { params } = window;
      const rows = [...unique.values()].map((span) => updateRow(span, normalizerVersion));
      const assignments = UPDATE_COLUMNS.slice(3).map(([column]) => `${column} = u.${column}`);
      const updated = await write(
        `UPDATE spans SET ${assignments.join(', ')}
         FROM (${jsonRowsSql(params, UPDATE_COLUMNS, rows)}) AS u
         WHERE ${window.where} AND spans.trace_id = u.trace_id AND spans.span_id = u.span_id AND spans.project_id = u.project_id
         RETURNING spans.project_id, spans.trace_id`,
        params,
      );
      const touched = new Map<string, [string, string]>();
      for (const row of updated) touched.set(`${row[0] as string}\u0000${row[1] as string}`, [row[0] as string, row[1] as string]);
      if (touched.size > 0) await this.rebuildTraceParts([...touched.values()]);
      await write('COMMIT', new SqlParams());
      return { updated: updated.length };
    } catch (error) {
      await write('ROLLBACK', new SqlParams()).catch(() => undefined);
      throw error;
    }
  }

  /** Replaces the trace_parts rows of these traces with parts rebuilt from their spans. */
  private async rebuildTraceParts(traces: readonly [projectId: string, traceId: string][]): Promise<void> {
    const { write } = this.parts;
    const traceIds = [...new Set(traces.map(([, traceId]) => traceId))];
    const window = await tracesWindow(write, traceIds);
    if (!window) return;
    const wanted = new Set(traces.map(([projectId, traceId]) => `${projectId}\u0000${traceId}`));
    const { params } = window;
    const rows = await write(
      `SELECT project_id, trace_id, span_id, name, parent_span_id, start_ns, end_ns, status_code, span_type,
         input_tokens, output_tokens, cost_usd, model, agent_name, tool_name, provider, service_name, session_id, user_id, batch_seq
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
  };
}

/** Detached events of these traces by span key, in arrival order. */
export async function detachedEventsOf(run: RunSql, traceIds: readonly string[]): Promise<Map<string, SpanEvent[]>> {
  const bySpan = new Map<string, SpanEvent[]>();
  if (traceIds.length === 0) return bySpan;
  const params = new SqlParams();
  const rows = await run(
    `SELECT project_id, trace_id, span_id, event FROM detached_events WHERE trace_id IN (SELECT unnest(${params.textList(traceIds)}))`,
    params,
  );
  for (const row of rows) {
    const key = spanKey(row[0] as string, row[1] as string, row[2] as string);
    const event = decodeEvent(JSON.parse(row[3] as string) as Parameters<typeof decodeEvent>[0]);
    const list = bySpan.get(key);
    if (list) list.push(event);
    else bySpan.set(key, [event]);
  }
  return bySpan;
}

/** Stable by time: the span's own events keep their order among equal times, detached ones follow. */
export function sortByTime(events: SpanEvent[]): SpanEvent[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => (a.event.timeUnixNano < b.event.timeUnixNano ? -1 : a.event.timeUnixNano > b.event.timeUnixNano ? 1 : a.index - b.index))
    .map((entry) => entry.event);
}

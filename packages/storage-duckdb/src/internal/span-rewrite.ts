// scanSpans and updateSpanSemantics on DuckDB (what `cairn prices recompute` and `cairn renormalize`
// run). Scans page by keyset on (start_ns, project_id, trace_id, span_id) — columns an update
// never changes — so every span is seen once while batches are rewritten between pages.
//
// An update is one transaction on the writer connection (queued with the span writes):
//   UPDATE spans ← new semantic columns, joined on (project, trace, span) within the window of the
//                  touched traces (trace_parts says which batches and start times hold them)
//   trace_parts  ← every part of a touched trace replaced by parts rebuilt from its spans, one per
//                  (trace, batch_seq) as the write path made them, so batch-pruned reads still work.

import type { SpanEvent } from '@cairn/model';
import { decodeStoredAttributes } from '@cairn/model';
import type { SpanScanQuery, SpanSemanticsUpdateResult, StoredSpan } from '@cairn/storage';
import { decodeEvent, semanticColumnValues, sortEventsByTime } from '@cairn/storage/adapter-kit';
import type { DecodedSpanRow } from './span-row.js';
import { SPAN_JSON_SELECT } from './span-row.js';
import { SqlParams } from './sql-params.js';
import { jsonRowsSql, tracesWindow } from './json-rows-sql.js';
import { rebuildTraceParts } from './trace-parts-rebuild.js';
import { resetCallAgents } from './call-agents.js';

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

export interface SpanKey {
  projectId: string;
  traceId: string;
  spanId: string;
}

export function spanKey(projectId: string, traceId: string, spanId: string): string {
  return `${projectId}\u0000${traceId}\u0000${spanId}`;
}

function updateRow(span: StoredSpan, normalizerVersion: number): Record<string, unknown> {
  const cells = semanticColumnValues(span);
  return {
    project_id: span.projectId,
    trace_id: span.traceId,
    span_id: span.spanId,
    ...cells,
    dialects: cells.dialects.length === 0 ? '' : JSON.stringify(cells.dialects),
    normalizer_version: normalizerVersion,
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
      if (extra) span.events = sortEventsByTime([...span.events, ...extra]);
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
      if (touched.size > 0) await rebuildTraceParts(this.parts.write, [...touched.values()]);
      // The rewrite may change which agent a model call of these traces counts for (a span's type
      // or agent name, a call demoted to a wrapper): their stored attribution is resolved again.
      const byProject = new Map<string, string[]>();
      for (const [projectId, traceId] of touched.values()) byProject.set(projectId, [...(byProject.get(projectId) ?? []), traceId]);
      for (const [projectId, traceIds] of byProject) await resetCallAgents(write, projectId, traceIds);
      await write('COMMIT', new SqlParams());
      return { updated: updated.length };
    } catch (error) {
      await write('ROLLBACK', new SqlParams()).catch(() => undefined);
      throw error;
    }
  }
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

// TraceStore.applyRetention on ClickHouse: per node (each shard's local tables; a trace lives on
// one shard, sharded by trace id), per project, drop the (project, day) partitions holding only
// expired traces (retention-sql.ts), the event partitions of those days, and the analyses of
// the removed traces; on 19.6+ also keep a table TTL in step with the policy.
//
// Granularity: a partition is a whole UTC day, so a trace goes once the day its last span
// started in lies wholly before the cutoff — up to a day later than an exact store would remove
// it, and later still when a trace spanning midnight holds an earlier day (retention-sql.ts).
// Events of removed traces on days that also hold events of kept traces stay, unreachable
// (reads merge events into stored spans only), until their day has no kept trace left.

import type { RetentionRequest, RetentionResult } from '@cairn/storage';
import { projectCutoff, retentionCutoffs } from '@cairn/storage/adapter-kit';
import type { ClickHouseHttp } from './clickhouse-http.js';
import {
  countInDaysSql,
  dayNumber,
  dayStart,
  deleteAnalysesSql,
  dropPartitionSql,
  expiredDays,
  heldEventDaysSql,
  multiDayTracesSql,
  oldDaysSql,
  orphanLiveSpansWhere,
  pendingMutationsSql,
  ttlExpression,
} from './retention-sql.js';
import type { TableNames } from './schema.js';
import type { ServerFeatures } from './server-features.js';
import { text } from './sql-literal.js';
import { tracePartsTables } from './trace-parts.js';

/** How long applyRetention waits for the analyses mutation before returning anyway. */
const MUTATION_WAIT_MILLIS = 30_000;
const MUTATION_POLL_MILLIS = 100;

interface NodeContext {
  node: ClickHouseHttp;
  database: string;
  tables: TableNames;
  /** The node's local live-span table, or null when this database has none. */
  liveTable: string | null;
}

/** Local name of the live-span table (live-spans-sql.ts), if the node has it. */
async function liveTableOf(node: ClickHouseHttp, database: string, tables: TableNames): Promise<string | null> {
  const name = tables.spansLocal === tables.spans ? 'live_spans' : 'live_spans_local';
  const [row] = await node.query(`SELECT count() FROM system.tables WHERE database = ${text(database)} AND name = ${text(name)}`);
  return Number(row?.[0] ?? 0) > 0 ? name : null;
}

function days(value: unknown): number[] {
  return (value as (number | string)[]).map(Number);
}

async function waitForMutations(context: NodeContext, table: string): Promise<void> {
  const deadline = Date.now() + MUTATION_WAIT_MILLIS;
  while (Date.now() < deadline) {
    const [row] = await context.node.query(pendingMutationsSql(context.database, table));
    if (Number(row?.[0] ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, MUTATION_POLL_MILLIS));
  }
}

/** One project on one node: drops what expired before `cutoff`, returns what went. */
async function expireProject(
  context: NodeContext,
  projectId: string,
  old: { spanDays: readonly number[]; eventDays: readonly number[] },
  cutoff: bigint,
): Promise<RetentionResult> {
  const { node, tables } = context;
  const before = dayStart(cutoff);
  const cutoffDay = dayNumber(cutoff);
  const candidates = old.spanDays.filter((day) => day < cutoffDay);
  let dropped: number[] = [];
  let result: RetentionResult = { tracesRemoved: 0, spansRemoved: 0 };
  if (candidates.length > 0) {
    const multiDay = (await node.query(multiDayTracesSql(tables.spansLocal, projectId, before))).map((row) => days(row[0]));
    dropped = expiredDays(candidates, multiDay);
  }
  if (dropped.length > 0) {
    const [counts] = await node.query(countInDaysSql(tables.spansLocal, projectId, dropped, before));
    result = { tracesRemoved: Number(counts?.[0] ?? 0), spansRemoved: Number(counts?.[1] ?? 0) };
    for (const day of dropped) await node.exec(dropPartitionSql(tables.spansLocal, projectId, day));
    // The list index is partitioned like spans: the same days go (trace-parts.ts).
    for (const day of dropped) await node.exec(dropPartitionSql(tracePartsTables(tables).partsLocal, projectId, day));
    await node.exec(deleteAnalysesSql(tables.analysesLocal, projectId, dropped));
  }
  // Event partitions before the cutoff day go unless they hold events of a trace still stored.
  const eventDays = old.eventDays.filter((day) => day < cutoffDay);
  if (eventDays.length > 0) {
    const held = new Set((await node.query(heldEventDaysSql(tables.eventsLocal, tables.spansLocal, projectId, before))).map((row) => Number(row[0])));
    for (const day of eventDays) if (!held.has(day)) await node.exec(dropPartitionSql(tables.eventsLocal, projectId, day));
  }
  if (dropped.length > 0) await waitForMutations(context, tables.analysesLocal);
  if (context.liveTable !== null) {
    const orphans = orphanLiveSpansWhere(context.liveTable, tables.spansLocal, projectId, before);
    const [count] = await node.query(`SELECT count() FROM ${context.liveTable} WHERE ${orphans}`);
    if (Number(count?.[0] ?? 0) > 0) {
      await node.exec(`ALTER TABLE ${context.liveTable} DELETE WHERE ${orphans}`);
      await waitForMutations(context, context.liveTable);
    }
  }
  return result;
}

export class ClickHouseRetention {
  /** TTL expression last set per node and table by this process (MODIFY TTL rewrites parts). */
  private readonly appliedTtl = new Map<string, string>();

  constructor(
    private readonly nodes: readonly ClickHouseHttp[],
    private readonly database: string,
    private readonly tables: TableNames,
    private readonly features: ServerFeatures,
  ) {}

  async apply(request: RetentionRequest): Promise<RetentionResult> {
    const cutoffs = retentionCutoffs(request);
    const total: RetentionResult = { tracesRemoved: 0, spansRemoved: 0 };
    for (const node of this.nodes) {
      if (this.features.ttl) await this.applyTtl(node, request);
      const latest = cutoffs.latest;
      if (latest === null) continue;
      const context: NodeContext = { node, database: this.database, tables: this.tables, liveTable: await liveTableOf(node, this.database, this.tables) };
      const spanDays = new Map((await node.query(oldDaysSql(this.tables.spansLocal, 'start_ns', dayStart(latest)))).map((row) => [row[0] as string, days(row[1])]));
      const eventDays = new Map((await node.query(oldDaysSql(this.tables.eventsLocal, 'time_ns', dayStart(latest)))).map((row) => [row[0] as string, days(row[1])]));
      for (const projectId of new Set([...spanDays.keys(), ...eventDays.keys()])) {
        const cutoff = projectCutoff(cutoffs, projectId);
        if (cutoff === null) continue;
        const old = { spanDays: spanDays.get(projectId) ?? [], eventDays: eventDays.get(projectId) ?? [] };
        const removed = await expireProject(context, projectId, old, cutoff);
        total.tracesRemoved += removed.tracesRemoved;
        total.spansRemoved += removed.spansRemoved;
      }
    }
    return total;
  }

  private async applyTtl(node: ClickHouseHttp, request: RetentionRequest): Promise<void> {
    for (const [table, column] of [
      [this.tables.spansLocal, 'start_ns'],
      [this.tables.eventsLocal, 'time_ns'],
      [this.tables.analysesLocal, 'trace_start_ns'],
      [tracePartsTables(this.tables).partsLocal, 'start_ns'],
    ] as const) {
      const expression = ttlExpression(column, request.defaultMaxAgeMs, request.projects);
      const key = `${node.url} ${table}`;
      if (this.appliedTtl.get(key) === expression) continue;
      await node.exec(`ALTER TABLE ${table} MODIFY TTL ${expression}`);
      this.appliedTtl.set(key, expression);
    }
  }
}

// Retention on one node. Partitions are (project_id, UTC day), so dropping a project's old data is
// ALTER TABLE … DROP PARTITION, which works on every ClickHouse version and frees the disk at
// once. Servers with TTL (19.6+) also get a table TTL built from every stored policy, so data
// keeps expiring between calls; its per-row expression is a multiIf over the projects.

import type { ClickHouseHttp } from './clickhouse-http.js';
import type { TableNames } from './schema.js';
import { dayOf, RETENTION_TABLE } from './schema.js';
import type { ServerFeatures } from './server-features.js';
import { text, uint64 } from './sql-literal.js';

const NS_PER_DAY = 86_400n * 1_000_000_000n;
/** Projects without a policy: ~100 years, i.e. never. */
const FOREVER_DAYS = 36_500;

export interface NodeRetention {
  projectId: string;
  maxAgeDays: number;
  nowUnixNano: bigint;
}

/** Start (ns) of the oldest UTC day that is kept. */
export function retentionCutoff(nowUnixNano: bigint, maxAgeDays: number): bigint {
  const cutoff = nowUnixNano - BigInt(maxAgeDays) * NS_PER_DAY;
  return cutoff - (((cutoff % NS_PER_DAY) + NS_PER_DAY) % NS_PER_DAY);
}

/** The TTL expression for a table whose time column is `nanosColumn`. */
export function ttlExpression(nanosColumn: string, policies: readonly { projectId: string; maxAgeDays: number }[]): string {
  const branches = policies.flatMap(({ projectId, maxAgeDays }) => [`project_id = ${text(projectId)}`, String(maxAgeDays)]);
  const days = branches.length === 0 ? String(FOREVER_DAYS) : `multiIf(${branches.join(', ')}, ${FOREVER_DAYS})`;
  return `addDays(toDateTime(intDiv(${nanosColumn}, 1000000000)), ${days})`;
}

/** Records the policy, drops expired partitions, sets the TTL where supported; returns partitions dropped. */
export async function applyRetentionOnNode(node: ClickHouseHttp, tables: TableNames, features: ServerFeatures, request: NodeRetention): Promise<number> {
  const project = text(request.projectId);
  await node.exec(
    `INSERT INTO ${RETENTION_TABLE} (project_id, max_age_days, updated_ns) VALUES (${project}, ${request.maxAgeDays}, ${uint64(request.nowUnixNano)})`,
  );
  const cutoff = retentionCutoff(request.nowUnixNano, request.maxAgeDays);
  let dropped = 0;
  for (const [table, column] of [
    [tables.spansLocal, 'start_ns'],
    [tables.eventsLocal, 'time_ns'],
  ] as const) {
    const days = await node.query(
      `SELECT DISTINCT ${dayOf(column)} FROM ${table} WHERE project_id = ${project} AND ${column} < ${uint64(cutoff)}`,
    );
    for (const [day] of days) {
      await node.exec(`ALTER TABLE ${table} DROP PARTITION (${project}, ${Number(day)})`);
      dropped += 1;
    }
    if (features.ttl) {
      const policies = await node.query(`SELECT project_id, argMax(max_age_days, updated_ns) FROM ${RETENTION_TABLE} GROUP BY project_id ORDER BY project_id`);
      const expression = ttlExpression(column, policies.map((row) => ({ projectId: row[0] as string, maxAgeDays: Number(row[1]) })));
      await node.exec(`ALTER TABLE ${table} MODIFY TTL ${expression}`);
    }
  }
  return dropped;
}

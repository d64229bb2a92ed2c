// Replicated tables without a server: the DDL every table gets, and the options that cannot work
// refused with a plain reason before anything is created. (The running cluster — ZooKeeper, two
// shards of two replicas — is e2e/clickhouse/replicated-cluster.test.ts.)

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreError } from '@cairn/storage';
import { openClickHouseStore } from '../src/index.js';
import { entryWithSiblings } from '../src/internal/cluster-replicas.js';
import { liveSpansTableSql } from '../src/internal/live-spans-sql.js';
import { analysesTableSql, baselineSql, migrationsTableSql, tableNames } from '../src/internal/schema.js';
import { tableEngine } from '../src/internal/table-engine.js';
import { tracePartsTableSql } from '../src/internal/trace-parts.js';

const ZK = '/clickhouse/tables/{shard}/cairn';

describe('replicated table engines', () => {
  it('puts each table at its own ZooKeeper path under the prefix, named by the {replica} macro', () => {
    assert.equal(tableEngine('ReplacingMergeTree', 'spans_local', null, 'received_ns'), 'ReplacingMergeTree(received_ns)');
    assert.equal(tableEngine('MergeTree', 'trace_parts_local', null), 'MergeTree()');
    assert.equal(
      tableEngine('ReplacingMergeTree', 'spans_local', { zooKeeperPath: `${ZK}/` }, 'received_ns'),
      "ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/cairn/spans_local', '{replica}', received_ns)",
    );
    assert.equal(tableEngine('MergeTree', 'trace_parts_local', { zooKeeperPath: ZK }), "ReplicatedMergeTree('/clickhouse/tables/{shard}/cairn/trace_parts_local', '{replica}')");
  });

  it('replicates every MergeTree table of a replicated cluster except the per-node migration log', () => {
    const tables = tableNames(true);
    const cluster = { name: 'cairn', database: 'cairn', replication: { zooKeeperPath: ZK } };
    const ddl = [...baselineSql(tables, cluster), ...analysesTableSql(tables, cluster), ...liveSpansTableSql(tables, cluster), ...tracePartsTableSql(tables, cluster)];
    const engines = ddl.map((statement) => /ENGINE = (\w+)/.exec(statement)?.[1]);
    assert.ok(engines.length >= 8);
    for (const engine of engines) assert.match(engine ?? '', /^(Replicated\w*MergeTree|Distributed)$/);
    for (const table of ['spans_local', 'detached_events_local', 'trace_analyses_local', 'live_spans_local', 'trace_parts_local']) {
      assert.ok(ddl.some((statement) => statement.includes(`'${ZK}/${table}', '{replica}'`)), table);
    }
    assert.match(migrationsTableSql(), /ENGINE = ReplacingMergeTree\(applied_ns\)/);
    // Without replication nothing changes.
    const plain = baselineSql(tables, { name: 'cairn', database: 'cairn' });
    assert.ok(plain.every((statement) => !statement.includes('Replicated')));
  });

  it('carries on through the other replicas of its shard when the entry node is one of them', () => {
    const shards = [
      ['http://ch1a:8123', 'http://ch1b:8123'],
      ['http://ch2a:8123', 'http://ch2b:8123'],
    ];
    assert.deepEqual(entryWithSiblings('http://ch2a:8123/', shards), ['http://ch2a:8123/', 'http://ch2b:8123']);
    assert.deepEqual(entryWithSiblings('http://proxy:8123', shards), ['http://proxy:8123']);
  });

  it('refuses options that would mix shards or diverge replicas, before connecting', async () => {
    const open = (cluster: { shardUrls: (string | string[])[]; zooKeeperPath?: string }) =>
      openClickHouseStore({ url: 'http://127.0.0.1:1', cluster: { name: 'cairn', ...cluster } });
    const refused = async (promise: Promise<unknown>, message: RegExp) => {
      await assert.rejects(promise, (error: unknown) => error instanceof StoreError && error.code === 'store_failed' && message.test(error.message));
    };
    await refused(open({ shardUrls: [['http://127.0.0.1:1', 'http://127.0.0.1:2']] }), /several replicas of a shard need replicated tables/);
    await refused(open({ shardUrls: ['http://127.0.0.1:1'], zooKeeperPath: '/clickhouse/tables/cairn' }), /must contain the \{shard\} macro/);
    await refused(open({ shardUrls: ['http://127.0.0.1:1'], zooKeeperPath: 'clickhouse/{shard}' }), /absolute ZooKeeper path/);
    await refused(open({ shardUrls: [[]], zooKeeperPath: ZK }), /every shard/);
  });
});

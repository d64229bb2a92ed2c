import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, DEFAULT_API_PORT, listenPort, resolveServeConfig } from '../src/config.js';

describe('serve configuration', () => {
  it('uses the documented defaults with no flags and no environment', () => {
    const config = resolveServeConfig({}, {});
    assert.deepEqual(config, {
      dataDir: './.cairn',
      host: '127.0.0.1',
      port: DEFAULT_API_PORT,
      otlpHttpPort: 4318,
      otlpGrpcPort: 4317,
      store: 'duckdb',
    });
  });

  it('reads CAIRN_* variables and lets flags win over them', () => {
    const config = resolveServeConfig(
      { port: '9000', 'data-dir': '/tmp/flag' },
      { CAIRN_PORT: '8000', CAIRN_DATA_DIR: '/tmp/env', CAIRN_OTLP_GRPC_PORT: '0', CAIRN_HOST: '0.0.0.0' },
    );
    assert.equal(config.port, 9000);
    assert.equal(config.dataDir, '/tmp/flag');
    assert.equal(config.host, '0.0.0.0');
    assert.equal(listenPort(config.otlpGrpcPort), null, 'port 0 means do not listen');
  });

  it('names the flag or variable and the value that was wrong', () => {
    assert.throws(() => resolveServeConfig({ port: 'http' }, {}), (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /--port "http": must be a number/);
      return true;
    });
    assert.throws(() => resolveServeConfig({}, { CAIRN_OTLP_HTTP_PORT: '70000' }), /CAIRN_OTLP_HTTP_PORT "70000": must be 0 \(do not listen\) or 1\.\.65535/);
    assert.throws(() => resolveServeConfig({ store: 'postgres' }, {}), /--store "postgres": must be duckdb or clickhouse/);
  });

  it('takes the DuckDB checkpoint size from --duckdb-checkpoint-mb or CAIRN_DUCKDB_CHECKPOINT_MB, refusing nonsense', () => {
    assert.equal(resolveServeConfig({ 'duckdb-checkpoint-mb': '256' }, { CAIRN_DUCKDB_CHECKPOINT_MB: '1024' }).duckdbCheckpointMb, 256);
    assert.equal(resolveServeConfig({}, { CAIRN_DUCKDB_CHECKPOINT_MB: '1024' }).duckdbCheckpointMb, 1024);
    assert.equal(resolveServeConfig({}, {}).duckdbCheckpointMb, undefined);
    assert.throws(() => resolveServeConfig({ 'duckdb-checkpoint-mb': '8' }, {}), /--duckdb-checkpoint-mb "8": must be at least 16/);
    assert.throws(() => resolveServeConfig({}, { CAIRN_DUCKDB_CHECKPOINT_MB: '512MB' }), /CAIRN_DUCKDB_CHECKPOINT_MB "512MB": must be a number/);
  });

  it('takes the DuckDB memory limit from --duckdb-memory-mb or CAIRN_DUCKDB_MEMORY_MB, refusing nonsense', () => {
    assert.equal(resolveServeConfig({ 'duckdb-memory-mb': '512' }, { CAIRN_DUCKDB_MEMORY_MB: '1024' }).duckdbMemoryMb, 512);
    assert.equal(resolveServeConfig({}, { CAIRN_DUCKDB_MEMORY_MB: '1024' }).duckdbMemoryMb, 1024);
    assert.equal(resolveServeConfig({}, {}).duckdbMemoryMb, undefined);
    assert.throws(() => resolveServeConfig({ 'duckdb-memory-mb': '32' }, {}), /--duckdb-memory-mb "32": must be at least 64/);
    assert.throws(() => resolveServeConfig({}, { CAIRN_DUCKDB_MEMORY_MB: '1GB' }), /CAIRN_DUCKDB_MEMORY_MB "1GB": must be a number/);
  });

  it('takes the write wait from --batch-wait-ms or CAIRN_BATCH_WAIT_MS, refusing nonsense', () => {
    assert.equal(resolveServeConfig({ 'batch-wait-ms': '0' }, { CAIRN_BATCH_WAIT_MS: '20' }).batchWaitMs, 0);
    assert.equal(resolveServeConfig({}, { CAIRN_BATCH_WAIT_MS: '20' }).batchWaitMs, 20);
    assert.equal(resolveServeConfig({}, {}).batchWaitMs, undefined);
    assert.throws(() => resolveServeConfig({ 'batch-wait-ms': '-1' }, {}), /--batch-wait-ms "-1": must be 0 \(never wait\) or more/);
    assert.throws(() => resolveServeConfig({}, { CAIRN_BATCH_WAIT_MS: '5000' }), /CAIRN_BATCH_WAIT_MS "5000": must be at most 1000/);
  });

  it('takes the DuckDB thread count from --duckdb-threads or CAIRN_DUCKDB_THREADS, refusing nonsense', () => {
    assert.equal(resolveServeConfig({ 'duckdb-threads': '3' }, { CAIRN_DUCKDB_THREADS: '1' }).duckdbThreads, 3);
    assert.equal(resolveServeConfig({}, { CAIRN_DUCKDB_THREADS: '1' }).duckdbThreads, 1);
    assert.throws(() => resolveServeConfig({ 'duckdb-threads': '0' }, {}), /--duckdb-threads "0": must be at least 1/);
    assert.throws(() => resolveServeConfig({ 'duckdb-threads': '1.5' }, {}), /--duckdb-threads "1.5": must be a whole number of threads/);
  });

  it('takes the ingest thread count from --ingest-threads or CAIRN_INGEST_THREADS, 0 included, refusing nonsense', () => {
    assert.equal(resolveServeConfig({}, {}).ingestThreads, undefined);
    assert.equal(resolveServeConfig({ 'ingest-threads': '2' }, { CAIRN_INGEST_THREADS: '0' }).ingestThreads, 2);
    assert.equal(resolveServeConfig({}, { CAIRN_INGEST_THREADS: '0' }).ingestThreads, 0);
    assert.throws(() => resolveServeConfig({ 'ingest-threads': '-1' }, {}), /--ingest-threads "-1": must be 0 \(decode on the event loop\) or more/);
    assert.throws(() => resolveServeConfig({}, { CAIRN_INGEST_THREADS: 'many' }), /CAIRN_INGEST_THREADS "many": must be a number/);
  });

  it('selects the ClickHouse store with its URL, database and cluster from flags or variables', () => {
    const single = resolveServeConfig({ store: 'clickhouse', 'clickhouse-url': 'http://127.0.0.1:8123' }, {});
    assert.equal(single.store, 'clickhouse');
    assert.equal(single.clickhouseUrl, 'http://127.0.0.1:8123');
    assert.equal(single.clickhouseCluster, undefined);
    const cluster = resolveServeConfig(
      { 'clickhouse-cluster': 'cairn' },
      {
        CAIRN_STORE: 'clickhouse',
        CAIRN_CLICKHOUSE_URL: 'http://ch1:8123',
        CAIRN_CLICKHOUSE_DATABASE: 'traces',
        CAIRN_CLICKHOUSE_SHARDS: 'http://ch1:8123, http://ch2:8123',
      },
    );
    assert.equal(cluster.clickhouseDatabase, 'traces');
    assert.equal(cluster.clickhouseCluster, 'cairn');
    assert.deepEqual(cluster.clickhouseShards, ['http://ch1:8123', 'http://ch2:8123']);
  });

  it('says what the ClickHouse store is missing instead of starting on the wrong engine', () => {
    assert.throws(() => resolveServeConfig({ store: 'clickhouse' }, {}), /--store clickhouse needs --clickhouse-url/);
    assert.throws(() => resolveServeConfig({ store: 'clickhouse', 'clickhouse-url': 'localhost' }, {}), /--clickhouse-url "localhost": must be a URL/);
    assert.throws(
      () => resolveServeConfig({ store: 'clickhouse', 'clickhouse-url': 'http://ch1:8123', 'clickhouse-cluster': 'cairn' }, {}),
      /--clickhouse-cluster and --clickhouse-shards go together/,
    );
    assert.throws(() => resolveServeConfig({ 'clickhouse-database': 'drop table' }, {}), /--clickhouse-database "drop table": must be a plain identifier/);
  });
});

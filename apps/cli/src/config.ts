// The one place that reads the environment: flags and CAIRN_* variables resolved through one
// schema into a typed configuration. Flags win over variables; variables win over defaults.

import { z } from 'zod';
import { retentionOverridesSchema } from './retention-option.js';

export const DEFAULT_API_PORT = 4320;

const port = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be 0 (do not listen) or 1..65535')
  .max(65535, 'must be 0 (do not listen) or 1..65535');

export const serveConfigSchema = z
  .object({
    dataDir: z.string().min(1).default('./.cairn'),
    host: z.string().min(1).default('127.0.0.1'),
    port: port.default(DEFAULT_API_PORT),
    otlpHttpPort: port.default(4318),
    otlpGrpcPort: port.default(4317),
    store: z.enum(['duckdb', 'clickhouse'], { error: 'must be duckdb or clickhouse' }).default('duckdb'),
    clickhouseUrl: z.string().url('must be a URL such as http://127.0.0.1:8123').optional(),
    clickhouseDatabase: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier (letters, digits, _)')
      .optional(),
    clickhouseCluster: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a cluster name from the servers\' <remote_servers> config')
      .optional(),
    // One entry per shard; a replicated shard lists its replicas with '|': url1a|url1b,url2a|url2b.
    clickhouseShards: z
      .string()
      .transform((value) => value.split(',').map((shard) => shard.split('|').map((url) => url.trim()).filter((url) => url !== '').join('|')).filter((shard) => shard !== ''))
      .pipe(
        z
          .array(
            z.string().refine((shard) => shard.split('|').every((url) => z.string().url().safeParse(url).success), {
              message: 'must be comma-separated shard URLs such as http://ch1:8123,http://ch2:8123 (replicas of a shard joined by |)',
            }),
          )
          .min(1, 'must list at least one URL'),
      )
      .optional(),
    clickhouseZookeeperPath: z
      .string()
      .regex(/^\/[^'\\]*\{shard\}[^'\\]*$/, 'must be a ZooKeeper path with the {shard} macro, e.g. /clickhouse/tables/{shard}/cairn')
      .optional(),
    prices: z.string().min(1, 'must be the path of a price file').optional(),
    retentionDays: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1 (leave it unset to keep traces forever)')
      .optional(),
    retention: retentionOverridesSchema.optional(),
    pricesDir: z.string().min(1, 'must be a directory').optional(),
    duckdbThreads: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number of threads')
      .min(1, 'must be at least 1')
      .optional(),
    duckdbCheckpointMb: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number of megabytes')
      .min(16, 'must be at least 16')
      .max(65536, 'must be at most 65536')
      .optional(),
    duckdbMemoryMb: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number of megabytes')
      .min(64, 'must be at least 64')
      .max(1048576, 'must be at most 1048576')
      .optional(),
    ingestThreads: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number of threads')
      .min(0, 'must be 0 (decode on the event loop) or more')
      .max(16, 'must be at most 16')
      .optional(),
    batchWaitMs: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number of milliseconds')
      .min(0, 'must be 0 (never wait) or more')
      .max(1000, 'must be at most 1000')
      .optional(),
  })
  .strict();

export type ServeConfig = z.infer<typeof serveConfigSchema>;

/** Flag name → [config key, environment variable]. */
export const SERVE_OPTIONS = {
  'data-dir': ['dataDir', 'CAIRN_DATA_DIR'],
  host: ['host', 'CAIRN_HOST'],
  port: ['port', 'CAIRN_PORT'],
  'otlp-http-port': ['otlpHttpPort', 'CAIRN_OTLP_HTTP_PORT'],
  'otlp-grpc-port': ['otlpGrpcPort', 'CAIRN_OTLP_GRPC_PORT'],
  store: ['store', 'CAIRN_STORE'],
  'clickhouse-url': ['clickhouseUrl', 'CAIRN_CLICKHOUSE_URL'],
  'clickhouse-database': ['clickhouseDatabase', 'CAIRN_CLICKHOUSE_DATABASE'],
  'clickhouse-cluster': ['clickhouseCluster', 'CAIRN_CLICKHOUSE_CLUSTER'],
  'clickhouse-shards': ['clickhouseShards', 'CAIRN_CLICKHOUSE_SHARDS'],
  'clickhouse-zookeeper-path': ['clickhouseZookeeperPath', 'CAIRN_CLICKHOUSE_ZOOKEEPER_PATH'],
  'duckdb-threads': ['duckdbThreads', 'CAIRN_DUCKDB_THREADS'],
  'duckdb-checkpoint-mb': ['duckdbCheckpointMb', 'CAIRN_DUCKDB_CHECKPOINT_MB'],
  'duckdb-memory-mb': ['duckdbMemoryMb', 'CAIRN_DUCKDB_MEMORY_MB'],
  'ingest-threads': ['ingestThreads', 'CAIRN_INGEST_THREADS'],
  'batch-wait-ms': ['batchWaitMs', 'CAIRN_BATCH_WAIT_MS'],
  prices: ['prices', 'CAIRN_PRICES_FILE'],
  'retention-days': ['retentionDays', 'CAIRN_RETENTION_DAYS'],
  retention: ['retention', 'CAIRN_RETENTION'],
  'prices-dir': ['pricesDir', 'CAIRN_PRICES_DIR'],
} as const satisfies Record<string, readonly [keyof ServeConfig, string]>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Resolves flags and environment into a ServeConfig, or throws ConfigError naming the bad input. */
export function resolveServeConfig(
  flags: Partial<Record<keyof typeof SERVE_OPTIONS, string>>,
  env: NodeJS.ProcessEnv,
): ServeConfig {
  const raw: Record<string, string> = {};
  const origin: Record<string, string> = {};
  for (const [flag, [key, variable]] of Object.entries(SERVE_OPTIONS)) {
    const fromFlag = flags[flag as keyof typeof SERVE_OPTIONS];
    const fromEnv = env[variable];
    if (fromFlag !== undefined) {
      raw[key] = fromFlag;
      origin[key] = `--${flag}`;
    } else if (fromEnv !== undefined && fromEnv !== '') {
      raw[key] = fromEnv;
      origin[key] = variable;
    }
  }
  const parsed = serveConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      return `${origin[key] ?? key} ${JSON.stringify(raw[key])}: ${issue.message}`;
    });
    throw new ConfigError(problems.join('; '));
  }
  const config = parsed.data;
  if (config.store === 'clickhouse' && config.clickhouseUrl === undefined) {
    throw new ConfigError('--store clickhouse needs --clickhouse-url (or CAIRN_CLICKHOUSE_URL), e.g. http://127.0.0.1:8123');
  }
  if ((config.clickhouseCluster === undefined) !== (config.clickhouseShards === undefined)) {
    throw new ConfigError('--clickhouse-cluster and --clickhouse-shards go together: the cluster name and the HTTP URL of every shard');
  }
  if (config.clickhouseZookeeperPath !== undefined && config.clickhouseCluster === undefined) {
    throw new ConfigError('--clickhouse-zookeeper-path replicates the tables of a cluster: it needs --clickhouse-cluster and --clickhouse-shards');
  }
  if (config.clickhouseZookeeperPath === undefined && config.clickhouseShards?.some((shard) => shard.includes('|'))) {
    throw new ConfigError('--clickhouse-shards lists several replicas of a shard (|): replicated tables need --clickhouse-zookeeper-path');
  }
  return config;
}

/** A contract port value: 0 means "do not listen". */
export function listenPort(value: number): number | null {
  return value === 0 ? null : value;
}

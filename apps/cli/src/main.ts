// The `cairn` command: the only place that reads process.argv and the environment and exits.

import { parseArgs } from 'node:util';
import { ConfigError, DEFAULT_API_PORT, resolveServeConfig, SERVE_OPTIONS } from './config.js';
import type { CommandIo } from './rewrite-options.js';
import { REWRITE_FLAGS_HELP } from './rewrite-options.js';

const VERSION = '0.1.0';

const SERVE_FLAGS_HELP = `  --data-dir DIR          where the embedded store lives      CAIRN_DATA_DIR        (./.cairn)
  --host HOST              address every listener binds to      CAIRN_HOST            (127.0.0.1)
  --port N                 query API (and web UI)               CAIRN_PORT            (${DEFAULT_API_PORT})
  --otlp-http-port N       OTLP/HTTP receiver                   CAIRN_OTLP_HTTP_PORT  (4318)
  --otlp-grpc-port N       OTLP/gRPC receiver                   CAIRN_OTLP_GRPC_PORT  (4317)
  --store duckdb|clickhouse  storage engine                     CAIRN_STORE           (duckdb)
  --duckdb-threads N       DuckDB threads: fewer leave more CPU to ingest, more speed up
                           dashboards (BENCHMARKS.md)  CAIRN_DUCKDB_THREADS  (cores - 1, at least 1)
  --duckdb-checkpoint-mb N WAL megabytes that start a DuckDB checkpoint: more = fewer write
                           stalls while ingesting, a longer replay after a crash
                           (BENCHMARKS.md)                 CAIRN_DUCKDB_CHECKPOINT_MB  (512)
  --duckdb-memory-mb N     DuckDB's memory limit: more = fewer spills to disk in large
                           queries, a larger server (BENCHMARKS.md)  CAIRN_DUCKDB_MEMORY_MB  (384)
  --ingest-threads N       threads that decode and prepare OTLP trace exports off the
                           event loop (DuckDB store); 0 = on it   CAIRN_INGEST_THREADS  (1)
  --batch-wait-ms N        while exports keep arriving, how long a store write waits for
                           2,000 spans to gather; 0 = never (BENCHMARKS.md)  CAIRN_BATCH_WAIT_MS  (25)
  --clickhouse-url URL     ClickHouse HTTP URL (--store clickhouse)  CAIRN_CLICKHOUSE_URL
  --clickhouse-database DB ClickHouse database                  CAIRN_CLICKHOUSE_DATABASE  (cairn)
  --clickhouse-cluster NAME  sharded cluster from <remote_servers>  CAIRN_CLICKHOUSE_CLUSTER
  --clickhouse-shards URLS   HTTP URL of every shard, comma-separated; replicas of a
                           shard joined by |: URL1a|URL1b,URL2a|URL2b  CAIRN_CLICKHOUSE_SHARDS
  --clickhouse-zookeeper-path PATH  replicated tables (Replicated*MergeTree) at PATH/<table>,
                           PATH with the {shard} macro, e.g. /clickhouse/tables/{shard}/cairn
                           (docs/deploy.md)                 CAIRN_CLICKHOUSE_ZOOKEEPER_PATH
  --prices FILE            custom prices over the bundled table (docs/costs.md)  CAIRN_PRICES_FILE
  --prices-dir DIR         projects' own prices (PUT /api/v1/projects/ID/prices); share it
                           between servers of one ClickHouse store   CAIRN_PRICES_DIR  (DATA_DIR/prices)
  --retention-days N       keep traces N days, removed hourly   CAIRN_RETENTION_DAYS  (forever)
  --retention P=N,…        per-project days (or forever) over --retention-days, e.g.
                           team-a=7,audit=forever              CAIRN_RETENTION
  A port of 0 means "do not listen". Flags win over environment variables.`;

const HELP: Record<string, string> = {
  main: `cairn ${VERSION} — OpenTelemetry-native tracing for AI agents

Usage: cairn <command> [options]

Commands:
  serve    run the OTLP receivers, the store and the query API (what \`npm start\` runs)
  demo     send a realistic multi-agent workload over OTLP to a running Cairn
  doctor   check ports, data directory, store and versions; say what to fix
  prices   list the price table, show a model's price, recompute stored costs
  renormalize  re-apply the current normalizer to stored spans

Run \`cairn <command> --help\` for a command's options.`,
  serve: `Usage: cairn serve [options]

Receives OTLP on the standard ports (HTTP 4318: /v1/traces, /v1/logs; gRPC 4317), stores spans in
the embedded DuckDB store and answers the query API (GET /api/v1/traces, /api/v1/openapi.json).
A 200 from the receiver means the spans are on disk.

Options (flag, environment variable, default):
${SERVE_FLAGS_HELP}`,
  demo: `Usage: cairn demo [--endpoint URL] [--traces N]

Records a multi-agent workload with the OpenTelemetry SDK — an orchestrator delegating to
sub-agents, LLM calls with messages and tokens, tool calls, retrieval, a fan-out with a straggler,
one failing tool and one agent stuck in a tool loop — and sends it over OTLP/HTTP protobuf.

Options:
  --endpoint URL   OTLP/HTTP base URL  (OTEL_EXPORTER_OTLP_ENDPOINT, else http://127.0.0.1:4318)
  --traces N       how many agent runs to send (default 5, at most 10000)`,
  doctor: `Usage: cairn doctor [options]

Checks the Node version, the data directory, whether each port is free or already served by
Cairn, and that the store opens; prints what is wrong and how to fix it. Exits 1 on a failure.
Takes the same options as \`cairn serve\`:
${SERVE_FLAGS_HELP}`,
  prices: `Usage: cairn prices list [--provider P] [--prices FILE] [--json]
       cairn prices show <model> [--provider P] [--at TIME] [--project ID] [--prices FILE]
       cairn prices recompute --since TIME [options]

list       the bundled price table (and FILE's custom prices), USD per 1M tokens
show       which price a model name gets (exact, provider-qualified or dated-snapshot match),
           its tiers and its price history; exits 1 when the model has no price
recompute  recomputes the cost of stored model calls with the current prices; costs the app
           sent are kept; trace and session totals follow (docs/costs.md).

Options of recompute:
${REWRITE_FLAGS_HELP}`,
  renormalize: `Usage: cairn renormalize [--since TIME] [--all] [options]

Normalizes stored spans again from their raw attributes with the current rules (normalizer
version and prices), so a newer Cairn understands data stored by an older one. Only spans
stored by an older normalizer are touched unless --all (docs/costs.md).

Options:
${REWRITE_FLAGS_HELP}
  --all               also spans already at the current normalizer version`,
};

const serveOptionSpec = Object.fromEntries(
  Object.keys(SERVE_OPTIONS).map((flag) => [flag, { type: 'string' as const }]),
) as Record<keyof typeof SERVE_OPTIONS, { type: 'string' }>;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${HELP.main}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const help = HELP[command];
  if (command === 'main' || help === undefined) {
    process.stderr.write(`cairn: unknown command ${JSON.stringify(command)}\n\n${HELP.main}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  switch (command) {
    case 'serve':
    case 'doctor': {
      const { values } = parseArgs({ args: rest, options: serveOptionSpec, strict: true, allowPositionals: false });
      const config = resolveServeConfig(values, process.env);
      // Commands load lazily so `--help` and usage errors answer without opening native modules.
      if (command === 'serve') return (await import('./commands/serve.js')).serve(config);
      return (await import('./commands/doctor.js')).doctor(config, VERSION);
    }
    case 'demo': {
      const { values } = parseArgs({ args: rest, options: { endpoint: { type: 'string' }, traces: { type: 'string' } }, strict: true });
      const traceCount = Number(values.traces ?? '5');
      if (!Number.isInteger(traceCount) || traceCount < 1 || traceCount > 10_000) {
        throw new ConfigError(`--traces ${JSON.stringify(values.traces)}: must be a whole number from 1 to 10000`);
      }
      const endpoint = values.endpoint ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://127.0.0.1:4318';
      return (await import('./commands/demo.js')).demo({ endpoint, traceCount });
    }
    case 'prices':
      return (await import('./commands/prices.js')).prices(rest, commandIo());
    case 'renormalize':
      return (await import('./commands/renormalize.js')).renormalize(rest, commandIo());
  }
  return 2;
}

function commandIo(): CommandIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    nowMillis: Date.now(),
    // Loaded on use: opening a store loads native modules that `--help` should not need.
    openStore: async (config) => (await import('./open-store.js')).openConfiguredStore(config),
  };
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const isUsage = error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`cairn: ${(error as Error).message}\n`);
    // A store that cannot be opened (locked by a running server, unreachable) is the user's to fix: the message says how.
    const explained = isUsage || (error as { code?: string }).code === 'store_unavailable';
    if (!explained) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    process.exitCode = isUsage ? 2 : 1;
  },
);

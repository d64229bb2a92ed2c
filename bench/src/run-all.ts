// `npm run bench`: the ingest benchmarks (throughput, then query latency during ingest), then the query and
// background-analysis benchmarks, then the ClickHouse benchmark
// (which compares with the two before it), each in its own process so one does not warm or bloat
// the other. Results land in bench/results/*.json.

import { spawnSync } from 'node:child_process';
import { findClickHouseServer } from '@cairn/storage-clickhouse/testing';
import { REPO_ROOT } from './bench-support.js';

const scripts = ['bench/src/ingest-bench.ts', 'bench/src/ingest-latency-bench.ts', 'bench/src/query-bench.ts', 'bench/src/analysis-bench.ts'];
if (findClickHouseServer() !== null) scripts.push('bench/src/clickhouse-bench.ts');
else process.stderr.write('\n== bench/src/clickhouse-bench.ts skipped: clickhouse-server is not installed\n');

for (const script of scripts) {
  process.stderr.write(`\n== ${script}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

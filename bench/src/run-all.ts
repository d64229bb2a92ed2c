// `npm run bench`: the ingest benchmark, then the query benchmark, each in its own process so one
// does not warm or bloat the other. Results land in bench/results/*.json.

import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from './bench-support.js';

for (const script of ['bench/src/ingest-bench.ts', 'bench/src/query-bench.ts']) {
  process.stderr.write(`\n== ${script}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

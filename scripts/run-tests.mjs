// Runs every *.test.ts under packages/*/test, apps/*/test and e2e with Node's test runner.
// (Node 20's --test takes no globs, so the files are listed here.) Extra arguments are passed on,
// e.g. `npm run test:unit -- --test-name-pattern=dedupe`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const roots = ['packages', 'apps'].flatMap((dir) =>
  fs.readdirSync(dir).map((name) => path.join(dir, name, 'test')),
);
roots.push('e2e');

function collect(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : collect(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = roots.flatMap(collect).sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...process.argv.slice(2), ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);

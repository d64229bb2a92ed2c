// Served ingest under two or more server configurations, interleaved: each run starts a fresh
// `cairn serve` with one configuration's flags, posts the ingest bench's load to it for the given
// seconds (a separate load-generator process, 8 connections, 500 spans per request) and stops it;
// the order of the configurations alternates every round, so a host that speeds up or slows down
// during the set weighs on all of them alike. This is how settings are compared in BENCHMARKS.md.
// Usage: served-ab.ts <seconds> <rounds> "<serve flags A>" "<serve flags B>" [...]
//   e.g. served-ab.ts 60 2 "--duckdb-checkpoint-mb 256" "--duckdb-checkpoint-mb 512"

import { writeResult } from './bench-support.js';
import { serveLoad } from './served-load.js';

const [seconds, rounds, ...configs] = process.argv.slice(2);
if (seconds === undefined || rounds === undefined || configs.length < 2) {
  process.stderr.write('usage: served-ab.ts <seconds> <rounds> "<serve flags A>" "<serve flags B>" [...]\n');
  process.exit(2);
}

interface Run {
  spansPerSecond: number;
  cpuMicrosPerSpan: number;
  peakRssMiB: number;
  hostIdlePercent: number;
}
const runs = new Map<string, Run[]>(configs.map((config) => [config, []]));

for (let round = 0; round < Number(rounds); round++) {
  for (const config of round % 2 === 0 ? configs : [...configs].reverse()) {
    const served = await serveLoad(config.split(' ').filter(Boolean), seconds, '8', '500');
    const run = {
      spansPerSecond: Math.round(served.load.spansPerSecond),
      cpuMicrosPerSpan: Number(served.cpuMicrosPerSpan.toFixed(1)),
      peakRssMiB: Math.round(served.peakRssBytes / 2 ** 20),
      hostIdlePercent: served.host.idlePercent,
    };
    runs.get(config)!.push(run);
    process.stderr.write(`[${config}] ${run.spansPerSecond} spans/s, ${run.cpuMicrosPerSpan} µs CPU/span, peak RSS ${run.peakRssMiB} MiB, host idle ${run.hostIdlePercent} %\n`);
  }
}

const result = {
  parameters: { seconds: Number(seconds), rounds: Number(rounds), connections: 8, spansPerBatch: 500 },
  configurations: configs.map((config) => {
    const measured = runs.get(config)!;
    const mean = Math.round(measured.reduce((sum, run) => sum + run.spansPerSecond, 0) / measured.length);
    return { flags: config, meanSpansPerSecond: mean, runs: measured };
  }),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.stderr.write(`written ${writeResult('served-ab', result)}\n`);

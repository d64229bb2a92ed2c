// Shared pieces of the benchmarks: temp dirs, child processes, percentiles, result files.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_DIR = path.join(REPO_ROOT, 'bench/results');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cairn-bench-${prefix}-`));
}

export function percentile(sortedMillis: number[], fraction: number): number {
  if (sortedMillis.length === 0) return Number.NaN;
  const index = Math.min(sortedMillis.length - 1, Math.max(0, Math.ceil(fraction * sortedMillis.length) - 1));
  return sortedMillis[index]!;
}

/** Peak resident set size (VmHWM) of a process so far, in bytes. */
export function peakRssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** CPU time (user + system, all threads) a process has used so far, in seconds (Linux). */
export function processCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesized command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** USER_HZ: 100 on every Linux architecture Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Runs a bench script in a child process and parses the JSON line it prints. */
export function runJsonProcess<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited with ${code}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as T);
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}

export function writeResult(name: string, result: unknown): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ recordedAt: new Date().toISOString(), machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }, ...(result as object) }, null, 2)}\n`);
  return file;
}

/** Total size of the files directly in `dir`, in bytes. */
export function directoryBytes(dir: string): number {
  return fs.readdirSync(dir).reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** GETs `samples` + 5 URLs one after another (the first 5 warm up); p50/p95 of the rest in ms. */
export async function timeRequests(samples: number, label: string, urls: () => string): Promise<{ p50: number; p95: number; rows: number | null }> {
  const timings: number[] = [];
  let body: ArrayBuffer | null = null;
  for (let index = 0; index < samples + 5; index++) {
    const url = urls();
    const started = performance.now();
    const response = await fetch(url);
    body = await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${label}: ${url} answered ${response.status}`);
    if (index >= 5) timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  // What the last answer held (list items, or a trace's spans): a query that finds nothing is
  // fast for the wrong reason, and the result says so.
  const rows = rowsOf(body);
  const result = { p50: Number(percentile(timings, 0.5).toFixed(1)), p95: Number(percentile(timings, 0.95).toFixed(1)), rows };
  process.stderr.write(`  ${label}: p50 ${result.p50} ms, p95 ${result.p95} ms${rows === null ? '' : `, ${rows} rows`}${rows === 0 ? ' (EMPTY ANSWER)' : ''}\n`);
  return result;
}

function rowsOf(body: ArrayBuffer | null): number | null {
  if (body === null) return null;
  try {
    const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as { items?: unknown[]; spans?: unknown[]; keys?: unknown[]; values?: unknown[] };
    const list = parsed.items ?? parsed.spans ?? parsed.keys ?? parsed.values;
    return Array.isArray(list) ? list.length : null;
  } catch {
    return null;
  }
}

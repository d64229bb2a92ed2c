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

/** The machine's CPU time so far, all cores, in clock ticks (Linux `/proc/stat`). */
export interface HostCpuTimes {
  /** Every state: user, nice, system, idle, iowait, irq, softirq, steal. */
  total: number;
  idle: number;
  /** Time the hypervisor ran something else while this machine had work (the `steal` column). */
  steal: number;
}

export function hostCpuTimes(): HostCpuTimes {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number) as number[];
  return { total: user! + nice! + system! + idle! + iowait! + irq! + softirq! + steal!, idle: idle! + iowait!, steal: steal! };
}

/** Idle and stolen shares, in percent of all cores' time, between two readings. */
export function hostCpuShares(before: HostCpuTimes, after: HostCpuTimes): { idlePercent: number; stolenPercent: number } {
  const total = after.total - before.total;
  const share = (ticks: number) => (total > 0 ? Number(((100 * ticks) / total).toFixed(1)) : 0);
  return { idlePercent: share(after.idle - before.idle), stolenPercent: share(after.steal - before.steal) };
}

/**
 * Milliseconds of CPU two fixed pieces of work take in this thread: gauges of the host's speed
 * of the moment that no change to Cairn moves, so runs of different rounds (or of other code)
 * can be compared with the host's speed factored in. `loop`: an integer loop, the cores alone
 * (1,567–1,775 ms here on 2026-11-22); `json`: a JSON round trip of 5,000 span-like objects, 100
 * times, which allocates and collects like the ingest path does (897–1,455 ms). Lower is faster.
 */
export function hostSpeedGauges(): { loopMillis: number; jsonMillis: number } {
  // Each warmed up first, so the measured call runs optimized code whatever the JIT's tiering.
  for (let round = 0; round < 20; round++) spin(1_000_000);
  const document = spanLikeDocument();
  jsonRoundTrips(document, 5);
  const loopMillis = cpuMillis(() => spin(1_000_000_000));
  const jsonMillis = cpuMillis(() => jsonRoundTrips(document, 100));
  return { loopMillis, jsonMillis };
}

function cpuMillis(work: () => number): number {
  const started = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(started);
  if (value === -1) process.stderr.write(''); // the result is used: the work cannot be dropped
  return Math.round((used.user + used.system) / 1000);
}

function spin(iterations: number): number {
  let value = 0;
  for (let index = 0; index < iterations; index++) value = (Math.imul(value, 31) + index) | 0;
  return value;
}

function spanLikeDocument(): unknown[] {
  return Array.from({ length: 5000 }, (_, index) => ({
    id: `span-${index}`,
    name: 'chat gpt-4o',
    start: index * 1000,
    attributes: { 'gen_ai.input.messages': `[{"role":"user","content":"question ${index} about the weather"}]`, tokens: index % 700 },
  }));
}

function jsonRoundTrips(document: unknown[], rounds: number): number {
  let length = 0;
  for (let round = 0; round < rounds; round++) length += (JSON.parse(JSON.stringify(document)) as unknown[]).length;
  return length;
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

// Shared pieces of the benchmarks: temp dirs, child processes, percentiles, result files.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
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

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ServeProcess {
  child: ChildProcess;
  apiUrl: string;
  otlpHttpUrl: string;
  /** Peak resident set size so far (VmHWM), in bytes. */
  peakRssBytes(): number;
  stop(): Promise<void>;
}

/** Starts `cairn serve` on a data dir with free ports and waits until it listens. */
export async function startServe(dataDir: string): Promise<ServeProcess> {
  const [port, otlpHttpPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', 'serve', '--data-dir', dataDir, '--port', String(port), '--otlp-http-port', String(otlpHttpPort), '--otlp-grpc-port', '0'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${log}`)), 60_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('query API listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${log}`)));
  });
  return {
    child,
    apiUrl: `http://127.0.0.1:${port}`,
    otlpHttpUrl: `http://127.0.0.1:${otlpHttpPort}`,
    peakRssBytes() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const match = /VmHWM:\s+(\d+) kB/.exec(status);
      return match ? Number(match[1]) * 1024 : Number.NaN;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

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

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

// Runs `cairn serve` as a real child process on free loopback ports, for black-box tests.

import { spawn, type ChildProcess } from 'node:child_process';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI_MAIN = path.join(REPO_ROOT, 'apps/cli/src/main.ts');

export interface CairnProcess {
  pid: number;
  dataDir: string;
  apiUrl: string;
  otlpHttpUrl: string;
  otlpGrpcAddress: string;
  /** Everything the process wrote to stderr so far. */
  log(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL (kill -9) and wait for exit. */
  kill9(): Promise<void>;
}

/** A port that was free a moment ago (the contract reserves 0 for "do not listen"). */
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

/**
 * Data directories made here, removed when the test process exits: a test may stop a server and
 * start another on the same directory (restarts, kill -9), so a directory outlives its server.
 */
const madeDirs = new Set<string>();
process.once('exit', () => {
  for (const dir of madeDirs) fsSync.rmSync(dir, { recursive: true, force: true });
});

export async function makeDataDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cairn-e2e-'));
  madeDirs.add(dir);
  return dir;
}

/** Runs a cairn CLI command to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function startCairn(options: { dataDir?: string; extraArgs?: string[] } = {}): Promise<CairnProcess> {
  const dataDir = options.dataDir ?? (await makeDataDir());
  const [port, otlpHttpPort, otlpGrpcPort] = [await freePort(), await freePort(), await freePort()];
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', CLI_MAIN, 'serve', '--data-dir', dataDir, '--port', String(port), '--otlp-http-port', String(otlpHttpPort), '--otlp-grpc-port', String(otlpGrpcPort), ...(options.extraArgs ?? [])],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cairn serve did not start within 30 s:\n${stderr}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('query API listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`cairn serve exited with ${code} before it was ready:\n${stderr}`));
    });
  });
  return {
    pid: child.pid!,
    dataDir,
    apiUrl: `http://127.0.0.1:${port}`,
    otlpHttpUrl: `http://127.0.0.1:${otlpHttpPort}`,
    otlpGrpcAddress: `127.0.0.1:${otlpGrpcPort}`,
    log: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T };
}

// Runs e2e/support/hung-tool-agent.ts as a child process (a real @cairn/sdk app whose tool call
// hangs until told to finish), for the live-span tests.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './cairn-process.js';

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

/** Polls `probe` until it returns a value (not undefined), for up to `timeoutMillis`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMillis = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMillis;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(150);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Starts the hung-tool agent; resolves once its tool span has started. */
export async function startHungAgent(otlpHttpUrl: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'e2e/support/hung-tool-agent.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: otlpHttpUrl },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const [, traceId, spanId] = await eventually(async () => /trace ([0-9a-f]{32}) span ([0-9a-f]{16})/.exec(output) ?? undefined, `the agent to start:\n${output}`);
  return {
    traceId: traceId!,
    spanId: spanId!,
    output: () => output,
    async finish(): Promise<number | null> {
      child.stdin.write('finish\n');
      return exited;
    },
    kill: () => child.kill('SIGKILL'),
  };
}


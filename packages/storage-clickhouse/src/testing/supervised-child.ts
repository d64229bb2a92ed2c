// A server process started by a test: its last output kept for error messages, and a stop that
// sends SIGTERM, then SIGKILL after 10 s, and waits for the exit.

import type { ChildProcess } from 'node:child_process';

export interface SupervisedChild {
  /** The last 20,000 characters the process wrote (stdout and stderr). */
  log(): string;
  /** Settles when the process has exited. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

/** Call right after spawning with stdout and stderr piped. */
export function supervise(child: ChildProcess): SupervisedChild {
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    log: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

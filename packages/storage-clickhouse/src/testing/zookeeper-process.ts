// Runs a throwaway standalone ZooKeeper for tests of replicated ClickHouse tables: a free loopback
// port, a temp data directory, a small heap, stopped by PID. Uses Debian's `zookeeper` package
// (the jar in /usr/share/java) and the system Java.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { supervise } from './supervised-child.js';
import { freePort } from './clickhouse-server-process.js';

/** Debian's `zookeeper` package; its manifest's Class-Path names the other jars it needs. */
const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
const JAVA_BINARIES = ['/usr/bin/java'];

/** The Java binary and ZooKeeper jar, or null when either is missing. */
export function findZooKeeper(): { java: string; jar: string } | null {
  const java = JAVA_BINARIES.find((candidate) => existsSync(candidate));
  if (java === undefined || !existsSync(ZOOKEEPER_JAR)) return null;
  return { java, jar: ZOOKEEPER_JAR };
}

/**
 * What a replication test does without ZooKeeper: a skip reason, or (under CI=true) an exception,
 * since CI installs it and a missing ZooKeeper there is a broken build, not an optional test.
 */
export function zooKeeperSkipReason(): string | false {
  if (findZooKeeper() !== null) return false;
  const reason = `ZooKeeper is not installed (looked for ${ZOOKEEPER_JAR} and ${JAVA_BINARIES.join(', ')}); apt-get install zookeeper to run these tests`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  return reason;
}

export interface ZooKeeperProcess {
  pid: number;
  port: number;
  dir: string;
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process has exited. */
  stop(): Promise<void>;
  /** Everything the process printed so far. */
  log(): string;
}

function zooCfg(dir: string, port: number): string {
  return [
    // A short tick keeps session timeouts (2..20 ticks) short, so a stopped replica is noticed fast.
    'tickTime=500',
    `dataDir=${dir}/data`,
    `clientPort=${port}`,
    'clientPortAddress=127.0.0.1',
    'maxClientCnxns=0',
    'admin.enableServer=false',
    '4lw.commands.whitelist=ruok,srvr',
    // Throwaway data: no fsync per write, no 64 MB preallocated log files.
    'forceSync=no',
    'preAllocSize=1024',
    '',
  ].join('\n');
}

/** `ruok` over the client port answers `imok` once the server serves requests. */
function askRuok(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('ruok'));
    let answer = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer === 'imok'));
    socket.on('error', () => resolve(false));
  });
}

export async function startZooKeeper(options: { port?: number; dir?: string } = {}): Promise<ZooKeeperProcess> {
  const found = findZooKeeper();
  if (found === null) throw new Error('ZooKeeper is not installed');
  const dir = options.dir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'cairn-zookeeper-')));
  const port = options.port ?? (await freePort());
  await fs.mkdir(path.join(dir, 'data'), { recursive: true });
  await fs.writeFile(path.join(dir, 'zoo.cfg'), zooCfg(dir, port));
  const child = spawn(
    found.java,
    ['-Xmx96m', '-XX:+UseSerialGC', '-Dzookeeper.jmx.log4j.disable=true', '-cp', found.jar, 'org.apache.zookeeper.server.ZooKeeperServerMain', path.join(dir, 'zoo.cfg')],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const { log, exited, stop } = supervise(child);
  const deadline = Date.now() + 30_000;
  while (!(await askRuok(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`ZooKeeper did not answer ruok on 127.0.0.1:${port} within 30 s:\n${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { pid: child.pid!, port, dir, log, stop };
}

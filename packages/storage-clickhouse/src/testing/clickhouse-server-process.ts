// Runs a throwaway clickhouse-server for tests: free loopback ports, a temp directory with a
// minimal config.xml / users.xml and the data, stopped by PID. Optionally part of a cluster
// (<remote_servers>) whose shards are other such servers, and a replica of replicated tables
// (<zookeeper>, <macros>, an interserver port for fetching parts from the other replicas).

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { supervise } from './supervised-child.js';

/** Where Debian (/usr/sbin) and the upstream packages (/usr/bin) put the server. */
const SERVER_BINARIES = ['/usr/bin/clickhouse-server', '/usr/sbin/clickhouse-server'];

/** The clickhouse-server binary, or null when none is installed. */
export function findClickHouseServer(): string | null {
  return SERVER_BINARIES.find((candidate) => existsSync(candidate)) ?? null;
}

/**
 * What a test file does without a server: a skip reason, or (under CI=true) an exception, since
 * CI installs ClickHouse and a missing server there is a broken build, not an optional test.
 */
export function clickHouseSkipReason(): string | false {
  if (findClickHouseServer() !== null) return false;
  const reason = `clickhouse-server is not installed (looked for ${SERVER_BINARIES.join(', ')}); apt-get install clickhouse-server to run these tests`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  return reason;
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

export interface ClickHouseShardAddress {
  tcpPort: number;
}

export interface ClickHouseServerOptions {
  /**
   * Cluster this server knows, with one shard per entry (this server may be one of them): one
   * address, or the addresses of the shard's replicas (then internal_replication is on: the
   * Distributed table writes to one replica and replicated tables copy the rows).
   */
  cluster?: { name: string; shards: (ClickHouseShardAddress | ClickHouseShardAddress[])[] };
  /** Ports to reuse (to restart a stopped server on the same addresses). */
  ports?: { httpPort: number; tcpPort: number; interserverPort?: number };
  /** Replicated tables: the ZooKeeper to use and this server's {shard} and {replica} macros. */
  replication?: { zooKeeperPort: number; shard: string; replica: string };
  /** Directory to reuse (keeps the data of a stopped server). */
  dir?: string;
}

export interface ClickHouseServerProcess {
  pid: number;
  url: string;
  httpPort: number;
  tcpPort: number;
  /** Port other replicas fetch parts from (replicated servers only). */
  interserverPort: number | null;
  dir: string;
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process has exited. */
  stop(): Promise<void>;
  /** Everything the server printed so far. */
  log(): string;
}

function configXml(dir: string, httpPort: number, tcpPort: number, cluster: ClickHouseServerOptions['cluster'], replicationXml: string): string {
  const shards = (cluster?.shards ?? [])
    .map((shard) => {
      const replicas = Array.isArray(shard) ? shard : [shard];
      const internal = Array.isArray(shard) ? '<internal_replication>true</internal_replication>' : '';
      return `<shard>${internal}${replicas.map((replica) => `<replica><host>127.0.0.1</host><port>${replica.tcpPort}</port></replica>`).join('')}</shard>`;
    })
    .join('');
  const remoteServers = cluster ? `<remote_servers><${cluster.name}>${shards}</${cluster.name}></remote_servers>` : '';
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><console>1</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/data/tmp/</tmp_path>
  <user_files_path>${dir}/data/user_files/</user_files_path>
  <format_schema_path>${dir}/data/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <keep_alive_timeout>3</keep_alive_timeout>
  ${remoteServers}
  ${replicationXml}
</yandex>
`;
}

/** <zookeeper>, <macros> and the interserver address of a replica (all replicas share 127.0.0.1). */
function replicationConfigXml(replication: NonNullable<ClickHouseServerOptions['replication']>, interserverPort: number): string {
  return `<zookeeper><node><host>127.0.0.1</host><port>${replication.zooKeeperPort}</port></node><session_timeout_ms>10000</session_timeout_ms></zookeeper>
  <macros><shard>${replication.shard}</shard><replica>${replication.replica}</replica></macros>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <interserver_http_port>${interserverPort}</interserver_http_port>`;
}

/** Replicated test servers run four at a time: a few background threads each, a small mark cache. */
const LEAN_PROFILE_SETTINGS = '<background_pool_size>4</background_pool_size><background_schedule_pool_size>4</background_schedule_pool_size>';

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default></default></quotas>
</yandex>
`;

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`clickhouse-server exited with ${child.exitCode}:\n${output()}`);
    const ready = await fetch(`${url}/ping`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`clickhouse-server did not answer ${url}/ping within 30 s:\n${output()}`);
}

export async function startClickHouseServer(options: ClickHouseServerOptions = {}): Promise<ClickHouseServerProcess> {
  const binary = findClickHouseServer();
  if (binary === null) throw new Error('clickhouse-server is not installed');
  const dir = options.dir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'cairn-clickhouse-')));
  const httpPort = options.ports?.httpPort ?? (await freePort());
  const tcpPort = options.ports?.tcpPort ?? (await freePort());
  await fs.mkdir(path.join(dir, 'data'), { recursive: true });
  const interserverPort = options.replication ? (options.ports?.interserverPort ?? (await freePort())) : null;
  const replicationXml = options.replication && interserverPort !== null ? replicationConfigXml(options.replication, interserverPort) : '';
  let config = configXml(dir, httpPort, tcpPort, options.cluster, replicationXml);
  let users = USERS_XML;
  if (options.replication) {
    config = config.replace('<mark_cache_size>268435456</mark_cache_size>', '<mark_cache_size>67108864</mark_cache_size>');
    users = users.replace('<default><max_memory_usage>', `<default>${LEAN_PROFILE_SETTINGS}<max_memory_usage>`);
  }
  await fs.writeFile(path.join(dir, 'config.xml'), config);
  await fs.writeFile(path.join(dir, 'users.xml'), users);
  const child = spawn(binary, [`--config-file=${path.join(dir, 'config.xml')}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const supervised = supervise(child);
  const url = `http://127.0.0.1:${httpPort}`;
  try {
    await waitUntilReady(url, child, supervised.log);
  } catch (error) {
    child.kill('SIGKILL');
    await supervised.exited;
    if (!options.dir) await fs.rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    pid: child.pid!,
    url,
    httpPort,
    tcpPort,
    interserverPort,
    dir,
    log: supervised.log,
    stop: supervised.stop,
  };
}

/** The ports of one server of a cluster started by startClickHouseServers. */
export interface ServerPorts {
  httpPort: number;
  tcpPort: number;
  interserverPort: number;
}

/**
 * Starts `count` servers whose configs list one another's ports, picked beforehand. A port can be
 * taken by another process between its pick and a server's start: then the servers that did start
 * are stopped (and their directories removed) and all are tried again on fresh ports, up to
 * `attempts` times. Either every server runs or none does — a server left running by a failed
 * start keeps its test file from ever ending.
 */
export async function startClickHouseServers(
  count: number,
  options: (ports: ServerPorts[], index: number) => ClickHouseServerOptions,
  attempts = 3,
): Promise<{ servers: ClickHouseServerProcess[]; ports: ServerPorts[] }> {
  const failures: string[] = [];
  for (let attempt = 0; attempt < attempts; attempt++) {
    const ports: ServerPorts[] = [];
    for (let index = 0; index < count; index++) ports.push({ httpPort: await freePort(), tcpPort: await freePort(), interserverPort: await freePort() });
    const started = await Promise.allSettled(ports.map((_, index) => startClickHouseServer(options(ports, index))));
    const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    if (servers.length === count) return { servers, ports };
    failures.push(...started.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : [])));
    for (const server of servers) {
      await server.stop();
      await fs.rm(server.dir, { recursive: true, force: true });
    }
  }
  throw new Error(`${count} clickhouse-server processes did not start in ${attempts} attempts:\n${failures.join('\n')}`);
}

// `cairn doctor`: checks what `cairn serve` needs — Node version, data directory, ports, the
// store — and says what is wrong and how to fix it. Exits 1 when a check fails.

import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { type ServeConfig } from '../config.js';
import { describeStoreLocation, openConfiguredStore } from '../open-store.js';

type Outcome = { ok: boolean; label: string; detail: string };

const MIN_NODE = [20, 6] as const;

export async function doctor(config: ServeConfig, version: string): Promise<number> {
  const outcomes: Outcome[] = [];
  const report = (outcome: Outcome) => {
    outcomes.push(outcome);
    process.stdout.write(`${outcome.ok ? '✓' : '✗'} ${outcome.label}: ${outcome.detail}\n`);
  };

  report({ ok: true, label: 'cairn', detail: version });
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const nodeOk = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  report({ ok: nodeOk, label: 'node', detail: nodeOk ? process.version : `${process.version} is too old; install Node ${MIN_NODE.join('.')} or later` });

  const dataDir = path.resolve(config.dataDir);
  report(await checkDataDir(dataDir));

  const api = await checkPort(config.host, config.port, '--port / CAIRN_PORT', 'query API', probeApi);
  report(api.outcome);
  report((await checkPort(config.host, config.otlpHttpPort, '--otlp-http-port / CAIRN_OTLP_HTTP_PORT', 'OTLP/HTTP', probeOtlpHttp)).outcome);
  report((await checkPort(config.host, config.otlpGrpcPort, '--otlp-grpc-port / CAIRN_OTLP_GRPC_PORT', 'OTLP/gRPC', null)).outcome);

  report(api.cairnRunning ? await storeViaApi(config) : await storeDirect(config));

  const failed = outcomes.filter((outcome) => !outcome.ok).length;
  process.stdout.write(failed === 0 ? 'all checks passed\n' : `${failed} check(s) failed\n`);
  return failed === 0 ? 0 : 1;
}

async function checkDataDir(dataDir: string): Promise<Outcome> {
  const label = `data dir ${dataDir}`;
  try {
    await fs.mkdir(dataDir, { recursive: true });
    const probe = path.join(dataDir, `.doctor-${process.pid}`);
    await fs.writeFile(probe, 'ok');
    await fs.rm(probe);
    const stats = await fs.statfs(dataDir);
    const freeGiB = (stats.bavail * stats.bsize) / 2 ** 30;
    if (freeGiB < 1) return { ok: false, label, detail: `only ${freeGiB.toFixed(2)} GiB free; free disk space or pass --data-dir on a bigger disk` };
    return { ok: true, label, detail: `writable, ${freeGiB.toFixed(1)} GiB free` };
  } catch (error) {
    return { ok: false, label, detail: `not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); pass --data-dir with a directory you can write` };
  }
}

type Probe = (baseUrl: string) => Promise<boolean>;

async function checkPort(host: string, port: number, flag: string, role: string, probe: Probe | null) {
  const label = `${role} port ${port}`;
  if (port === 0) return { cairnRunning: false, outcome: { ok: true, label: `${role}`, detail: 'disabled (port 0)' } };
  const inUse = await isListening(host, port);
  if (!inUse) return { cairnRunning: false, outcome: { ok: true, label, detail: `free on ${host}` } };
  const cairnRunning = probe ? await probe(`http://${host.includes(':') ? `[${host}]` : host}:${port}`) : false;
  if (cairnRunning) return { cairnRunning, outcome: { ok: true, label, detail: `a Cairn server is already answering here` } };
  if (!probe) return { cairnRunning, outcome: { ok: true, label, detail: `in use (a running cairn serve, or another program: if serve fails to start, pass ${flag})` } };
  return { cairnRunning, outcome: { ok: false, label, detail: `in use by another program; stop it or pass ${flag} with a free port` } };
}

function isListening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1_000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(false));
  });
}

async function probeApi(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return response.ok && ((await response.json()) as { status?: string }).status === 'ok';
  } catch {
    return false;
  }
}

async function probeOtlpHttp(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(2_000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

async function storeViaApi(config: ServeConfig): Promise<Outcome> {
  try {
    const response = await fetch(`http://${config.host}:${config.port}/api/v1/stats`, { signal: AbortSignal.timeout(5_000) });
    const stats = (await response.json()) as { spanCount?: number; storeBytes?: number; store?: string };
    return { ok: response.ok, label: 'store', detail: `in use by the running server, ${stats.store ?? 'store unknown'}: ${stats.spanCount ?? '?'} spans, ${formatBytes(stats.storeBytes ?? 0)}` };
  } catch (error) {
    return { ok: false, label: 'store', detail: `the running server did not answer /api/v1/stats: ${(error as Error).message}` };
  }
}

async function storeDirect(config: ServeConfig): Promise<Outcome> {
  try {
    const store = await openConfiguredStore(config);
    const stats = await store.stats();
    await store.close();
    return { ok: true, label: 'store', detail: `${store.description}: ${stats.spanCount} spans in ${stats.traceCount} traces, ${formatBytes(stats.storeBytes)}` };
  } catch (error) {
    return { ok: false, label: 'store', detail: `cannot open ${describeStoreLocation(config)}: ${(error as Error).message}` };
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

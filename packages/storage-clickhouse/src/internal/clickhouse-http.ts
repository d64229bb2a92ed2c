// Minimal ClickHouse HTTP client on node:http with keep-alive (the official client needs 24.8+;
// this one talks to 18.16 and later alike). SELECTs travel in the POST body and come back as
// JSONCompact; INSERTs carry the statement in the URL and RowBinary rows in the body.
//
// ClickHouse closes idle keep-alive connections after keep_alive_timeout (3 s on 18.16). A request
// sent on a pooled socket the server has just closed fails with ECONNRESET / "socket hang up"
// before the server saw it, so such a failure on a *reused* socket is retried once on a fresh one.

import http from 'node:http';
import { ClickHouseError } from '../clickhouse-error.js';

export type Settings = Record<string, string | number>;

export interface ClickHouseHttpOptions {
  /** Database for unqualified table names; null for the server default. */
  database: string | null;
  /** Per-request time limit. */
  requestTimeoutMillis: number;
  /** Sockets kept per server. */
  maxSockets: number;
  /** Settings sent with every request (a request's own settings win). */
  settings?: Settings;
}

interface JsonCompactAnswer {
  data: unknown[][];
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE']);

export class ClickHouseHttp {
  readonly url: string;
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(
    url: string,
    readonly options: ClickHouseHttpOptions,
  ) {
    this.base = new URL(url);
    if (this.base.protocol !== 'http:') throw new ClickHouseError('store_failed', `ClickHouse URL ${url} must start with http://`, null);
    this.url = this.base.origin;
    // keepAlive reuses connections; a free socket is dropped after 2 s, before ClickHouse's 3 s.
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets, timeout: 2_000 });
  }

  /** Runs a SELECT and returns its rows (64-bit integers arrive as decimal strings). */
  async query(sql: string, settings: Settings = {}): Promise<unknown[][]> {
    const body = await this.request({ ...settings }, Buffer.from(`${sql}\nFORMAT JSONCompact`));
    return (JSON.parse(body.toString('utf8')) as JsonCompactAnswer).data;
  }

  /** Runs a statement without result rows (DDL, ALTER, INSERT … SELECT). */
  async exec(sql: string, settings: Settings = {}): Promise<void> {
    await this.request({ ...settings }, Buffer.from(sql));
  }

  /** INSERT of RowBinary rows; resolves once ClickHouse has written them. */
  async insertRowBinary(table: string, columns: readonly string[], rows: Buffer, settings: Settings = {}): Promise<void> {
    await this.request({ ...settings, query: `INSERT INTO ${table} (${columns.join(', ')}) FORMAT RowBinary` }, rows);
  }

  close(): void {
    this.agent.destroy();
  }

  private async request(params: Settings, body: Buffer): Promise<Buffer> {
    try {
      return await this.send(params, body);
    } catch (error) {
      if (error instanceof RetryOnFreshSocket) return this.send(params, body, true);
      throw error;
    }
  }

  private send(params: Settings, body: Buffer, fresh = false): Promise<Buffer> {
    const search = new URLSearchParams();
    if (this.options.database !== null) search.set('database', this.options.database);
    for (const [key, value] of Object.entries({ ...this.options.settings, ...params })) search.set(key, String(value));
    const path = `${this.base.pathname.replace(/\/$/, '')}/?${search.toString()}`;
    return new Promise<Buffer>((resolve, reject) => {
      const request = http.request(
        {
          host: this.base.hostname,
          port: this.base.port === '' ? 8123 : Number(this.base.port),
          path,
          method: 'POST',
          // A fresh socket outside the pool for the one retry, so it cannot be a stale one again.
          agent: fresh ? false : this.agent,
          auth: this.base.username === '' ? undefined : `${decodeURIComponent(this.base.username)}:${decodeURIComponent(this.base.password)}`,
          headers: { 'content-length': body.length, 'content-type': 'application/octet-stream' },
          timeout: this.options.requestTimeoutMillis,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => reject(ClickHouseError.unreachable(this.url, error)));
          response.on('end', () => {
            const answer = Buffer.concat(chunks);
            const status = response.statusCode ?? 0;
            if (status === 200) resolve(answer);
            else reject(ClickHouseError.fromResponse(this.url, status, answer.toString('utf8')));
          });
        },
      );
      request.on('timeout', () => request.destroy(Object.assign(new Error(`no answer within ${this.options.requestTimeoutMillis} ms`), { code: 'ETIMEDOUT' })));
      request.on('error', (error: NodeJS.ErrnoException) => {
        const stale = request.reusedSocket && (RESET_CODES.has(error.code ?? '') || /socket hang up/.test(error.message));
        reject(stale && !fresh ? new RetryOnFreshSocket() : ClickHouseError.unreachable(this.url, error));
      });
      request.end(body);
    });
  }
}

class RetryOnFreshSocket extends Error {
  override readonly name = 'RetryOnFreshSocket';
}

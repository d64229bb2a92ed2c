// Applies the configured retention (TraceStore.applyRetention) when the server starts and then
// every intervalMillis. Failures are logged and retried at the next tick; they never stop the
// server. With several servers on one ClickHouse, each applies the same policy: the passes are
// idempotent (dropping a partition that is already gone is a no-op), so the cost is repeated
// work, not a wrong answer.

import { nowUnixNano } from '@cairn/model';
import type { ProjectRetention, TraceStore } from '@cairn/storage';
import type { Logger } from '../logger.js';

export interface RetentionPolicy {
  /** Keep traces of projects without an override this long (ms); null: forever. */
  defaultMaxAgeMs: number | null;
  /** Per-project overrides (maxAgeMs null: keep that project forever). */
  projects: ProjectRetention[];
}

export interface RetentionSchedulerOptions {
  store: TraceStore;
  logger: Logger;
  policy: RetentionPolicy;
  /** Pause between passes. Default 1 hour. */
  intervalMillis?: number;
}

export const DEFAULT_RETENTION_INTERVAL_MILLIS = 3_600_000;

function describeAge(maxAgeMs: number | null): string {
  if (maxAgeMs === null) return 'forever';
  return maxAgeMs % 86_400_000 === 0 ? `${maxAgeMs / 86_400_000} d` : `${maxAgeMs} ms`;
}

/** "30 d (team-a: 7 d, audit: forever)": the policy in one line for the log. */
export function describeRetentionPolicy(policy: RetentionPolicy): string {
  const overrides = policy.projects.map((project) => `${project.projectId}: ${describeAge(project.maxAgeMs)}`);
  return `${describeAge(policy.defaultMaxAgeMs)}${overrides.length > 0 ? ` (${overrides.join(', ')})` : ''}`;
}

export class RetentionScheduler {
  private readonly intervalMillis: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = true;

  constructor(private readonly options: RetentionSchedulerOptions) {
    this.intervalMillis = options.intervalMillis ?? DEFAULT_RETENTION_INTERVAL_MILLIS;
  }

  /** Runs a pass now, then one every intervalMillis until stop(). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.options.logger.info(`retention: keeping traces ${describeRetentionPolicy(this.options.policy)}, applied every ${this.intervalMillis / 60_000} min`);
    this.tick();
  }

  /** No further passes; waits for one in progress (the store may be closed afterwards). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private tick(): void {
    this.running = this.pass().finally(() => {
      if (this.stopped) return;
      this.timer = setTimeout(() => this.tick(), this.intervalMillis);
      // The schedule alone must not keep the process alive.
      this.timer.unref();
    });
  }

  private async pass(): Promise<void> {
    const { store, logger, policy } = this.options;
    try {
      const result = await store.applyRetention({ ...policy, nowUnixNano: nowUnixNano() });
      if (result.tracesRemoved > 0) logger.info(`retention: removed ${result.tracesRemoved} traces (${result.spansRemoved} spans) past their retention`);
    } catch (error) {
      logger.error('retention pass failed; retrying at the next interval', error);
    }
  }
}

// Instrumentation never throws into the host app: every internal step runs through `guard`, and
// what it throws goes to the OpenTelemetry diagnostic logger instead.

import { diag } from '@opentelemetry/api';

const logger = diag.createComponentLogger({ namespace: '@cairn/sdk' });

/** Runs `step`; on a throw, logs it and returns `fallback`. */
export function guard<T>(what: string, step: () => T, fallback: T): T {
  try {
    return step();
  } catch (error) {
    logger.warn(`${what} failed; telemetry for it is skipped`, error);
    return fallback;
  }
}

export function warn(message: string, ...args: unknown[]): void {
  logger.warn(message, ...args);
}

export function debug(message: string, ...args: unknown[]): void {
  logger.debug(message, ...args);
}

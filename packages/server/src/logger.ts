// Diagnostics go through this tiny interface so the CLI (or a test) decides where they end up.
// Never pass secrets or request bodies to it.

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, cause?: unknown): void;
}

function describeCause(cause: unknown): string {
  if (cause === undefined) return '';
  if (cause instanceof Error) {
    const nested = cause.cause === undefined ? '' : ` (cause: ${describeCause(cause.cause).trim()})`;
    return ` — ${cause.name}: ${cause.message}${nested}`;
  }
  return ` — ${String(cause)}`;
}

/** One line per message on stderr, prefixed with the time and level. */
export function createStderrLogger(): Logger {
  const write = (level: string, message: string) => {
    process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
  };
  return {
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message, cause) => write('error', message + describeCause(cause)),
  };
}

/** Discards everything; for embedding where diagnostics are unwanted. */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

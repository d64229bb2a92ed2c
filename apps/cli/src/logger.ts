// One line per message on stderr, prefixed with the time; the CLI's only logger.

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function stderrLogger(): Logger {
  const write = (level: string, message: string) =>
    process.stderr.write(`${new Date().toISOString()} ${level} cairn: ${message}\n`);
  return {
    info: (message) => write('info ', message),
    warn: (message) => write('warn ', message),
    error: (message) => write('error', message),
  };
}

// `--since`: an ISO date or time ("2025-06-10", "2025-06-10T12:00:00Z") or an age ("7d", "12h",
// "30m"), as nanoseconds since the epoch.

import { ConfigError } from './config.js';

const AGE = /^(\d+)\s*(m|h|d|w)$/;
const MILLIS_PER_UNIT: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseSince(text: string, nowMillis: number): bigint {
  const age = AGE.exec(text.trim());
  if (age !== null) return BigInt(nowMillis - Number(age[1]) * MILLIS_PER_UNIT[age[2]!]!) * 1_000_000n;
  const millis = Date.parse(text);
  if (Number.isNaN(millis) || !/^\d{4}-\d{2}-\d{2}/.test(text.trim())) {
    throw new ConfigError(`--since ${JSON.stringify(text)}: must be a date (2025-06-10), a time (2025-06-10T12:00:00Z) or an age (7d, 12h, 30m)`);
  }
  return BigInt(millis) * 1_000_000n;
}

// Nanosecond time helpers. Nanoseconds are bigint; milliseconds are numbers (safe up to year 287,396).

const NANOS_PER_MILLI = 1_000_000n;

export function nanosToMillis(nanos: bigint): number {
  return Number(nanos / NANOS_PER_MILLI) + Number(nanos % NANOS_PER_MILLI) / 1e6;
}

export function millisToNanos(millis: number): bigint {
  const whole = Math.trunc(millis);
  return BigInt(whole) * NANOS_PER_MILLI + BigInt(Math.round((millis - whole) * 1e6));
}

/** ISO 8601 with millisecond precision, e.g. 2026-11-21T10:00:00.123Z. */
export function nanosToIso(nanos: bigint): string {
  return new Date(Number(nanos / NANOS_PER_MILLI)).toISOString();
}

/** Duration in milliseconds as a number with microsecond precision; never negative. */
export function durationMillis(startUnixNano: bigint, endUnixNano: bigint): number {
  const nanos = endUnixNano - startUnixNano;
  if (nanos <= 0n) return 0;
  return Math.round(Number(nanos) / 1e3) / 1e3;
}

/** Current time in nanoseconds (millisecond resolution plus a monotonic sub-millisecond part). */
export function nowUnixNano(): bigint {
  return BigInt(Date.now()) * NANOS_PER_MILLI;
}

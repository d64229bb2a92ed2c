// How the conformance suite reaches an adapter, plus the small helpers every case file shares.

import type { TraceStore } from '../trace-store.js';
import type { SpanRecord } from '@cairn/model';

export interface TraceStoreHarness {
  /** A fresh, empty store (e.g. in a new temp dir). The case closes it. */
  open(): Promise<TraceStore>;
  /** Opens again the store most recently returned by open(), after the case closed it. */
  reopen?(): Promise<TraceStore>;
}

/** Opens a fresh store, runs the case, and always closes the store. */
export async function withStore<T>(harness: TraceStoreHarness, body: (store: TraceStore) => Promise<T>): Promise<T> {
  const store = await harness.open();
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/** 2026-01-15T10:00:00Z in nanoseconds: a fixed base so windows and sorts are deterministic. */
export const T0 = 1_768_471_200_000_000_000n;
export const NS_PER_MINUTE = 60_000_000_000n;
export const NS_PER_HOUR = 60n * NS_PER_MINUTE;

/** A span without input/output: what getTrace lists. */
export function withoutPayload(record: SpanRecord): Omit<SpanRecord, 'input' | 'output'> {
  const { input: _input, output: _output, ...stored } = record;
  return stored;
}

export function sorted(values: readonly string[]): string[] {
  return [...values].sort();
}

// What the connected ClickHouse can do, from `SELECT version()`. The baseline schema runs on 18.16
// (Debian's package); newer servers get the features below switched on by gated migrations.

export interface ServerFeatures {
  /** e.g. "18.16.1". */
  version: string;
  /** LowCardinality(T) without an experimental setting: 19.3. */
  lowCardinality: boolean;
  /** Column CODEC(...) (ZSTD, Delta): 19.1.6. */
  codecs: boolean;
  /** Data-skipping indexes (minmax, bloom_filter) without an experimental setting: 20.1. */
  skipIndexes: boolean;
  /** Table TTL and ALTER … MODIFY TTL: 19.6. */
  ttl: boolean;
}

type Version = readonly [number, number, number];

function parseVersion(text: string): Version {
  const [major = 0, minor = 0, patch = 0] = text.split('.').map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
}

function atLeast(version: Version, wanted: Version): boolean {
  for (let index = 0; index < 3; index++) {
    if (version[index]! !== wanted[index]!) return version[index]! > wanted[index]!;
  }
  return true;
}

export function featuresOf(versionText: string): ServerFeatures {
  const version = parseVersion(versionText);
  return {
    version: versionText,
    lowCardinality: atLeast(version, [19, 3, 0]),
    codecs: atLeast(version, [19, 1, 6]),
    skipIndexes: atLeast(version, [20, 1, 0]),
    ttl: atLeast(version, [19, 6, 0]),
  };
}

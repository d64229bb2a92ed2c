// Named, explicitly typed SQL parameters, recorded as plain specs so they can be sent to the
// DuckDB worker. Explicit types matter: a JS bigint would otherwise bind as HUGEINT, and
// comparing a BIGINT column with a HUGEINT casts the column and defeats zone-map pruning.

import type { ParamSpec } from './worker-protocol.js';

export class SqlParams {
  readonly specs: ParamSpec[] = [];

  private add(spec: Omit<ParamSpec, 'name'>): string {
    const name = `p${this.specs.length + 1}`;
    this.specs.push({ name, ...spec } as ParamSpec);
    return `$${name}`;
  }

  text(value: string): string {
    return this.add({ kind: 'text', value });
  }

  bigint(value: bigint): string {
    return this.add({ kind: 'bigint', value });
  }

  /** A UINTEGER (0 … 2³²−1), for UINTEGER columns: compared as it is, not by casting the column. */
  uinteger(value: number): string {
    return this.add({ kind: 'uinteger', value });
  }

  double(value: number): string {
    return this.add({ kind: 'double', value });
  }

  textList(values: readonly string[]): string {
    return this.add({ kind: 'textList', value: [...values] });
  }

  /** A LIST(UINTEGER), for `uinteger_column IN (SELECT unnest(list))`. */
  uintegerList(values: readonly number[]): string {
    return this.add({ kind: 'uintegerList', value: [...values] });
  }
}

// Named, explicitly typed SQL parameters. Explicit types matter: a JS bigint would otherwise bind
// as HUGEINT, and comparing a BIGINT column with a HUGEINT casts the column and defeats zone-map
// pruning on start_ns.

import type { DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { BIGINT, DOUBLE, LIST, VARCHAR, listValue } from '@duckdb/node-api';

export class SqlParams {
  readonly values: Record<string, DuckDBValue> = {};
  readonly types: Record<string, DuckDBType> = {};
  private count = 0;

  private add(value: DuckDBValue, type: DuckDBType): string {
    this.count += 1;
    const name = `p${this.count}`;
    this.values[name] = value;
    this.types[name] = type;
    return `$${name}`;
  }

  text(value: string): string {
    return this.add(value, VARCHAR);
  }

  bigint(value: bigint): string {
    return this.add(value, BIGINT);
  }

  double(value: number): string {
    return this.add(value, DOUBLE);
  }

  textList(values: readonly string[]): string {
    return this.add(listValue([...values]), LIST(VARCHAR));
  }
}

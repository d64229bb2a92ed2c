// Opaque page cursors: base64url JSON of the last item's sort key and id. Ordering always ends
// with the id as tie-breaker, so a page boundary inside a run of equal keys loses nothing.

import { InvalidCursorError } from '../errors.js';

export interface CursorPosition {
  /** Which ordering the cursor belongs to, e.g. "traces:cost:desc". */
  order: string;
  key: bigint | number;
  id: string;
}

interface CursorJson {
  o: string;
  k: string | number;
  b: boolean;
  i: string;
}

export function encodeCursor(position: CursorPosition): string {
  const json: CursorJson = {
    o: position.order,
    k: typeof position.key === 'bigint' ? position.key.toString() : position.key,
    b: typeof position.key === 'bigint',
    i: position.id,
  };
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

export function decodeCursor(cursor: string, order: string): CursorPosition {
  let json: Partial<CursorJson>;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorJson>;
  } catch {
    throw new InvalidCursorError(cursor);
  }
  if (json === null || typeof json !== 'object' || json.o !== order || typeof json.i !== 'string') {
    throw new InvalidCursorError(cursor);
  }
  if (json.b === true && typeof json.k === 'string' && /^-?\d+$/.test(json.k)) {
    return { order, key: BigInt(json.k), id: json.i };
  }
  if (json.b === false && typeof json.k === 'number' && Number.isFinite(json.k)) {
    return { order, key: json.k, id: json.i };
  }
  throw new InvalidCursorError(cursor);
}

// A collapsible JSON tree: objects and arrays are <details>, open down to `openDepth` levels.
// Large arrays show their first items only, so a huge payload cannot freeze the panel.

import type { ReactNode } from 'react';

const MAX_ITEMS = 200;

function Scalar({ value }: { value: unknown }) {
  if (typeof value === 'string') return <span className="str">{JSON.stringify(value)}</span>;
  if (typeof value === 'number' || typeof value === 'bigint') return <span className="num">{String(value)}</span>;
  if (typeof value === 'boolean' || value === null || value === undefined) return <span className="lit">{String(value)}</span>;
  return <span>{String(value)}</span>;
}

function Node({ name, value, depth, openDepth }: { name: ReactNode; value: unknown; depth: number; openDepth: number }) {
  const label = name === null ? null : (
    <>
      <span className="key">{name}</span>
      <span className="dim">: </span>
    </>
  );
  if (typeof value !== 'object' || value === null) {
    return (
      <div className="row">
        {label}
        <Scalar value={value} />
      </div>
    );
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
  const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div className="row">
        {label}
        <span className="dim">{brackets.join('')}</span>
      </div>
    );
  }
  return (
    <details open={depth < openDepth}>
      <summary>
        {label}
        <span className="dim">
          {brackets[0]} {Array.isArray(value) ? `${entries.length} items` : `${entries.length} keys`} {brackets[1]}
        </span>
      </summary>
      {entries.slice(0, MAX_ITEMS).map(([key, item]) => (
        <Node key={key} name={key} value={item} depth={depth + 1} openDepth={openDepth} />
      ))}
      {entries.length > MAX_ITEMS && <div className="row dim">… {entries.length - MAX_ITEMS} more</div>}
    </details>
  );
}

export function JsonTree({ value, openDepth = 2, label }: { value: unknown; openDepth?: number; label?: string }) {
  return (
    <div className="json" role="group" aria-label={label}>
      <Node name={null} value={value} depth={0} openDepth={openDepth} />
    </div>
  );
}

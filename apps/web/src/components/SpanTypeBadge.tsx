import type { SpanType } from '../api/api-types.js';
import { spanTypeStyle } from '../model/span-style.js';

export function SpanTypeBadge({ type }: { type: SpanType | null }) {
  const style = spanTypeStyle(type);
  return (
    <span className="badge" style={{ ['--badge' as string]: `var(--type-${style.colour})` }} title={style.description} aria-label={style.description}>
      {style.label}
    </span>
  );
}

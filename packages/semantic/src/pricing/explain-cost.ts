// "Why this cost": the breakdown behind a stored span's cost, for the span-detail API, and the
// recomputation `cairn prices recompute` applies after prices change.

import type { CostProvenance, SpanRecord } from '@cairn/model';
import { appCostOf } from './app-cost.js';
import type { CostBreakdown } from './compute-cost.js';
import { computeCost } from './compute-cost.js';
import type { PricingContext } from './pricing-context.js';
import { defaultPricingContext } from './pricing-context.js';

/** The fields of a stored span that pricing reads (StoredSpan and SpanRecord both have them). */
export type CostExplainableSpan = Pick<
  SpanRecord,
  'projectId' | 'spanType' | 'model' | 'requestModel' | 'provider' | 'usage' | 'hasUsage' | 'costUsd' | 'attributes' | 'startTimeUnixNano'
> & { costProvenance?: CostProvenance | null };

export interface CostExplanation extends CostBreakdown {
  /** The cost as stored with the span, and whether current prices give a different one. */
  storedCostUsd: number | null;
  storedProvenance: CostProvenance | null;
  stale: boolean;
}

/**
 * The breakdown of a span's cost under the given prices (the bundled ones by default); null for
 * spans that are not model calls. When the stored cost differs from what the prices give now,
 * `stale` is true and a note says how to recompute.
 */
export function explainCost(span: CostExplainableSpan, pricing: PricingContext = defaultPricingContext()): CostExplanation | null {
  const breakdown = computeCost(span, appCostFor(span), pricing);
  if (breakdown === null) return null;
  const storedProvenance = span.costProvenance ?? null;
  const stale = span.costUsd !== breakdown.costUsd || (storedProvenance !== null && !sameProvenance(storedProvenance, breakdown.provenance));
  if (stale) {
    const was = storedProvenance?.priceTableVersion ? ` (prices ${storedProvenance.priceTableVersion})` : '';
    breakdown.notes.push(`stored cost ${String(span.costUsd)}${was} differs from the current ${String(breakdown.costUsd)}; \`cairn prices recompute\` updates it`);
  }
  return { ...breakdown, storedCostUsd: span.costUsd, storedProvenance, stale };
}

export interface RecomputedCost {
  costUsd: number | null;
  costProvenance: CostProvenance | null;
  /** True when either differs from what the span has stored. */
  changed: boolean;
}

/** A stored span's cost under the given prices; the app's own amount is always kept. */
export function recomputeCost(span: CostExplainableSpan, pricing: PricingContext): RecomputedCost {
  const breakdown = computeCost(span, appCostFor(span), pricing);
  const costUsd = breakdown?.costUsd ?? null;
  const costProvenance = breakdown?.provenance ?? null;
  const stored = span.costProvenance ?? null;
  const changed = costUsd !== span.costUsd || (costProvenance === null ? stored !== null : stored === null || !sameProvenance(stored, costProvenance));
  return { costUsd, costProvenance, changed };
}

/** The app's amount: as stored when provenance says so, else read again from the raw attributes. */
function appCostFor(span: CostExplainableSpan): number | undefined {
  if (span.costProvenance?.source === 'app' && span.costUsd !== null) return span.costUsd;
  return appCostOf(span.attributes);
}

function sameProvenance(a: CostProvenance, b: CostProvenance): boolean {
  return a.source === b.source && a.priceTableVersion === b.priceTableVersion && a.priceId === b.priceId && a.tier === b.tier;
}

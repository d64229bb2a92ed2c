// @cairn/semantic: turns raw OTLP spans into canonical SpanRecords (dialect detection,
// span classification, usage, messages, previews).

export { NORMALIZER_VERSION } from './normalizer-version.js';
export type { NormalizeContext } from './normalize-span.js';
export { normalizeSpan } from './normalize-span.js';
export type { ModelCallCandidate } from './nested-model-calls.js';
export { demoteToWrapper, demoteWrappingModelCalls, isDemotedWrapper, WRAPS_MODEL_CALL } from './nested-model-calls.js';
export type { SpanContentValues } from './derived-content.js';
export { deriveSpanContent, hasDerivedContent } from './derived-content.js';
export type { CanonicalField } from './dialect.js';
export type { ExplainedField, ExplainProblem, OverriddenValue, SpanExplanation } from './explain/explain-span.js';
export { explainSpan } from './explain/explain-span.js';
export type { CacheConvention, PriceEntry, PriceTable, PriceTier, TokenClass, TokenPrices } from './pricing/price-table.js';
export { parsePriceTable, PriceTableError, TOKEN_CLASSES } from './pricing/price-table.js';
export { BUNDLED_PRICE_TABLE } from './pricing/bundled-price-table.js';
export type { PriceLookup, PriceMatch, PricingSnapshot } from './pricing/pricing-context.js';
export { defaultPricingContext, PricingContext } from './pricing/pricing-context.js';
export type { ModelIdCandidate, ModelMatchKind } from './pricing/model-id-candidates.js';
export { modelIdCandidates } from './pricing/model-id-candidates.js';
export type { CostBreakdown, CostLine, CostSubject } from './pricing/compute-cost.js';
export { computeCost } from './pricing/compute-cost.js';
export type { CostExplainableSpan, CostExplanation, RecomputedCost } from './pricing/explain-cost.js';
export { explainCost, recomputeCost } from './pricing/explain-cost.js';
export { appCostOf } from './pricing/app-cost.js';
export type { ReasoningConvention, UsageReading } from './pricing/usage-convention.js';

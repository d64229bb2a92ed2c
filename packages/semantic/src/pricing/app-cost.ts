// Costs the instrumented app (or a gateway) computed itself and sent as attributes. They win
// over the price table: the app knows its negotiated prices, batch discounts and credits.

import type { AttributeMap } from '@cairn/model';
import { numberAttribute } from '@cairn/model';

/** Total-cost attributes in USD, in precedence order. */
const TOTAL_COST_KEYS: readonly string[] = [
  'gen_ai.usage.cost', // proposed OTel GenAI attribute; Laminar, OpenHands
  'cairn.cost_usd', // Cairn conventions
  'llm.cost.total', // OpenInference
];
const LANGFUSE_COST_DETAILS = 'langfuse.observation.cost_details';

/** The app-given cost of a span in USD, or undefined when it sent none. Never throws. */
export function appCostOf(attributes: AttributeMap): number | undefined {
  for (const key of TOTAL_COST_KEYS) {
    const amount = numberAttribute(attributes, key);
    if (amount !== undefined && amount >= 0) return amount;
  }
  const details = attributes[LANGFUSE_COST_DETAILS];
  return typeof details === 'string' ? langfuseTotal(details) : undefined;
}

/** Langfuse cost_details: `{"total": x}` or per usage type amounts (`{"input": a, "output": b}`). */
function langfuseTotal(text: string): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const amounts = parsed as Record<string, unknown>;
  if (typeof amounts.total === 'number' && amounts.total >= 0) return amounts.total;
  let sum = 0;
  let found = false;
  for (const amount of Object.values(amounts)) {
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) continue;
    sum += amount;
    found = true;
  }
  return found ? sum : undefined;
}

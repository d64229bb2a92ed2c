// Which prices apply to a span: the project's own prices (set over the API) first, then custom
// price files for that project or every project, then the bundled table. Lookups are cached per (project, model, provider) because
// normalizeSpan prices every model call on the ingest path.

import { BUNDLED_PRICE_TABLE } from './bundled-price-table.js';
import type { ModelMatchKind } from './model-id-candidates.js';
import { modelIdCandidates } from './model-id-candidates.js';
import type { PriceEntry, PriceTable } from './price-table.js';

export interface PriceMatch {
  table: PriceTable;
  entry: PriceEntry;
  /** The price that followed this one for the same id (its effectiveFrom ends this one), if any. */
  next: PriceEntry | null;
  matchedBy: ModelMatchKind;
  /** The model name as the span reported it. */
  reportedModel: string;
}

export type PriceLookup = { match: PriceMatch; reason: null } | { match: null; reason: string };

interface ResolvedModel {
  table: PriceTable;
  /** Every price of the id, oldest first. */
  history: PriceEntry[];
  matchedBy: ModelMatchKind;
  reportedModel: string;
}

/** Bounds the lookup cache: model names come from untrusted spans. */
const MAX_CACHED_LOOKUPS = 10_000;

/**
 * The tables a PricingContext prices with, as structured-clone data: what another thread needs to
 * price exactly like this one (PricingContext.snapshot / fromSnapshot). The bundled table is only
 * carried when it is not the one every thread already has.
 */
export interface PricingSnapshot {
  bundled: PriceTable | null;
  /** Highest precedence first, as registered. */
  custom: PriceTable[];
  projects: [string, PriceTable][];
}

export class PricingContext {
  readonly bundled: PriceTable;
  private readonly customTables: PriceTable[] = [];
  private readonly projectTables = new Map<string, PriceTable>();
  // Weak: a project's prices replaced over the API must not keep their index alive.
  private readonly indexes = new WeakMap<PriceTable, Map<string, PriceEntry[]>>();
  private readonly cache = new Map<string, ResolvedModel | string>();
  private readonly listeners = new Set<() => void>();

  constructor(options: { bundled?: PriceTable; custom?: readonly PriceTable[] } = {}) {
    this.bundled = options.bundled ?? BUNDLED_PRICE_TABLE;
    for (const table of options.custom ?? []) this.addCustomPrices(table);
  }

  /** A context that prices exactly like the one the snapshot was taken of. */
  static fromSnapshot(snapshot: PricingSnapshot): PricingContext {
    const context = new PricingContext(snapshot.bundled === null ? {} : { bundled: snapshot.bundled });
    context.restore(snapshot);
    return context;
  }

  snapshot(): PricingSnapshot {
    return {
      bundled: this.bundled === BUNDLED_PRICE_TABLE ? null : this.bundled,
      custom: [...this.customTables],
      projects: [...this.projectTables],
    };
  }

  /** Replaces the custom and project prices with the snapshot's (its bundled table is not taken). */
  restore(snapshot: PricingSnapshot): void {
    this.customTables.splice(0, this.customTables.length, ...snapshot.custom);
    this.projectTables.clear();
    for (const [projectId, table] of snapshot.projects) this.projectTables.set(projectId, table);
    this.changed();
  }

  /** Calls `listener` after each change of the custom or project prices; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.cache.clear();
    for (const listener of this.listeners) listener();
  }

  /**
   * Registers custom prices (origin "custom"); they win over the bundled table for the projects
   * in `table.projects` (every project when null). Later registrations win over earlier ones.
   */
  addCustomPrices(table: PriceTable): void {
    this.customTables.unshift({ ...table, origin: 'custom' });
    this.changed();
  }

  get customPrices(): readonly PriceTable[] {
    return this.customTables;
  }

  /**
   * Sets (or with null removes) one project's own prices, which win over every other table for
   * that project. Takes effect for the next lookup: spans priced before keep their cost.
   */
  setProjectPrices(projectId: string, table: PriceTable | null): void {
    if (table === null) this.projectTables.delete(projectId);
    else this.projectTables.set(projectId, { ...table, origin: 'custom', projects: [projectId] });
    this.changed();
  }

  /** The project's own prices, or null when it has none. */
  projectPrices(projectId: string): PriceTable | null {
    return this.projectTables.get(projectId) ?? null;
  }

  /** Every table that prices a span of the project, highest precedence first. */
  tablesFor(projectId: string): PriceTable[] {
    const own = this.projectTables.get(projectId);
    return [
      ...(own === undefined ? [] : [own]),
      ...this.customTables.filter((table) => table.projects === null || table.projects.includes(projectId)),
      this.bundled,
    ];
  }

  /**
   * The price for the first of `models` (response model, then request model) that some table
   * knows, valid at `atUnixNano`; or the reason there is none.
   */
  lookup(projectId: string, models: readonly (string | null)[], provider: string | null, atUnixNano: bigint): PriceLookup {
    const reasons: string[] = [];
    for (const model of models) {
      if (model === null || model === '') continue;
      const resolved = this.resolve(projectId, model, provider);
      if (typeof resolved === 'string') {
        reasons.push(resolved);
        continue;
      }
      return { match: pickByDate(resolved, atUnixNano), reason: null };
    }
    return { match: null, reason: reasons.length === 0 ? 'the span names no model' : reasons.join('; ') };
  }

  /** All prices a table lists under `id` (an id or alias, any case), oldest first. */
  history(table: PriceTable, id: string): PriceEntry[] {
    return this.indexOf(table).get(id.trim().toLowerCase()) ?? [];
  }

  private resolve(projectId: string, model: string, provider: string | null): ResolvedModel | string {
    const key = `${projectId}\u0000${model}\u0000${provider ?? ''}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const resolved = this.resolveUncached(projectId, model, provider);
    if (this.cache.size >= MAX_CACHED_LOOKUPS) this.cache.clear();
    this.cache.set(key, resolved);
    return resolved;
  }

  private resolveUncached(projectId: string, model: string, provider: string | null): ResolvedModel | string {
    const tables = this.tablesFor(projectId);
    const candidates = modelIdCandidates(model);
    let providerMismatch: string | null = null;
    for (const table of tables) {
      const index = this.indexOf(table);
      for (const candidate of candidates) {
        const history = index.get(candidate.id);
        if (history === undefined) continue;
        const sold = provider === null ? history : history.filter((entry) => entry.providers.length === 0 || entry.providers.includes(provider));
        if (sold.length === 0) {
          providerMismatch ??= `"${candidate.id}" is priced for ${history[0]!.providers.join(', ')}, not for provider "${provider}"`;
          continue;
        }
        return { table, history: sold, matchedBy: candidate.kind, reportedModel: model };
      }
    }
    return providerMismatch ?? `no price for model "${model}"`;
  }

  private indexOf(table: PriceTable): Map<string, PriceEntry[]> {
    let index = this.indexes.get(table);
    if (index !== undefined) return index;
    index = new Map();
    for (const entry of table.entries) {
      for (const id of [entry.id, ...entry.aliases]) {
        const list = index.get(id) ?? [];
        list.push(entry);
        index.set(id, list);
      }
    }
    for (const list of index.values()) list.sort((a, b) => (a.effectiveFromUnixNano < b.effectiveFromUnixNano ? -1 : 1));
    this.indexes.set(table, index);
    return index;
  }
}

/**
 * The last price that took effect at or before the span started. A span older than every listed
 * price gets the oldest one (the table starts at a model's launch; earlier spans are clock skew).
 */
function pickByDate(resolved: ResolvedModel, atUnixNano: bigint): PriceMatch {
  const { history } = resolved;
  let index = 0;
  for (let candidate = history.length - 1; candidate >= 0; candidate--) {
    if (history[candidate]!.effectiveFromUnixNano <= atUnixNano) {
      index = candidate;
      break;
    }
  }
  return {
    table: resolved.table,
    entry: history[index]!,
    next: history[index + 1] ?? null,
    matchedBy: resolved.matchedBy,
    reportedModel: resolved.reportedModel,
  };
}

let defaultContext: PricingContext | undefined;

/** The bundled prices only; what normalizeSpan uses when its context names no pricing. */
export function defaultPricingContext(): PricingContext {
  return (defaultContext ??= new PricingContext());
}

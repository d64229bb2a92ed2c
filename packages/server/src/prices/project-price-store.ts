// Where a project's own prices (PUT /api/v1/projects/{projectId}/prices) are kept between
// restarts. The server holds them in its PricingContext and re-lists the store every few seconds,
// so servers sharing one store see each other's changes without a restart.

/** One project's prices as stored: the price file format (docs/costs.md), already validated. */
export interface StoredProjectPrices {
  projectId: string;
  document: unknown;
  /** Changes whenever the stored document changes; equal revisions mean "nothing to reload". */
  revision: string;
  /** When it was written (ISO 8601), when known. */
  updatedAt: string | null;
}

export interface ProjectPriceStore {
  /** Where the prices live, for answers and logs, e.g. "directory /data/prices". */
  readonly description: string;
  /** Every project's prices. A document that cannot be read is left out and reported in `problems`. */
  list(): Promise<{ prices: StoredProjectPrices[]; problems: string[] }>;
  /** Stores (replaces) a project's prices durably before resolving. */
  put(projectId: string, document: unknown): Promise<StoredProjectPrices>;
  /** Removes a project's prices; false when it had none. */
  remove(projectId: string): Promise<boolean>;
}

// A project's own prices, set over the API: validated, persisted in a ProjectPriceStore and
// registered in the server's PricingContext, so the ingest path prices the project's next spans
// with them (cost provenance source "custom", priceId <id>@<effectiveFrom>). Stored spans keep
// their cost until `cairn prices recompute`. The store is re-listed every reloadMillis so that
// servers sharing it converge without a restart.

import type { PriceTable, PricingContext } from '@cairn/semantic';
import { parsePriceTable, PriceTableError } from '@cairn/semantic';
import type { z } from 'zod';
import { InvalidParameterError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PriceFile } from '../api/prices-schemas.js';
import { PriceFileSchema, ProjectPricesBodySchema } from '../api/prices-schemas.js';
import type { ProjectPriceStore, StoredProjectPrices } from './project-price-store.js';

export const DEFAULT_PRICES_RELOAD_MILLIS = 5_000;

export interface ProjectPricesOptions {
  pricing: PricingContext;
  store: ProjectPriceStore;
  logger: Logger;
  /** Re-list the store this often; null = only at start (a store no other server writes). */
  reloadMillis: number | null;
}

export interface ProjectPricesState {
  projectId: string;
  table: PriceTable;
  document: PriceFile;
  updatedAt: string | null;
}

export class ProjectPrices {
  private readonly loaded = new Map<string, { revision: string; state: ProjectPricesState }>();
  private timer: NodeJS.Timeout | null = null;
  private reloading: Promise<void> | null = null;

  constructor(private readonly options: ProjectPricesOptions) {}

  get storeDescription(): string {
    return this.options.store.description;
  }

  get reloadMillis(): number | null {
    return this.options.reloadMillis;
  }

  /** Loads every stored project's prices; a bad file is logged and skipped, never fatal. */
  async start(): Promise<void> {
    await this.reload();
    const every = this.options.reloadMillis;
    if (every === null) return;
    this.timer = setInterval(() => {
      this.reloading ??= this.reload()
        .catch((error: unknown) => this.options.logger.warn(`reloading project prices from ${this.storeDescription} failed: ${(error as Error).message}`))
        .finally(() => (this.reloading = null));
    }, every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.reloading;
  }

  /** Brings the PricingContext in line with the store: new, changed and removed projects. */
  async reload(): Promise<void> {
    const { prices, problems } = await this.options.store.list();
    for (const problem of problems) this.options.logger.warn(`project prices: ${problem}`);
    const seen = new Set<string>();
    for (const stored of prices) {
      seen.add(stored.projectId);
      if (this.loaded.get(stored.projectId)?.revision === stored.revision) continue;
      try {
        this.register(stored, checkDocument(PriceFileSchema, stored.document, `${this.storeDescription}: ${stored.projectId}.json`));
      } catch (error) {
        this.options.logger.warn(`project prices of ${stored.projectId} not loaded: ${(error as Error).message}`);
      }
    }
    for (const projectId of [...this.loaded.keys()]) {
      if (seen.has(projectId)) continue;
      this.loaded.delete(projectId);
      this.options.pricing.setProjectPrices(projectId, null);
    }
  }

  get(projectId: string): ProjectPricesState | null {
    return this.loaded.get(projectId)?.state ?? null;
  }

  /**
   * Validates a PUT body (InvalidParameterError naming the field when wrong), persists it, and
   * prices the project's next spans with it.
   */
  async put(projectId: string, body: unknown, now: Date = new Date()): Promise<ProjectPricesState> {
    const checked = checkDocument(ProjectPricesBodySchema, body, 'prices');
    const document: PriceFile = { ...checked, version: checked.version ?? `${projectId}@${now.toISOString()}` };
    // parsePriceTable's own checks (dates, token classes) run before anything is written.
    toTable(projectId, document, 'prices');
    const stored = await this.options.store.put(projectId, document);
    return this.register(stored, document);
  }

  async remove(projectId: string): Promise<boolean> {
    const removed = await this.options.store.remove(projectId);
    const had = this.loaded.delete(projectId);
    this.options.pricing.setProjectPrices(projectId, null);
    return removed || had;
  }

  private register(stored: StoredProjectPrices, document: PriceFile): ProjectPricesState {
    const table = toTable(stored.projectId, document, `${stored.projectId}.json`);
    const state = { projectId: stored.projectId, table, document, updatedAt: stored.updatedAt };
    this.loaded.set(stored.projectId, { revision: stored.revision, state });
    this.options.pricing.setProjectPrices(stored.projectId, table);
    return state;
  }
}

function toTable(projectId: string, document: PriceFile, label: string): PriceTable {
  try {
    return parsePriceTable({ ...document, projects: [projectId] }, 'custom', label);
  } catch (error) {
    if (error instanceof PriceTableError) throw new InvalidParameterError(error.message);
    throw error;
  }
}

/** Parses with zod; the first problems become one message that names each field's path. */
function checkDocument<Schema extends z.ZodType>(schema: Schema, value: unknown, label: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const where = issue.path.length > 0 ? `${pathText(issue.path)}: ` : '';
      return `${where}unknown field ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    }
    return `${issue.path.length > 0 ? pathText(issue.path) : '(top level)'}: ${issue.message}`;
  });
  throw new InvalidParameterError(`${label}: ${problems.join('; ')}`);
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}

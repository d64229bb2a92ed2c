// Project prices as one JSON file per project, `<dir>/<projectId>.json`, in the price file format
// (docs/costs.md), so they can also be written by hand or by configuration management. Writes
// are atomic (temporary file, fsync, rename, fsync of the directory): a crash leaves the old or
// the new prices, never half a file. Several servers may share the directory (a shared volume):
// list() re-reads only files whose size or modification time changed.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ProjectPriceStore, StoredProjectPrices } from './project-price-store.js';

const FILE_SUFFIX = '.json';
/** Same rule as the API's projectId parameter: a safe file name, never "." or "..". */
const PROJECT_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export class DirectoryProjectPriceStore implements ProjectPriceStore {
  readonly description: string;
  private readonly cache = new Map<string, StoredProjectPrices>();

  constructor(private readonly directory: string) {
    this.description = `directory ${directory}`;
  }

  async list(): Promise<{ prices: StoredProjectPrices[]; problems: string[] }> {
    let names: string[];
    try {
      names = await fs.readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { prices: [], problems: [] };
      throw error;
    }
    const prices: StoredProjectPrices[] = [];
    const problems: string[] = [];
    for (const name of names) {
      if (!name.endsWith(FILE_SUFFIX)) continue;
      const projectId = name.slice(0, -FILE_SUFFIX.length);
      if (!PROJECT_FILE_NAME.test(projectId)) continue;
      const file = path.join(this.directory, name);
      try {
        const stat = await fs.stat(file);
        const revision = `${stat.mtimeMs}:${stat.size}`;
        const cached = this.cache.get(projectId);
        if (cached?.revision === revision) {
          prices.push(cached);
          continue;
        }
        const document: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
        const stored = { projectId, document, revision, updatedAt: stat.mtime.toISOString() };
        this.cache.set(projectId, stored);
        prices.push(stored);
      } catch (error) {
        // A file being replaced by another server vanishes between readdir and stat: not a problem.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        problems.push(`${file}: ${(error as Error).message}`);
      }
    }
    for (const projectId of this.cache.keys()) if (!prices.some((stored) => stored.projectId === projectId)) this.cache.delete(projectId);
    return { prices, problems };
  }

  async put(projectId: string, document: unknown): Promise<StoredProjectPrices> {
    const file = this.fileOf(projectId);
    await fs.mkdir(this.directory, { recursive: true });
    const temporary = path.join(this.directory, `.${projectId}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await fs.open(temporary, 'w');
    try {
      await handle.writeFile(`${JSON.stringify(document, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.rename(temporary, file);
    } catch (error) {
      await fs.rm(temporary, { force: true });
      throw error;
    }
    await this.syncDirectory();
    const stat = await fs.stat(file);
    const stored = { projectId, document, revision: `${stat.mtimeMs}:${stat.size}`, updatedAt: stat.mtime.toISOString() };
    this.cache.set(projectId, stored);
    return stored;
  }

  async remove(projectId: string): Promise<boolean> {
    this.cache.delete(projectId);
    try {
      await fs.unlink(this.fileOf(projectId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    await this.syncDirectory();
    return true;
  }

  private fileOf(projectId: string): string {
    if (!PROJECT_FILE_NAME.test(projectId)) throw new RangeError(`project id ${JSON.stringify(projectId)} is not usable as a file name`);
    return path.join(this.directory, `${projectId}${FILE_SUFFIX}`);
  }

  /** Makes the rename or unlink itself durable (the directory entry), where the platform allows. */
  private async syncDirectory(): Promise<void> {
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(this.directory, 'r');
      await handle.sync();
    } catch {
      // Some file systems (and Windows) cannot fsync a directory; the rename is still atomic.
    } finally {
      await handle?.close();
    }
  }
}

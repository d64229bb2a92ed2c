// Project prices kept in memory only: the default of createServer when the caller gives no
// store (tests, embedding). `cairn serve` uses a DirectoryProjectPriceStore.

import type { ProjectPriceStore, StoredProjectPrices } from './project-price-store.js';

export function createMemoryProjectPriceStore(): ProjectPriceStore {
  const prices = new Map<string, StoredProjectPrices>();
  let revision = 0;
  return {
    description: 'memory (lost when the server stops)',
    list: () => Promise.resolve({ prices: [...prices.values()], problems: [] }),
    put(projectId, document) {
      const stored = { projectId, document, revision: String(++revision), updatedAt: new Date().toISOString() };
      prices.set(projectId, stored);
      return Promise.resolve(stored);
    },
    remove: (projectId) => Promise.resolve(prices.delete(projectId)),
  };
}

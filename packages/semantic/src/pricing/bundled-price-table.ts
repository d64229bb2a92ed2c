// The price table shipped with Cairn (packages/semantic/prices/price-table.json), parsed once.

import bundledJson from '../../prices/price-table.json' with { type: 'json' };
import type { PriceTable } from './price-table.js';
import { parsePriceTable } from './price-table.js';

export const BUNDLED_PRICE_TABLE: PriceTable = parsePriceTable(bundledJson, 'bundled', 'bundled price table');

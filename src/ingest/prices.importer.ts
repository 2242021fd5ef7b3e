/** prices — 市场价格: monthly commodity prices (commodity = an industry). */
import { COLUMNS } from './header-aliases.js';
import type { KindSpec } from './kind-spec.js';
import { parseIndustry, parseMonth, parsePrice, parseText } from './value-parsers.js';

/** Values: commodity, month, price, unit. */
export const pricesSpec: KindSpec = {
  kind: 'prices',
  table: 'prices',
  columns: COLUMNS.prices,
  dbColumns: [
    { name: 'commodity', type: 'text' },
    { name: 'month', type: 'text' },
    { name: 'price', type: 'numeric' },
    { name: 'unit', type: 'text', from: 'unit' },
  ],
  keyIndexes: [0, 1],
  keyColumn: 'commodity',
  parse(r) {
    const commodity = r.required('commodity', parseIndustry);
    const month = r.required('month', parseMonth);
    const price = r.required('price', parsePrice);
    const unit = r.optional('unit', (c) => parseText(c, 20), null);
    if (r.failed) return null;
    return [commodity, month, price, unit];
  },
};

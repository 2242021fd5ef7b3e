/**
 * benchmarks — 农村居民收入: rural residents' per-capita disposable income (农村居民人均可支配收入)
 * of a region and year, as the statistics bureau publishes it. The region is a county, a city
 * (`131000`) or a province (`130000`); the report compares the monitored households' income
 * growth with the growth of their county's and their province's figure. One row per region and year.
 */
import { COLUMNS } from './header-aliases.js';
import type { KindSpec } from './kind-spec.js';
import { parseIncomePerPerson, parseRegionCode, parseYear } from './value-parsers.js';

/** Values: region_code, year, rural_income. */
export const benchmarksSpec: KindSpec = {
  kind: 'benchmarks',
  table: 'benchmarks',
  columns: COLUMNS.benchmarks,
  dbColumns: [
    { name: 'region_code', type: 'text' },
    { name: 'year', type: 'int4' },
    { name: 'rural_income', type: 'numeric' },
  ],
  keyIndexes: [0, 1],
  keyColumn: 'region_code',
  parse(r) {
    const region = r.required('region_code', parseRegionCode);
    const year = r.required('year', parseYear);
    const income = r.required('rural_income', parseIncomePerPerson);
    if (r.failed) return null;
    return [region, year, income];
  },
};

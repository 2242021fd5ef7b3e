/**
 * incomes — 收入快照: one row per household and period. The period is stored as its canonical
 * text with its kind and first/last day; amounts are exact decimal strings (never floats).
 */
import { COLUMNS } from './header-aliases.js';
import type { KindSpec } from './kind-spec.js';
import { parseAmount, parseIdentifier, parsePeriodCell } from './value-parsers.js';

/** Values: household_id, period, period_kind, period_start, period_end, then the five amounts. */
export const incomesSpec: KindSpec = {
  kind: 'incomes',
  table: 'incomes',
  columns: COLUMNS.incomes,
  dbColumns: [
    { name: 'household_id', type: 'text' },
    { name: 'period', type: 'text' },
    { name: 'period_kind', type: 'text' },
    { name: 'period_start', type: 'date' },
    { name: 'period_end', type: 'date' },
    { name: 'industry_income', type: 'numeric' },
    { name: 'wage_income', type: 'numeric', from: 'wage_income' },
    { name: 'property_income', type: 'numeric', from: 'property_income' },
    { name: 'transfer_income', type: 'numeric', from: 'transfer_income' },
    { name: 'production_cost', type: 'numeric', from: 'production_cost' },
  ],
  keyIndexes: [0, 1],
  keyColumn: 'household_id',
  reference: { valueIndex: 0, column: 'household_id', table: 'households', key: 'household_id', label: { zh: '户', en: 'household' } },
  parse(r) {
    const id = r.required('household_id', parseIdentifier);
    const period = r.required('period', parsePeriodCell);
    const industry = r.required('industry_income', parseAmount);
    const wage = r.optional('wage_income', parseAmount, '0');
    const property = r.optional('property_income', parseAmount, '0');
    const transfer = r.optional('transfer_income', parseAmount, '0');
    const cost = r.optional('production_cost', parseAmount, '0');
    if (r.failed || !period) return null;
    return [id, period.text, period.kind, period.start, period.end, industry, wage, property, transfer, cost];
  },
};

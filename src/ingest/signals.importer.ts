/**
 * signals — 部门筛查预警数据: department signals per household (medical out-of-pocket expenses,
 * disaster losses, unemployment, disability, minimum living allowance). One row per household,
 * kind and date; amounts are stored as integer fen and required where the kind needs one.
 */
import { SIGNAL_KINDS, SIGNAL_KINDS_WITH_AMOUNT } from '../domain/catalog.js';
import { COLUMNS } from './header-aliases.js';
import type { KindSpec } from './kind-spec.js';
import { parseAmountFen, parseDate, parseIdentifier, parseSignalKind, parseText } from './value-parsers.js';

/** Values: household_id, kind, signal_date, amount_cents, source, note. */
export const signalsSpec: KindSpec = {
  kind: 'signals',
  table: 'department_signals',
  columns: COLUMNS.signals,
  dbColumns: [
    { name: 'household_id', type: 'text' },
    { name: 'kind', type: 'text' },
    { name: 'signal_date', type: 'date' },
    { name: 'amount_cents', type: 'int8', from: 'amount' },
    { name: 'source', type: 'text', from: 'source' },
    { name: 'note', type: 'text', from: 'note' },
  ],
  keyIndexes: [0, 1, 2],
  keyColumn: 'date',
  reference: { valueIndex: 0, column: 'household_id', table: 'households', key: 'household_id', label: { zh: '户', en: 'household' } },
  parse(r) {
    const id = r.required('household_id', parseIdentifier);
    const kind = r.required('kind', parseSignalKind);
    const date = r.required('date', parseDate);
    const amount = r.optional('amount', parseAmountFen, null);
    const source = r.optional('source', (c) => parseText(c, 100), null);
    const note = r.optional('note', parseText, null);
    if (kind && amount === null && SIGNAL_KINDS_WITH_AMOUNT.has(kind) && !r.failed) {
      r.fail('amount', {
        zh: `缺少（${kind} ${SIGNAL_KINDS[kind]} 必须填写金额）`,
        en: `missing (required for ${kind} ${SIGNAL_KINDS[kind]})`,
      });
    }
    if (r.failed) return null;
    return [id, kind, date, amount, source, note];
  },
};

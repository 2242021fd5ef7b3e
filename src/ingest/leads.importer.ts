/**
 * leads — 线索: risks reported by households (农户自主申报), found by village cadres (基层干部排查)
 * or flagged by departments (部门筛查预警). One row per lead, keyed by lead_id; the county comes
 * from the household, and a stored lead never moves to another household. Opening or joining the
 * household's task is the caller's (src/cases/lead.service.ts, through `afterBatch`): ingest knows
 * nothing of tasks.
 */
import { COLUMNS } from './header-aliases.js';
import { type KindSpec, textArrayLiteral } from './kind-spec.js';
import { parseDate, parseIdentifier, parseLeadChannel, parseRiskCauses, parseText } from './value-parsers.js';

/** Values: lead_id, household_id, county_code (from the household), channel, reported_on, causes, reporter, note, entered_by. */
export const leadsSpec: KindSpec = {
  kind: 'leads',
  table: 'leads',
  columns: COLUMNS.leads,
  dbColumns: [
    { name: 'lead_id', type: 'text' },
    { name: 'household_id', type: 'text' },
    { name: 'county_code', type: 'text' },
    { name: 'channel', type: 'text' },
    { name: 'reported_on', type: 'date' },
    { name: 'causes', type: 'text[]' },
    { name: 'reporter', type: 'text', from: 'reporter' },
    { name: 'note', type: 'text', from: 'note' },
    { name: 'entered_by', type: 'text', insertOnly: true },
  ],
  keyIndexes: [0],
  keyColumn: 'lead_id',
  reference: {
    valueIndex: 1,
    column: 'household_id',
    table: 'households',
    key: 'household_id',
    label: { zh: '户', en: 'household' },
    carry: { valueIndex: 2, column: 'county_code' },
  },
  fixed: {
    valueIndex: 1,
    hint: {
      zh: '线索不能转到另一户；请给另一户的线索另设 lead_id',
      en: 'a lead cannot move to another household; give the other household its own lead_id',
    },
  },
  parse(r, context) {
    const id = r.required('lead_id', parseIdentifier);
    const household = r.required('household_id', parseIdentifier);
    const channel = r.required('channel', parseLeadChannel);
    const reportedOn = r.required('reported_on', parseDate);
    const causes = r.required('causes', parseRiskCauses);
    const reporter = r.optional('reporter', (c) => parseText(c, 100), null);
    const note = r.optional('note', (c) => parseText(c, 2000), null);
    if (r.failed || !causes) return null;
    return [id, household, null, channel, reportedOn, textArrayLiteral(causes), reporter, note, `import:${context.file}`];
  },
};

/** counties — 区县: code, name, notification and escalation e-mail addresses. */
import { COLUMNS } from './header-aliases.js';
import { type KindSpec, textArrayLiteral } from './kind-spec.js';
import { parseCountyCode, parseEmails, parseText } from './value-parsers.js';

/** Values: county_code, name, emails, escalation_emails. */
export const countiesSpec: KindSpec = {
  kind: 'counties',
  table: 'counties',
  columns: COLUMNS.counties,
  dbColumns: [
    { name: 'county_code', type: 'text' },
    { name: 'name', type: 'text' },
    { name: 'emails', type: 'text[]', from: 'email' },
    { name: 'escalation_emails', type: 'text[]', from: 'escalation_email' },
  ],
  keyIndexes: [0],
  keyColumn: 'county_code',
  parse(r) {
    const code = r.required('county_code', parseCountyCode);
    const name = r.required('name', (c) => parseText(c, 100));
    const emails = r.optional('email', parseEmails, []);
    const escalation = r.optional('escalation_email', parseEmails, []);
    if (r.failed) return null;
    return [code, name, textArrayLiteral(emails), textArrayLiteral(escalation)];
  },
};

/**
 * households — 户信息: the household register. `head_name`, `id_number` and `phone` are
 * personal data: their parsers never put the value into a message.
 */
import { COLUMNS } from './header-aliases.js';
import type { KindSpec } from './kind-spec.js';
import {
  parseCategory,
  parseCountyCode,
  parseIdNumber,
  parseIdentifier,
  parseIndustry,
  parseMembers,
  parsePhone,
  parseText,
} from './value-parsers.js';

/** Values: household_id, county_code, township, village, category, members, main_industry, head_name, id_number, phone. */
export const householdsSpec: KindSpec = {
  kind: 'households',
  table: 'households',
  columns: COLUMNS.households,
  dbColumns: [
    { name: 'household_id', type: 'text' },
    { name: 'county_code', type: 'text' },
    { name: 'township', type: 'text', from: 'township' },
    { name: 'village', type: 'text', from: 'village' },
    { name: 'category', type: 'text' },
    { name: 'members', type: 'int4' },
    { name: 'main_industry', type: 'text' },
    { name: 'head_name', type: 'text', from: 'head_name' },
    { name: 'id_number', type: 'text', from: 'id_number' },
    { name: 'phone', type: 'text', from: 'phone' },
  ],
  keyIndexes: [0],
  keyColumn: 'household_id',
  reference: { valueIndex: 1, column: 'county_code', table: 'counties', key: 'county_code', label: { zh: '区县', en: 'county' } },
  parse(r) {
    const id = r.required('household_id', parseIdentifier);
    const county = r.required('county_code', parseCountyCode);
    const township = r.optional('township', parseText, null);
    const village = r.optional('village', parseText, null);
    const category = r.required('category', parseCategory);
    const members = r.required('members', parseMembers);
    const industry = r.required('main_industry', parseIndustry);
    const headName = r.optional('head_name', (c) => parseText(c, 50), null);
    const idNumber = r.optional('id_number', parseIdNumber, null);
    const phone = r.optional('phone', parsePhone, null);
    if (r.failed) return null;
    return [id, county, township, village, category, members, industry, headName, idNumber, phone];
  },
};

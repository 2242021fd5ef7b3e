/** hazards — 风险事件: disasters, epidemics, pests, unsold produce and price slumps by county. */
import { COLUMNS } from './header-aliases.js';
import { type KindSpec, textArrayLiteral } from './kind-spec.js';
import {
  parseCountyCode,
  parseDate,
  parseHazardType,
  parseIdentifier,
  parseIndustries,
  parseSeverity,
  parseText,
} from './value-parsers.js';

/** Values: event_id, type, county_code, township, industries, severity, start_date, end_date, name. */
export const hazardsSpec: KindSpec = {
  kind: 'hazards',
  table: 'hazards',
  columns: COLUMNS.hazards,
  dbColumns: [
    { name: 'event_id', type: 'text' },
    { name: 'type', type: 'text' },
    { name: 'county_code', type: 'text' },
    { name: 'township', type: 'text', from: 'township' },
    { name: 'industries', type: 'text[]', from: 'industries' },
    { name: 'severity', type: 'int2' },
    { name: 'start_date', type: 'date' },
    { name: 'end_date', type: 'date', from: 'end_date' },
    { name: 'name', type: 'text', from: 'name' },
  ],
  keyIndexes: [0],
  keyColumn: 'event_id',
  reference: { valueIndex: 2, column: 'county_code', table: 'counties', key: 'county_code', label: { zh: '区县', en: 'county' } },
  keptOrder: { valueIndex: 6, keptIndex: 7 },
  parse(r) {
    const id = r.required('event_id', parseIdentifier);
    const type = r.required('type', parseHazardType);
    const county = r.required('county_code', parseCountyCode);
    const township = r.optional('township', parseText, null);
    const industries = r.optional('industries', parseIndustries, []);
    const severity = r.required('severity', parseSeverity);
    const start = r.required('start_date', parseDate);
    const end = r.optional('end_date', parseDate, null);
    const name = r.optional('name', parseText, null);
    if (start && end && end < start)
      r.fail('end_date', { zh: `${end} 早于 start_date ${start}`, en: `${end} is before start_date ${start}` });
    if (r.failed) return null;
    return [id, type, county, township, textArrayLiteral(industries), severity, start, end, name];
  },
};

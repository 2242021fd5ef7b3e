/**
 * The generated data set obeys the README's "Data formats" and carries the patterns the monitoring
 * rules need: a realistic share of industry-income drops, boundary cases, low incomes, hazards
 * that touch the latest quarter and hit the households they touch, and a price slump.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  HAZARD_TYPES,
  INDUSTRIES,
  LANGFANG_COUNTIES,
  SEVERITY_ALIASES,
  SIGNAL_KINDS,
  lookupCode,
} from '../../src/domain/catalog.js';
import { parsePeriod } from '../../src/domain/period.js';
import { HEADERS, generateDataset, type GeneratedDataset } from '../../src/generate/generate.js';
import { isValidIdNumber } from '../../src/generate/identity.generator.js';

const HOUSEHOLDS = 4000;
let dir: string;
let result: GeneratedDataset;
const data: Record<string, string[][]> = {};

async function readCsv(path: string): Promise<string[][]> {
  return parse(await readFile(path, 'utf8'), { bom: true }) as string[][];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iw-generate-'));
  result = await generateDataset({ households: HOUSEHOLDS, outDir: dir, until: '2026-Q3' });
  for (const kind of ['counties', 'households', 'incomes', 'hazards', 'prices', 'signals'] as const)
    data[kind] = await readCsv(result.files[kind]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rows = (kind: string) => data[kind]!.slice(1);
const amount = /^\d+(\.\d{1,2})?$/;

/** Industry income per household and period, from the incomes file. */
function incomeTable(): Map<string, Map<string, number[]>> {
  const table = new Map<string, Map<string, number[]>>();
  for (const [id, period, ...amounts] of rows('incomes')) {
    if (!table.has(id!)) table.set(id!, new Map());
    table.get(id!)!.set(period!, amounts.map(Number));
  }
  return table;
}

function changePct(current: number[] | undefined, baseline: number[] | undefined): number | null {
  if (!current || !baseline || baseline[0] === 0) return null;
  return ((current[0]! - baseline[0]!) / baseline[0]!) * 100;
}

describe('generateDataset files', () => {
  it('writes the six files with the documented headers and row counts', () => {
    expect(result.periods).toEqual(['2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    for (const kind of ['counties', 'households', 'incomes', 'hazards', 'prices', 'signals'] as const) {
      expect(data[kind]![0]).toEqual([...HEADERS[kind]]);
      expect(rows(kind)).toHaveLength(result.rows[kind]);
    }
    expect(result.households).toBe(HOUSEHOLDS);
    expect(rows('households')).toHaveLength(HOUSEHOLDS);
    // one row per household and quarter, except the few households whose baseline row is missing
    const missing = HOUSEHOLDS * 8 - result.incomeRows;
    expect(missing).toBeGreaterThan(0);
    expect(missing).toBeLessThan(HOUSEHOLDS * 0.01);
    expect(rows('counties')).toHaveLength(10);
  });

  it('lists the ten Langfang counties with notification and escalation addresses', () => {
    const counties = rows('counties');
    expect(counties.map(([code, name]) => ({ code, name }))).toEqual(LANGFANG_COUNTIES.map(({ code, name }) => ({ code, name })));
    for (const [code, , email, escalation] of counties) {
      expect(email!.split(';')[0]).toBe(`nyj-${code}@langfang.example`);
      expect(escalation).toBe('jiance@langfang.example');
    }
    expect(counties.filter(([, , email]) => email!.includes(';'))).toHaveLength(1);
  });

  it('writes valid households: unique ids, known counties, sizes 1–6, known categories and industries, valid ID numbers', () => {
    const codes = new Set<string>(LANGFANG_COUNTIES.map((c) => c.code));
    const problems: string[] = [];
    const check = (ok: boolean, what: string) => ok || problems.push(what);
    const ids = new Set<string>();
    const idNumbers = new Set<string>();
    let members = 0;
    let alleviated = 0;
    for (const [id, county, township, village, category, size, industry, name, idNumber, phone] of rows('households')) {
      check(new RegExp(`^${county}-\\d{6}$`).test(id!), `id ${id}`);
      ids.add(id!);
      check(codes.has(county!), `county ${county}`);
      check(/[镇乡]$/.test(township!), `township ${township}`);
      check(/村$/.test(village!), `village ${village}`);
      check(lookupCode(CATEGORIES, category!) !== null, `category ${category}`);
      if (category === CATEGORIES.poverty_alleviated) alleviated++;
      check(/^[1-6]$/.test(size!), `members ${size}`);
      members += Number(size);
      check(lookupCode(INDUSTRIES, industry!) !== null, `industry ${industry}`);
      check(/^[\u4e00-\u9fff]{2,3}$/.test(name!), `name ${name}`);
      check(idNumber!.startsWith(county!) && isValidIdNumber(idNumber!), `id number ${idNumber}`);
      idNumbers.add(idNumber!);
      check(/^1\d{10}$/.test(phone!), `phone ${phone}`);
    }
    expect(problems).toEqual([]);
    expect(ids.size).toBe(HOUSEHOLDS);
    expect(idNumbers.size).toBe(HOUSEHOLDS);
    expect(members / HOUSEHOLDS).toBeGreaterThan(2.7);
    expect(members / HOUSEHOLDS).toBeLessThan(3.5);
    expect(alleviated / HOUSEHOLDS).toBeGreaterThan(0.75);
    expect(alleviated / HOUSEHOLDS).toBeLessThan(0.85);
  });

  it('writes valid incomes: known households, canonical periods, amounts ≥ 0 with at most 2 decimals, unique per period', () => {
    const households = new Set(rows('households').map((r) => r[0]!));
    const periods = new Set(result.periods);
    const problems: string[] = [];
    const keys = new Set<string>();
    for (const [id, period, ...amounts] of rows('incomes')) {
      if (!households.has(id!)) problems.push(`household ${id}`);
      if (parsePeriod(period!)?.text !== period || !periods.has(period!)) problems.push(`period ${period}`);
      for (const value of amounts) if (!amount.test(value)) problems.push(`amount ${value}`);
      keys.add(`${id}/${period}`);
    }
    expect(problems).toEqual([]);
    expect(keys.size).toBe(result.incomeRows);
  });

  it('writes valid hazards of all five types, scoped and unscoped, ongoing and ended, within the periods', () => {
    const hazards = rows('hazards');
    expect(hazards.length).toBeGreaterThanOrEqual(15);
    expect(hazards.length).toBeLessThanOrEqual(30);
    expect(new Set(hazards.map((h) => h[0])).size).toBe(hazards.length);
    const types = new Set<string>();
    for (const [, type, county, , industries, severity, start, end] of hazards) {
      const code = lookupCode(HAZARD_TYPES, type!);
      expect(code).not.toBeNull();
      types.add(code!);
      expect(LANGFANG_COUNTIES.some((c) => c.code === county)).toBe(true);
      for (const industry of industries ? industries.split(';') : []) expect(lookupCode(INDUSTRIES, industry)).not.toBeNull();
      const level = /^[1-4]$/.test(severity!) ? Number(severity) : SEVERITY_ALIASES[severity!];
      expect(level).toBeGreaterThanOrEqual(1);
      expect(start! >= '2024-10-01' && start! <= '2026-09-30').toBe(true);
      if (end) expect(end >= start! && end <= '2026-09-30').toBe(true);
    }
    expect(types).toEqual(new Set(Object.keys(HAZARD_TYPES)));
    expect(hazards.some((h) => h[3] !== '')).toBe(true); // township-scoped
    expect(hazards.some((h) => h[3] === '')).toBe(true); // whole county
    expect(hazards.some((h) => h[4]!.includes(';'))).toBe(true); // several industries
    expect(hazards.some((h) => h[7] === '')).toBe(true); // ongoing
    expect(hazards.some((h) => h[7] !== '' && h[7]! < '2026-07-01')).toBe(true); // ended before the latest quarter
    expect(hazards.some((h) => h[5] === 'II级')).toBe(true);
    expect(hazards.some((h) => h[5] === '较大')).toBe(true);
  });

  it('writes monthly prices from 12 months before the first quarter, with a hog price slump in the latest quarter', () => {
    const prices = rows('prices');
    const months = [...new Set(prices.map((p) => p[1]!))];
    expect(months[0]).toBe('2023-10');
    expect(months[months.length - 1]).toBe('2026-09');
    expect(months).toHaveLength(36);
    const byKey = new Map(prices.map(([commodity, month, price]) => [`${commodity}/${month}`, Number(price)]));
    for (const industry of [
      'grain_oil',
      'vegetables',
      'fruit',
      'hogs',
      'dairy',
      'layers',
      'beef_cattle',
      'sheep',
      'poultry',
      'aquaculture',
    ] as const) {
      for (const month of months) expect(byKey.get(`${INDUSTRIES[industry]}/${month}`)).toBeGreaterThan(0);
    }
    for (const [, , price, unit] of prices) {
      expect(price).toMatch(amount);
      expect(unit).toBe('元/公斤');
    }
    const change = (name: string) =>
      ((byKey.get(`${name}/2026-09`)! - byKey.get(`${name}/2025-09`)!) / byKey.get(`${name}/2025-09`)!) * 100;
    expect(change('生猪')).toBeLessThanOrEqual(-15);
    const slumping = Object.values(INDUSTRIES).filter((name) => byKey.has(`${name}/2026-09`) && change(name) <= -15);
    expect(slumping.length).toBeGreaterThanOrEqual(1);
    expect(slumping.length).toBeLessThanOrEqual(2);
  });
});

describe('generateDataset income patterns', () => {
  it('has ≈10 % of households with a > 20 % drop in the latest quarter and ≈2.5 % with ≥ 50 %', () => {
    const table = incomeTable();
    let over20 = 0;
    let over50 = 0;
    for (const periods of table.values()) {
      const pct = changePct(periods.get('2026-Q3'), periods.get('2025-Q3'));
      if (pct !== null && pct < -20) over20++;
      if (pct !== null && pct <= -50) over50++;
    }
    expect(over20 / HOUSEHOLDS).toBeGreaterThan(0.07);
    expect(over20 / HOUSEHOLDS).toBeLessThan(0.13);
    expect(over50 / HOUSEHOLDS).toBeGreaterThan(0.015);
    expect(over50 / HOUSEHOLDS).toBeLessThan(0.04);
  });

  it('includes boundary cases: exactly −20.00 % and −50.00 %, a zero and a missing baseline', () => {
    const table = incomeTable();
    const pcts = [...table.values()].map((p) => changePct(p.get('2026-Q3'), p.get('2025-Q3')));
    expect(pcts.filter((p) => p === -20).length).toBeGreaterThanOrEqual(2);
    expect(pcts.filter((p) => p === -50).length).toBeGreaterThanOrEqual(2);
    expect([...table.values()].filter((p) => p.get('2025-Q3')?.[0] === 0).length).toBeGreaterThanOrEqual(2);
    expect([...table.values()].filter((p) => !p.has('2025-Q3') && p.has('2026-Q3')).length).toBeGreaterThanOrEqual(2);
  });

  it('puts ≈2–4 % of households below the 8,300 yuan monitoring line over the last four quarters', () => {
    const table = incomeTable();
    const members = new Map(rows('households').map((r) => [r[0]!, Number(r[5])]));
    let below = 0;
    for (const [id, periods] of table) {
      let net = 0;
      for (const p of ['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']) {
        const [industry, wage, property, transfer, cost] = periods.get(p)!;
        net += industry! + wage! + property! + transfer! - cost!;
      }
      if (net / members.get(id)! < 8300) below++;
    }
    expect(below / HOUSEHOLDS).toBeGreaterThan(0.015);
    expect(below / HOUSEHOLDS).toBeLessThan(0.05);
  });

  it('makes households touched by a latest-quarter hazard drop far more often than the others', () => {
    const table = incomeTable();
    const latest = rows('hazards').filter(([, , , , , , start, end]) => start! <= '2026-09-30' && (end === '' || end! >= '2026-07-01'));
    const tally = { exposed: [0, 0], other: [0, 0] };
    for (const [id, county, township, , , , industryName] of rows('households')) {
      const industry = lookupCode(INDUSTRIES, industryName!)!;
      const exposed = latest.some(
        ([, , c, t, inds]) => c === county && (t === '' || t === township) && (inds === '' || inds!.split(';').includes(industry)),
      );
      const pct = changePct(table.get(id!)!.get('2026-Q3'), table.get(id!)!.get('2025-Q3'));
      const bucket = exposed ? tally.exposed : tally.other;
      bucket[0]!++;
      if (pct !== null && pct < -20) bucket[1]!++;
    }
    expect(tally.exposed[0]).toBeGreaterThan(50);
    const exposedRate = tally.exposed[1]! / tally.exposed[0]!;
    const otherRate = tally.other[1]! / tally.other[0]!;
    expect(exposedRate).toBeGreaterThan(2 * otherRate);
  });
});

describe('generated department signals', () => {
  it('belong to known households, use the Chinese kind names, fall in the last four quarters and carry amounts where required', () => {
    const households = new Set(rows('households').map((r) => r[0]!));
    const signals = rows('signals');
    expect(signals.length).toBeGreaterThan(HOUSEHOLDS * 0.05);
    const keys = new Set<string>();
    for (const [id, kind, date, value] of signals) {
      expect(households.has(id!), id).toBe(true);
      expect(Object.values(SIGNAL_KINDS)).toContain(kind);
      expect(date! >= '2025-10-01' && date! <= '2026-09-30', date).toBe(true);
      if (kind === SIGNAL_KINDS.medical_expense || kind === SIGNAL_KINDS.disaster_loss) expect(value).toMatch(amount);
      else expect(value === '' || amount.test(value!)).toBe(true);
      const key = `${id}/${kind}/${date}`;
      expect(keys.has(key), key).toBe(false); // the import's key: never twice
      keys.add(key);
    }
  });

  it('gives about 1 % of households medical expenses far above 30 % of their net income of the four quarters', () => {
    const net = new Map<string, number>();
    for (const [id, period, industry, wage, property, transfer, cost] of rows('incomes')) {
      if (period! < '2025-Q4') continue;
      net.set(id!, (net.get(id!) ?? 0) + Number(industry) + Number(wage) + Number(property) + Number(transfer) - Number(cost));
    }
    const medical = new Map<string, number>();
    for (const [id, kind, , value] of rows('signals')) {
      if (kind === SIGNAL_KINDS.medical_expense) medical.set(id!, (medical.get(id!) ?? 0) + Number(value));
    }
    const burdened = [...medical].filter(([id, m]) => m > 0.3 * net.get(id)!).length;
    expect(burdened).toBeGreaterThan(HOUSEHOLDS * 0.003);
    expect(burdened).toBeLessThan(HOUSEHOLDS * 0.03);
    expect(medical.size).toBeGreaterThan(burdened * 2); // most medical expenses stay below the share
  });
});

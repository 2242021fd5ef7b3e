import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { COLUMNS, columnFor, matchHeader, normalizeHeader } from '../../src/ingest/header-aliases.js';

describe('header matching', () => {
  it('matches English names case-insensitively, with blanks, BOM and full-width forms', () => {
    expect(columnFor('households', 'household_id')).toBe('household_id');
    expect(columnFor('households', '\uFEFFHousehold_ID ')).toBe('household_id');
    expect(columnFor('households', 'Household ID')).toBe('household_id');
    expect(columnFor('households', 'ＨＯＵＳＥＨＯＬＤ＿ＩＤ')).toBe('household_id');
  });

  it('matches every Chinese alias the README documents', () => {
    for (const [kind, columns] of Object.entries(COLUMNS)) {
      for (const c of columns) for (const alias of c.aliases) expect(columnFor(kind as keyof typeof COLUMNS, alias)).toBe(c.name);
    }
    expect(columnFor('incomes', '生产经营性收入')).toBe('industry_income');
    expect(columnFor('hazards', '描述')).toBe('name');
  });

  it('drops a unit in parentheses and a required-field asterisk', () => {
    expect(normalizeHeader('产业收入（元）')).toBe(normalizeHeader('产业收入'));
    expect(columnFor('incomes', '*户编码')).toBe('household_id');
  });

  it('removes invisible characters (zero-width, BOM inside the text)', () => {
    expect(columnFor('households', '户\u200B编\uFEFF码')).toBe('household_id');
    expect(columnFor('households', '乡\u2060镇\u200C\u200D')).toBe('township');
  });

  it('normalises in linear time: hostile 300 KB header texts take milliseconds, not seconds', () => {
    const hostile = [
      `${'*'.repeat(300_000)}x`, // a trailing-asterisk search from every position was quadratic
      `x${' '.repeat(300_000)}y`, // so was the blank run before a unit in parentheses
      `a${'('.repeat(150_000)}${' '.repeat(150_000)}`,
    ];
    for (const text of hostile) {
      const started = performance.now();
      normalizeHeader(text);
      expect(columnFor('incomes', text)).toBeNull();
      expect(performance.now() - started).toBeLessThan(250);
    }
    expect(normalizeHeader(`**产业收入 (元)**`)).toBe(normalizeHeader('产业收入'));
  });

  it('ignores unknown columns and maps known ones to their positions', () => {
    const map = matchHeader('incomes', ['备注', '户编码', '统计期', '产业收入', 'extra'], 'incomes.csv');
    expect(map.get('household_id')).toBe(1);
    expect(map.get('period')).toBe(2);
    expect(map.get('industry_income')).toBe(3);
    expect(map.get('wage_income')).toBe(-1);
  });

  it('refuses a header without a required column, naming it and its aliases', () => {
    expect(() => matchHeader('incomes', ['户编码', '产业收入'], 'incomes.csv')).toThrow(InputError);
    expect(() => matchHeader('incomes', ['户编码', '产业收入'], 'incomes.csv')).toThrow(
      'incomes.csv: the header has no column period (accepted names: period, 统计期, 期间)',
    );
  });

  it('refuses two columns that mean the same thing', () => {
    expect(() => matchHeader('households', ['户编码', 'household_id'], 'h.csv')).toThrow(/both mean household_id/);
  });
});

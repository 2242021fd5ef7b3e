import { describe, expect, it } from 'vitest';
import type { Texts } from '../../src/errors.js';
import * as parsers from '../../src/ingest/value-parsers.js';
import {
  isValidIdNumber18,
  parseAmount,
  parseCategory,
  parseCountyCode,
  parseDate,
  parseEmails,
  parseHazardType,
  parseIdNumber,
  parseIndustries,
  parseIndustry,
  parseMembers,
  parseMonth,
  parsePeriodCell,
  parsePhone,
  parsePrice,
  parseSeverity,
} from '../../src/ingest/value-parsers.js';

const value = <T>(r: { ok: true; value: T } | { ok: false; texts: Texts }) => (r.ok ? r.value : `ERR ${r.texts.en}`);

describe('amounts', () => {
  it.each([
    ['12345.5', '12345.5'],
    ['12,345.50', '12345.5'],
    ['１２，３４５.５', '12345.5'],
    ['１２３４５．６７', '12345.67'],
    ['￥1,000', '1000'],
    ['800元', '800'],
    ['0', '0'],
    ['-0', '0'],
    ['007.10', '7.1'],
    [1234.5, '1234.5'],
    [0.1 + 0.2, '0.3'],
  ])('%s → %s', (input, expected) => {
    expect(value(parseAmount(input))).toBe(expected);
  });

  it.each([
    ['12.345', 'more than 2 decimal places'],
    [12.345, 'more than 2 decimal places'],
    ['-5', 'negative'],
    ['12,34', 'not a number'],
    ['1,2345', 'not a number'],
    ['abc', 'not a number'],
    ['1e5', 'not a number'],
    ['1234567890123', 'too large'],
  ])('rejects %s (%s)', (input, message) => {
    const r = parseAmount(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.texts.en).toContain(message);
  });

  it('prices must be > 0 and allow 4 decimals', () => {
    expect(value(parsePrice('3.1415'))).toBe('3.1415');
    expect(parsePrice('0').ok).toBe(false);
    expect(parsePrice('1.23456').ok).toBe(false);
  });
});

describe('members', () => {
  it('accepts whole numbers ≥ 1 in several spellings', () => {
    expect(value(parseMembers('3'))).toBe(3);
    expect(value(parseMembers('３'))).toBe(3);
    expect(value(parseMembers('4人'))).toBe(4);
    expect(value(parseMembers(5))).toBe(5);
  });
  it.each(['0', '-1', '2.5', 'two'])('rejects %s', (input) => {
    expect(parseMembers(input).ok).toBe(false);
  });
});

describe('enumerations', () => {
  it('accepts codes (any case) and Chinese names', () => {
    expect(value(parseCategory('脱贫户'))).toBe('poverty_alleviated');
    expect(value(parseCategory('Marginal'))).toBe('marginal');
    expect(value(parseIndustry('休闲农业与乡村旅游'))).toBe('rural_tourism');
    expect(value(parseIndustry('ｖｅｇｅｔａｂｌｅｓ'))).toBe('vegetables');
    expect(value(parseHazardType('病虫害'))).toBe('crop_pest');
  });
  it('names the accepted values when the value is unknown', () => {
    const r = parseCategory('farmer');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.texts.en).toMatch(/"farmer" is not a household category.*poverty_alleviated 脱贫户/);
  });
  it('splits industry lists on ; ； 、 and ,', () => {
    expect(value(parseIndustries('蔬菜;fruit；生猪、dairy,蔬菜'))).toEqual(['vegetables', 'fruit', 'hogs', 'dairy']);
    expect(parseIndustries('蔬菜;tractors').ok).toBe(false);
  });
});

describe('severity', () => {
  it.each([
    ['1', 1],
    ['４', 4],
    ['IV级', 1],
    ['III级', 2],
    ['II级', 3],
    ['I级', 4],
    ['Ⅳ级', 1],
    ['Ⅲ', 2],
    ['iv', 1],
    ['一般', 1],
    ['较大', 2],
    ['重大', 3],
    ['特别重大', 4],
    [3, 3],
  ])('%s → %d', (input, expected) => {
    expect(value(parseSeverity(input))).toBe(expected);
  });
  it.each(['0', '5', 'V级', '严重'])('rejects %s', (input) => {
    expect(parseSeverity(input).ok).toBe(false);
  });
});

describe('dates, months and periods', () => {
  it.each([
    ['2026-03-05', '2026-03-05'],
    ['2026/3/5', '2026-03-05'],
    ['2026.3.5', '2026-03-05'],
    ['2026年3月5日', '2026-03-05'],
    ['20260305', '2026-03-05'],
    ['2026/3/5 0:00', '2026-03-05'],
    ['２０２６－０３－０５', '2026-03-05'],
  ])('date %s → %s', (input, expected) => {
    expect(value(parseDate(input))).toBe(expected);
  });
  it('reads XLSX date cells and serials as calendar dates', () => {
    expect(value(parseDate(new Date(Date.UTC(2026, 2, 5))))).toBe('2026-03-05');
    expect(value(parseDate(46086))).toBe('2026-03-05');
  });
  it.each(['2026-02-30', '2026-13-01', '05/03/2026', 'soon'])('rejects date %s', (input) => {
    expect(parseDate(input).ok).toBe(false);
  });
  it('months', () => {
    expect(value(parseMonth('2026-9'))).toBe('2026-09');
    expect(value(parseMonth('2026年9月'))).toBe('2026-09');
    expect(value(parseMonth(new Date(Date.UTC(2026, 8, 1))))).toBe('2026-09');
    expect(parseMonth('2026-Q3').ok).toBe(false);
    expect(parseMonth('2026-13').ok).toBe(false);
  });
  it('periods give canonical text, kind and bounds', () => {
    const p = parsePeriodCell('2026q3');
    expect(p.ok && [p.value.text, p.value.kind, p.value.start, p.value.end]).toEqual(['2026-Q3', 'quarter', '2026-07-01', '2026-09-30']);
    const y = parsePeriodCell(2025);
    expect(y.ok && y.value.text).toBe('2025');
    const r = parsePeriodCell('2025-Q5');
    expect(r.ok ? null : r.texts.en).toBe('"2025-Q5" is not a period (use 2026, 2026-Q3 or 2026-09)');
  });
});

describe('county codes and e-mails', () => {
  it('county codes are exactly 6 digits', () => {
    expect(value(parseCountyCode('131022'))).toBe('131022');
    expect(value(parseCountyCode(131022))).toBe('131022');
    expect(parseCountyCode('13102').ok).toBe(false);
    expect(parseCountyCode('1310220').ok).toBe(false);
  });
  it('splits e-mail lists on ; ； , ，', () => {
    expect(value(parseEmails('a@x.cn; b@y.cn；c@z.cn，a@x.cn'))).toEqual(['a@x.cn', 'b@y.cn', 'c@z.cn']);
    const r = parseEmails('a@x.cn;not-an-address');
    expect(r.ok ? null : r.texts.en).toBe('"not-an-address" is not an e-mail address');
  });
});

describe('personal data', () => {
  const valid = '11010519491231002X';
  it('accepts 18-character ID numbers with a valid check character, and 15-digit ones', () => {
    expect(isValidIdNumber18(valid)).toBe(true);
    expect(value(parseIdNumber(valid.toLowerCase()))).toBe(valid);
    expect(value(parseIdNumber('110105491231002'))).toBe('110105491231002');
  });
  it('imports an ID number with a wrong check character with a warning that does not echo it', () => {
    const r = parseIdNumber('110105194912310021');
    expect(r).toMatchObject({ ok: true, value: '110105194912310021' });
    expect(r.ok && r.warning?.en).toMatch(/check character/);
    expect(r.ok && r.warning?.en).not.toContain('1101051949');
    expect(parseIdNumber(valid)).toEqual({ ok: true, value: valid }); // no warning
  });
  it.each([
    ['an XLSX number cell (18 digits rounded, wrong check character)', 110105194912310021],
    ['an XLSX number cell whose rounded digits pass the check', 1.31022199001011e17],
    ['an XLSX number cell of 15 digits', 110105491231002],
    ['CSV text in scientific notation', '1.31022199001011e17'],
    ['CSV text as Excel writes it', '1.31022E+17'],
    ['full-width scientific notation', '１.３１０２２Ｅ＋１７'],
    ['CSV text with a decimal point', '131022199001011000.0'],
    ['CSV text with a sign', '+131022199001011000'],
    ['18 digits ending in 000 with a wrong check character', '110105194912310000'],
  ])('refuses %s with the hint to format the column as text, never echoing it', (_, cell) => {
    const r = parseIdNumber(cell);
    expect(r.ok).toBe(false);
    const message = r.ok ? '' : r.texts.en;
    expect(message).toContain('format the ID column as text');
    expect(message).not.toMatch(/13102219|1101051949|110105491231002/);
  });
  it('warns about 18 digits ending in 000 whose check character happens to be right (rounding passes 1 in 11)', () => {
    expect(isValidIdNumber18('131022199001011000')).toBe(true);
    const r = parseIdNumber('131022199001011000');
    expect(r).toMatchObject({ ok: true, value: '131022199001011000' });
    expect(r.ok && r.warning?.en).toMatch(/formatted as text/);
  });
  it('still refuses values that are not ID numbers at all', () => {
    for (const bad of ['1101051949123100', '11010519491231002Y', 'ABC']) {
      const r = parseIdNumber(bad);
      expect(r.ok ? null : r.texts.en).toMatch(/^not a valid ID number/);
    }
  });
  it('rejects bad phone numbers without echoing them', () => {
    expect(value(parsePhone('0316-5212345'))).toBe('0316-5212345');
    const r = parsePhone('call 138');
    expect(r.ok ? null : r.texts.en).toBe('not a valid phone number');
  });
});

/**
 * Every message a parser can give, one input per message: each must read in Chinese and in
 * English (the compiler refuses a bare string; this catches a copy of the English text).
 */
const EVERY_MESSAGE: Array<[keyof typeof parsers & `parse${string}`, parsers.Cell]> = [
  ['parseDecimal', 'abc'],
  ['parseAmount', Number.NaN],
  ['parseAmount', '1.234'],
  ['parseAmount', 1.234],
  ['parseAmount', '-5'],
  ['parseAmount', '1234567890123'],
  ['parseAmountFen', '-1'],
  ['parsePrice', '0'],
  ['parsePrice', '-2'],
  ['parseIncomePerPerson', '0'],
  ['parseYear', '19'],
  ['parseRegionCode', '12'],
  ['parseMembers', '0'],
  ['parseCountyCode', 'x'],
  ['parseText', 'x'.repeat(201)],
  ['parseIdentifier', 'x'.repeat(65)],
  ['parseCategory', 'farmer'],
  ['parseIndustry', 'x'],
  ['parseHazardType', 'x'],
  ['parseSignalKind', 'x'],
  ['parseLeadChannel', 'x'],
  ['parseRiskCauses', '因穷'],
  ['parseRiskCauses', '；'],
  ['parseSeverity', '9'],
  ['parseDate', 'x'],
  ['parseDate', new Date(Number.NaN)],
  ['parseMonth', 'x'],
  ['parsePeriodCell', 'x'],
  ['parseEmails', 'x'],
  ['parseIndustries', 'x'],
  ['parseIdNumber', 110105194912310021],
  ['parseIdNumber', '1.31022E+17'],
  ['parseIdNumber', 'ABC'],
  ['parseIdNumber', '110105194912310000'],
  ['parseIdNumber', '110105194912310021'], // a warning
  ['parseIdNumber', '131022199001011000'], // a warning
  ['parsePhone', 'x'],
];

describe('messages in both languages', () => {
  it.each(EVERY_MESSAGE)('%s(%j) explains itself in Chinese and in English', (name, cell) => {
    const r =
      name === 'parseDecimal'
        ? parsers.parseDecimal(cell, { maxDecimals: 2, maxIntegerDigits: 12, sign: 'nonNegative' })
        : (parsers[name] as (cell: parsers.Cell) => parsers.Parsed<unknown>)(cell);
    const texts = r.ok ? r.warning : r.texts;
    expect(texts).toBeDefined();
    const { zh, en } = texts!;
    expect(zh).not.toBe(en);
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
    // No English sentence in the Chinese text once the quoted value is taken out.
    expect(zh.replace(/"[^"]*"/g, '')).not.toMatch(/\b(?:is|not|use|the|than|or|and|of|more|must)\b/i);
  });

  it('covers every parser', () => {
    const names = Object.keys(parsers).filter((n) => n.startsWith('parse'));
    expect(names.filter((n) => !EVERY_MESSAGE.some(([name]) => name === n))).toEqual([]);
  });

  it('gives the Chinese wording of the product', () => {
    const why = (r: parsers.Parsed<unknown>) => (r.ok ? undefined : r.texts.zh);
    expect(why(parseMembers('0'))).toBe('"0" 不是不小于 1 的整数');
    expect(why(parseDate('x'))).toBe('"x" 不是日期（格式 YYYY-MM-DD）');
    expect(why(parseIdNumber('ABC'))).toBe('身份证号不是有效号码（18 位：17 位数字加校验位，或 15 位数字）');
    expect(why(parseCategory('farmer'))).toMatch(/^"farmer" 不是户类别（可选：poverty_alleviated 脱贫户、/);
  });
});

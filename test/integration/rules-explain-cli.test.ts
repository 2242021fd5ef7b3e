/**
 * `rules explain` tells a county official, in one Chinese sentence per fired rule, why it fired:
 * the amounts with two decimals, the months a price change compares, and which hazard events
 * counted and which did not (and why) — from the same facts the engine decided on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type HazardFixture, insertCounty, insertHazard, insertHousehold, insertIncomes } from '../support/fixtures.js';

let t: TestDatabase;

async function explain(...args: string[]) {
  const result = await runCli(['rules', 'explain', '--household', 'X1', '--period', '2026-Q3', ...args], {
    env: { DATABASE_URL: t.url, RULES_DIR: 'rules' },
  });
  return { ...result, code: result.code ?? -1 };
}

beforeAll(async () => {
  t = await createTestDatabase('rulesexplain');
  await insertCounty(t.db);
  await insertHousehold(t.db, {
    householdId: 'X1',
    township: '固安镇',
    category: 'unstable',
    members: 2,
    mainIndustry: 'hogs',
    headName: '李四',
    phone: '13800000000',
  });
  await insertIncomes(t.db, 'X1', { '2025-Q3': 9353.7, '2026-Q3': 4183.43 });
  const hazard = (eventId: string, name: string, over: Partial<HazardFixture> = {}) =>
    insertHazard(t.db, {
      eventId,
      name,
      type: 'natural_disaster',
      township: null,
      industries: [],
      severity: 3,
      startDate: '2026-07-10',
      endDate: '2026-07-20',
      ...over,
    });
  await hazard('H1', '大清河洪涝');
  await hazard('H2', '春季冰雹', { severity: 2, startDate: '2026-05-01', endDate: '2026-06-20' });
  await hazard('H3', '柳泉镇风灾', { severity: 4, township: '柳泉镇', startDate: '2026-08-01', endDate: null });
  await hazard('H4', '蔬菜大棚雪灾', { industries: ['vegetables'] });
  await hazard('H5', '猪瘟', { type: 'animal_epidemic', severity: 1 });
  await t.db
    .insertInto('prices')
    .values([
      { commodity: 'hogs', month: '2025-09', price: '20', unit: '元/公斤' },
      { commodity: 'hogs', month: '2026-09', price: '15.58', unit: '元/公斤' },
    ])
    .execute();
});

afterAll(async () => {
  await t.drop();
});

describe('income-watch rules explain: one plain sentence per fired rule', () => {
  it('says in Chinese why each rule fired, with amounts, months and the hazard events that counted and did not', async () => {
    const { code, stdout } = await explain();
    expect(code).toBe(0);
    expect(stdout).toContain('● 触发    industry-income-drop 产业收入大幅下降');
    expect(stdout).toContain('2026年第3季度产业收入 4,183.43 元，比上年同期 9,353.70 元减少 55.28%，超过 20% 的预警线。');
    expect(stdout).toContain('2026年第3季度产业收入 4,183.43 元，比上年同期 9,353.70 元减少 55.28%，达到 50% 的预警线。');
    expect(stdout).toContain('主导产业（生猪）价格 2026年9月比上年同月（2025年9月）下跌 22.10%，达到 15% 的预警线。');
    expect(stdout).toContain(
      '2026年第3季度该户受自然灾害影响，最高 3 级，达到 2 级的预警线（计入：“大清河洪涝”（3 级，2026年7月10日至2026年7月20日）；' +
        '未计入：“春季冰雹”（2026年6月20日已结束，早于本期）、“蔬菜大棚雪灾”（涉及蔬菜，该户主导产业为生猪）、“柳泉镇风灾”（发生在柳泉镇，该户在固安镇））。',
    );
    // A rule the engine did not fire gets no sentence: the epidemic of level 1 is below its line.
    expect(stdout).toMatch(/○ 未触发 {2}epidemic-exposure 受动物疫情影响[^\n]*\n {4}all of/);
    expect(stdout).not.toMatch(/李四|13800000000/);
  });

  it('--json gives each rule its sentence (null when it did not fire); --lang en says it in English', async () => {
    const json = JSON.parse((await explain('--json')).stdout) as {
      rules: Array<{ ruleId: string; fired: boolean; sentence: string | null }>;
    };
    for (const rule of json.rules) expect(rule.sentence === null).toBe(!rule.fired);
    expect(json.rules.find((r) => r.ruleId === 'compound-risk')?.sentence).toMatch(
      /^2026年第3季度该户受自然灾害影响.*；主导产业（生猪）价格.*；2026年第3季度产业收入.*超过 10% 的预警线。$/,
    );
    const en = await explain('--lang', 'en');
    expect(en.stdout).toContain('● FIRED   industry-income-drop');
    expect(en.stdout).toContain(
      'Industry income of 2026-Q3 4,183.43 yuan, down 55.28% on 9,353.70 yuan a year before, beyond the 20% warning line.',
    );
    const bad = await explain('--lang', 'fr');
    expect(bad.code).toBe(2);
  });
});

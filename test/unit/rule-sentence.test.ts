/**
 * The sentence a county official reads for each fired rule (src/rules/sentence.ts): every kind
 * of the shipped rule set, the boundaries, hazard events that counted and did not, the number
 * format, and author-written rules.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatAmount, formatNumber } from '../../src/domain/number-format.js';
import { createEvaluator } from '../../src/rules/evaluate.js';
import { explainRule } from '../../src/rules/explain.js';
import { defaultFacts, type PartialFacts } from '../../src/rules/facts-defaults.js';
import { buildRuleSet, isRuleSetFile } from '../../src/rules/rule-set.loader.js';
import { type HazardEvent, ruleSentence, type SentenceContext } from '../../src/rules/sentence.js';
import type { RuleDefinition } from '../../src/rules/types.js';

const shipped = buildRuleSet(
  'rules',
  readdirSync('rules')
    .filter((f) => isRuleSetFile(f))
    .map((file) => ({ file, text: readFileSync(`rules/${file}`, 'utf8') })),
);
const evaluator = createEvaluator(shipped);

/** Rule id → sentence for the facts, as the engine decides and the builder tells. */
async function sentences(partial: PartialFacts, context: SentenceContext = {}): Promise<Record<string, string | null>> {
  const facts = defaultFacts(partial);
  const { explanations } = await evaluator.evaluate(facts, { explain: true });
  return Object.fromEntries(explanations!.map((e) => [e.ruleId, ruleSentence(e, facts, { parameters: shipped.parameters, ...context })]));
}

const drop = (current: number, baseline: number) => ({
  industryIncome: current,
  industryIncomeBaseline: baseline,
  industryIncomeChangePct: ((current - baseline) / baseline) * 100,
});

const event = (eventId: string, over: Partial<HazardEvent>): HazardEvent => ({
  eventId,
  name: eventId,
  type: 'natural_disaster',
  countyCode: '131022',
  township: null,
  industries: [],
  severity: 3,
  startDate: '2026-07-10',
  endDate: '2026-07-20',
  ...over,
});

describe('explanation sentences of the shipped rules', () => {
  it('tells an income drop with both amounts, the change and the line it crossed', async () => {
    const s = await sentences(drop(4183.43, 9353.7));
    expect(s['industry-income-drop']).toBe('2026年第3季度产业收入 4,183.43 元，比上年同期 9,353.70 元减少 55.28%，超过 20% 的预警线。');
    expect(s['industry-income-collapse']).toBe('2026年第3季度产业收入 4,183.43 元，比上年同期 9,353.70 元减少 55.28%，达到 50% 的预警线。');
  });

  it('follows the boundaries the engine draws: exactly −20 % is no drop, exactly −50 % is a collapse', async () => {
    const at20 = await sentences(drop(8000, 10000));
    expect(at20['industry-income-drop']).toBeNull();
    const at50 = await sentences(drop(5000, 10000));
    expect(at50['industry-income-collapse']).toBe(
      '2026年第3季度产业收入 5,000.00 元，比上年同期 10,000.00 元减少 50.00%，达到 50% 的预警线。',
    );
    expect(at50['industry-income-drop']).toMatch(/减少 50.00%，超过 20% 的预警线。$/);
    expect((await sentences({}))['industry-income-drop']).toBeNull();
  });

  it('tells an income under the monitoring line with the 12 months, and which year’s line a year borrows', async () => {
    const s = await sentences({ perCapitaNetIncome12m: 7800.5 });
    expect(s['below-monitoring-line']).toBe(
      '近 12 个月（2025年10月至2026年9月）家庭人均纯收入 7,800.50 元，低于 2026 年防止返贫监测线 8,300.00 元（2026 年沿用 2025 年标准）。',
    );
    const own = await sentences({ period: '2025', baselinePeriod: '2024', perCapitaNetIncome12m: 8299.99 });
    expect(own['below-monitoring-line']).toBe(
      '近 12 个月（2025年1月至2025年12月）家庭人均纯收入 8,299.99 元，低于 2025 年防止返贫监测线 8,300.00 元。',
    );
    expect((await sentences({ perCapitaNetIncome12m: 8300 }))['below-monitoring-line']).toBeNull();
  });

  it('tells a price shock with the commodity and the two months it compares', async () => {
    const s = await sentences({ priceChangePct: -15, household: { mainIndustry: 'hogs' } });
    expect(s['price-shock']).toBe('主导产业（生猪）价格 2026年9月比上年同月（2025年9月）下跌 15.00%，达到 15% 的预警线。');
    const monthly = await sentences({
      period: '2026-03',
      baselinePeriod: '2025-03',
      priceChangePct: -20.5,
      household: { mainIndustry: 'layers' },
    });
    expect(monthly['price-shock']).toBe('主导产业（蛋鸡）价格 2026年3月比上年同月（2025年3月）下跌 20.50%，达到 15% 的预警线。');
    expect((await sentences({ priceChangePct: -14.99 }))['price-shock']).toBeNull();
  });

  it.each([
    ['disaster-exposure', 'natural_disaster', '自然灾害', 2],
    ['epidemic-exposure', 'animal_epidemic', '动物疫情', 2],
    ['pest-exposure', 'crop_pest', '病虫害', 2],
    ['unsalable-exposure', 'unsalable', '产品滞销', 1],
  ] as const)('tells %s with the level and the line, and fires nothing below it', async (ruleId, type, name, line) => {
    const s = await sentences({ exposure: { [type]: 3 } });
    expect(s[ruleId]).toBe(`2026年第3季度该户受${name}影响，最高 3 级，达到 ${line} 级的预警线。`);
    expect((await sentences({ exposure: { [type]: line - 1 } }))[ruleId]).toBeNull();
  });

  it('names the hazard events that counted and those that did not, with the reason', async () => {
    const hazards = [
      event('大清河洪涝', {}),
      event('春季冰雹', { startDate: '2026-05-01', endDate: '2026-06-30' }),
      event('柳泉镇风灾', { township: '柳泉镇', endDate: null }),
      event('果园冻害', { industries: ['fruit', 'vegetables'] }),
      event('去年旱灾', { startDate: '2025-01-01', endDate: '2025-03-31' }), // before the baseline quarter: not mentioned
      event('猪瘟', { type: 'animal_epidemic' }), // another type: not mentioned
      event('次年洪涝', { startDate: '2026-10-01', endDate: null }), // after the period: not mentioned
    ];
    const s = await sentences({ exposure: { natural_disaster: 3 }, household: { township: '固安镇', mainIndustry: 'hogs' } }, { hazards });
    expect(s['disaster-exposure']).toBe(
      '2026年第3季度该户受自然灾害影响，最高 3 级，达到 2 级的预警线（计入：“大清河洪涝”（3 级，2026年7月10日至2026年7月20日）；' +
        '未计入：“春季冰雹”（2026年6月30日已结束，早于本期）、“柳泉镇风灾”（发生在柳泉镇，该户在固安镇）、“果园冻害”（涉及果品、蔬菜，该户主导产业为生猪））。',
    );
  });

  it('lists at most five events per group and counts the rest', async () => {
    const hazards = Array.from({ length: 7 }, (_, i) => event(`E${i + 1}`, { endDate: null }));
    const s = await sentences({ exposure: { natural_disaster: 3 } }, { hazards });
    expect(s['disaster-exposure']).toContain('计入：“E1”（3 级，2026年7月10日至持续中）、“E2”');
    expect(s['disaster-exposure']).toContain('“E5”（3 级，2026年7月10日至持续中）等 7 起）。');
  });

  it('tells a medical-expense burden (因病) with the expenses, the net income, their share and the share line', async () => {
    const burden = { netIncome12m: 30000, signals: { medical_expense: 12000 }, medicalExpenseSharePct12m: 40 };
    const s = await sentences(burden);
    expect(s['medical-expense-burden']).toBe(
      '近 12 个月（2025年10月至2026年9月）医疗自付费用 12,000.00 元，占同期家庭纯收入 30,000.00 元的 40.00%，超过 30% 的预警比例。',
    );
    const en = await sentences(burden, { lang: 'en' });
    expect(en['medical-expense-burden']).toBe(
      "Medical out-of-pocket expenses of the 12 months 2025-10 to 2026-09 12,000.00 yuan, 40.00% of the household's net income of 30,000.00 yuan in the same months, above the 30% warning share.",
    );
    const atLine = await sentences({ netIncome12m: 30000, signals: { medical_expense: 9000 }, medicalExpenseSharePct12m: 30 });
    expect(atLine['medical-expense-burden']).toBeNull();
  });

  it('tells a compound risk by the parts that held, joined in one sentence', async () => {
    const s = await sentences({ ...drop(8500, 10000), priceChangePct: -16, exposure: { crop_pest: 1 } });
    expect(s['compound-risk']).toBe(
      '主导产业（蔬菜）价格 2026年9月比上年同月（2025年9月）下跌 16.00%，达到 15% 的预警线；2026年第3季度产业收入 8,500.00 元，比上年同期 10,000.00 元减少 15.00%，超过 10% 的预警线。',
    );
    expect(s['compound-risk']).not.toContain('病虫害');
  });

  it('says it in English for the language switch', async () => {
    const s = await sentences(drop(4183.43, 9353.7), { lang: 'en' });
    expect(s['industry-income-drop']).toBe(
      'Industry income of 2026-Q3 4,183.43 yuan, down 55.28% on 9,353.70 yuan a year before, beyond the 20% warning line.',
    );
  });
});

describe('explanation sentences of rules an author writes', () => {
  const rule = (conditions: Record<string, unknown>): RuleDefinition => ({
    id: 'custom',
    name: '自定义',
    description: '',
    severity: 'warning',
    cause: 'compound',
    slaDays: 15,
    file: 'custom.json',
    conditions,
    event: { type: 'custom' },
  });
  const say = (conditions: Record<string, unknown>, partial: PartialFacts, fired = true) => {
    const facts = defaultFacts(partial);
    return ruleSentence(explainRule(rule(conditions), facts, fired), facts);
  };

  it('reads any condition as the figure and the comparison, from the condition renderer’s texts', () => {
    expect(
      say(
        {
          all: [
            { fact: 'household', path: '$.category', operator: 'in', value: ['unstable', 'marginal'] },
            { fact: 'netIncome', operator: 'lessThan', value: 5000 },
          ],
        },
        { household: { category: 'unstable' }, netIncome: 4200.5 },
      ),
    ).toBe('户类型 脱贫不稳定户，属于 脱贫不稳定户、边缘易致贫户；纯收入 4,200.50 元，低于 5,000.00 元。');
    expect(say({ not: { fact: 'household', path: '$.members', operator: 'greaterThan', value: 2 } }, { household: { members: 1 } })).toBe(
      '不满足“家庭人口 1，高于 2”。',
    );
  });

  it('reads a condition on a department signal with the kind, the amount or count and its unit', () => {
    expect(
      say(
        {
          all: [
            { fact: 'signals', path: '$.disaster_loss', operator: 'greaterThan', value: 5000 },
            { fact: 'signals', path: '$.unemployment', operator: 'greaterThanInclusive', value: 1 },
          ],
        },
        { signals: { disaster_loss: 8000.5, unemployment: 2 } },
      ),
    ).toBe('近12个月灾害损失金额 8,000.50 元，高于 5,000.00 元；近12个月失业次数 2 次，不低于 1 次。');
  });

  it('gives no sentence when the engine did not fire the rule or the conditions do not hold', () => {
    const conditions = { all: [{ fact: 'netIncome', operator: 'lessThan', value: 5000 }] };
    expect(say(conditions, { netIncome: 4000 }, false)).toBeNull();
    expect(say(conditions, { netIncome: 6000 }, true)).toBeNull();
  });
});

describe('numbers in explanations', () => {
  it('writes amounts with thousands separators and exactly two decimals, and a true minus sign', () => {
    expect(formatAmount(4183.425)).toBe('4,183.43');
    expect(formatAmount(1234567.5)).toBe('1,234,567.50');
    expect(formatAmount(0)).toBe('0.00');
    expect(formatAmount(-1200)).toBe('\u22121,200.00');
    expect(formatAmount(-0.001)).toBe('0.00');
    expect(formatNumber(8300)).toBe('8,300');
    expect(formatNumber(-15.5, { signed: true })).toBe('\u221215.5');
    expect(formatNumber(20, { signed: true })).toBe('+20');
  });
});

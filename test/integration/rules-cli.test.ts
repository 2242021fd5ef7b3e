import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { period } from '../../src/domain/period.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { hostileRuleDir, nestedAll, nestedNot } from '../support/hostile-rules.js';
import { runCliMeasured } from '../support/measured-cli.js';

let t: TestDatabase;
let draft: string;

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await runCli(['rules', ...args], { env: { DATABASE_URL: t.url, RULES_DIR: 'rules', ...env } });
  if (result.code !== 0 && result.stderr) console.error(`rules ${args.join(' ')} → ${result.code}: ${result.stderr}`);
  return { ...result, code: result.code ?? -1 };
}

function income(id: string, text: string, value: string) {
  const p = period(text);
  return {
    household_id: id,
    period: p.text,
    period_kind: p.kind,
    period_start: p.start,
    period_end: p.end,
    industry_income: value,
    wage_income: '0',
    property_income: '0',
    transfer_income: '0',
    production_cost: '0',
  };
}

beforeAll(async () => {
  t = await createTestDatabase('rulescli');
  await t.db
    .insertInto('counties')
    .values([
      { county_code: '131022', name: '固安县', emails: [], escalation_emails: [] },
      { county_code: '131023', name: '永清县', emails: [], escalation_emails: [] },
    ])
    .execute();
  const h = (id: string, county: string) => ({
    household_id: id,
    county_code: county,
    township: null,
    village: null,
    category: 'unstable',
    members: 2,
    main_industry: 'hogs',
    head_name: '李四',
    phone: '13800000000',
  });
  await t.db
    .insertInto('households')
    .values([h('A1', '131022'), h('A2', '131022'), h('B1', '131023')])
    .execute();
  await t.db
    .insertInto('incomes')
    .values([
      income('A1', '2025-Q3', '10000'),
      income('A1', '2026-Q3', '8000'), // exactly -20 %
      income('A2', '2025-Q3', '10000'),
      income('A2', '2026-Q3', '7500'), // -25 %
      income('B1', '2025-Q3', '10000'),
      income('B1', '2026-Q3', '8500'), // -15 %
    ])
    .execute();
  await t.db
    .insertInto('department_signals')
    .values({ household_id: 'A1', kind: 'medical_expense', signal_date: '2026-07-01', amount_cents: 250_000, source: null, note: null })
    .execute();
  draft = mkdtempSync(join(tmpdir(), 'iw-draft-'));
  cpSync('rules', draft, { recursive: true });
  const rule = JSON.parse(readFileSync(join(draft, 'industry-income-drop.json'), 'utf8'));
  rule.conditions.all[0].operator = 'lessThanInclusive';
  rule.conditions.all[0].value = -15;
  writeFileSync(join(draft, 'industry-income-drop.json'), JSON.stringify(rule));
});

afterAll(async () => {
  rmSync(draft, { recursive: true, force: true });
  await t.drop();
});

describe('income-watch rules (CLI)', () => {
  it('stops quietly with status 141 when the reader of its output goes away (`| head`), no stack trace', async () => {
    const r = await runCli(['rules', 'lint'], { env: { DATABASE_URL: t.url, RULES_DIR: 'rules' }, closeStdout: true });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(141);
  });

  it('lint: the shipped rules pass; a broken file exits 1 naming file and pointer', async () => {
    const ok = await cli(['lint', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).errors).toEqual([]);
    const broken = mkdtempSync(join(tmpdir(), 'iw-broken-'));
    cpSync('rules', broken, { recursive: true });
    writeFileSync(
      join(broken, 'price-shock.json'),
      readFileSync('rules/price-shock.json', 'utf8').replace('"priceChangePct"', '"priceChange"'),
    );
    const [bad, text, en] = await Promise.all([
      cli(['lint', '--dir', broken, '--json']),
      cli(['lint', '--dir', broken]),
      cli(['lint', '--dir', broken, '--lang', 'en']),
    ]);
    rmSync(broken, { recursive: true, force: true });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).errors).toEqual([
      { file: 'price-shock.json', pointer: '/conditions/any/0/fact', message: expect.stringMatching(/unknown fact "priceChange"/) },
    ]);
    // People read the messages in Chinese, with the file and JSON pointer; English on request.
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('错误 price-shock.json /conditions/any/0/fact：未知的指标 "priceChange"；可用的指标：household, ');
    expect(text.stdout).toContain('：1 个错误，0 个警告——监测不会采用这组规则');
    expect(en.stdout).toContain('error   price-shock.json /conditions/any/0/fact: unknown fact "priceChange"; known facts: household, ');
  });

  it('lint is quiet on the shipped rules: no warning, in Chinese', async () => {
    const text = await cli(['lint']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('rules：10 条规则检查通过\n');
  });

  it('test: the shipped fixtures pass; a failing case exits 1', { timeout: 180_000 }, async () => {
    const ok = await cli(['test', '--json']);
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report.failed).toBe(0);
    expect(report.cases[0]).toEqual({ file: expect.stringMatching(/^tests\//), name: expect.any(String), ok: true, message: 'ok' });
    const failing = await cli(['test', '--dir', draft, '--json']);
    expect(failing.code).toBe(1);
    expect(
      JSON.parse(failing.stdout).cases.some(
        (c: { ok: boolean; message: string }) => !c.ok && /industry-income-drop .* fired unexpectedly/.test(c.message),
      ),
    ).toBe(true);
    // People read it in Chinese; --lang en as --json writes it.
    const text = await cli(['test', '--dir', draft]);
    expect(text.stdout).toMatch(/^✗ tests\/\S+\.json：.*\n {4}规则 industry-income-drop \(产业收入大幅下降\) — .* 意外触发$/m);
    expect(text.stdout).toMatch(/^\d+ 个通过，[1-9]\d* 个失败（规则集 \w+）$/m);
    const english = await cli(['test', '--dir', draft, '--lang', 'en']);
    expect(english.stdout).toMatch(/^ {4}rule industry-income-drop \(产业收入大幅下降\) — .* fired unexpectedly$/m);
    expect(english.stdout).toMatch(/^\d+ passed, [1-9]\d* failed \(rule set \w+\)$/m);
  });

  it('explain: facts and every rule with its conditions, no personal data', async () => {
    const text = await cli(['explain', '--household', 'A1', '--period', '2026-Q3']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/○ 未触发 {2}industry-income-drop 产业收入大幅下降/);
    expect(text.stdout).toMatch(/industryIncomeChangePct \(-20\) < -20 {2}✗/);
    expect(text.stdout).not.toMatch(/李四|13800000000/);
    // Department signals are facts too; without 12 months of income there is no medical share.
    expect(text.stdout).toContain(
      'signals: {"medical_expense":2500,"disaster_loss":0,"unemployment":0,"disability":0,"minimum_living":0,"other":0}',
    );
    expect(text.stdout).toMatch(/○ 未触发 {2}medical-expense-burden 医疗自付费用负担过重 — 预警\/因病，15 天/);
    expect(text.stdout).toMatch(/medicalExpenseSharePct12m \(null\) > medicalExpenseShareLine \(30\) {2}✗/);
    const json = JSON.parse((await cli(['explain', '--household', 'A2', '--period', '2026-Q3', '--json'])).stdout);
    expect(json.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['industry-income-drop']);
    expect(json.rules).toHaveLength(10);
    expect(json.facts).toMatchObject({ netIncome12m: null, medicalExpenseShareLine: 30, signals: { medical_expense: 0 } });
    const missing = await cli(['explain', '--household', 'NOPE', '--period', '2026-Q3']);
    expect(missing.code).toBe(2);
  });

  it('preview: per rule and county counts and the households that start and stop firing', { timeout: 180_000 }, async () => {
    const result = await cli(['preview', '--period', '2026-Q3', '--dir', draft, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.households).toBe(3);
    const drop = report.rules.find((r: { ruleId: string }) => r.ruleId === 'industry-income-drop');
    expect(drop).toMatchObject({ draft: 3, current: 1, started: ['A1', 'B1'], stopped: [], byCounty: { '131022': 2, '131023': 1 } });
    expect(report.byCounty['131023']).toEqual({ households: 1, firing: 1 });
    const text = (await cli(['preview', '--period', '2026-Q3', '--dir', draft])).stdout;
    expect(text).toMatch(/^预览：\S+（\w+）对比 rules（\w+），统计期 2026-Q3，共 3 户；未写入任何数据$/m);
    expect(text).toMatch(/^规则 +草稿 +当前 +\+新增 +-停止$/m);
    expect(text).toContain('  industry-income-drop 将对 2 户开始触发：A1, B1');
    const english = (await cli(['preview', '--period', '2026-Q3', '--dir', draft, '--lang', 'en'])).stdout;
    expect(english).toContain('  industry-income-drop would start firing for 2: A1, B1');
    const same = JSON.parse((await cli(['preview', '--period', '2026-Q3', '--json'])).stdout);
    expect(same.rules.every((r: { started: string[]; stopped: string[] }) => r.started.length === 0 && r.stopped.length === 0)).toBe(true);
    const alerts = await t.db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(alerts.n)).toBe(0);
  });
});

/**
 * Hostile rule directories the test generates — conditions nested 2,000 and 100,000 levels,
 * a `notIn` list of 3 million values — are refused by every command that loads rules, with one
 * line naming the file, the JSON pointer and the reason, within seconds and in bounded memory.
 */
describe('income-watch rules on hostile rule files', () => {
  const dirs: Record<string, string> = {};
  const expected: Record<string, RegExp> = {
    nested2000: /^industry-income-drop\.json \/conditions(\/all\/0){32}: conditions are nested more than 32 levels deep/,
    nested100000: /^industry-income-drop\.json \/conditions\/all\/0(\/not){31}: conditions are nested more than 32 levels deep/,
    notIn3M: /^industry-income-drop\.json: the file has 3\d\.\d MB; a rule file may have at most 1 MB/,
  };

  beforeAll(() => {
    dirs.nested2000 = hostileRuleDir({ conditions: nestedAll(2_000) });
    dirs.nested100000 = hostileRuleDir({ conditions: nestedNot(100_000) });
    dirs.notIn3M = hostileRuleDir({ notInValues: 3_000_000 });
  });

  afterAll(() => {
    for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  });

  const timed = (args: string[]) => runCliMeasured(['rules', ...args], { DATABASE_URL: t.url, RULES_DIR: 'rules', LOG_LEVEL: 'silent' });

  it.each(['nested2000', 'nested100000', 'notIn3M'])(
    '%s: lint and preview refuse it (exit 1) within seconds, under 300 MB',
    async (name) => {
      const lint = await timed(['lint', '--dir', dirs[name]!, '--json']);
      expect(lint.code).toBe(1);
      const errors = JSON.parse(lint.stdout).errors as Array<{ file: string; pointer: string; message: string }>;
      expect(errors).toHaveLength(1);
      expect(`${errors[0]!.file}${errors[0]!.pointer ? ` ${errors[0]!.pointer}` : ''}: ${errors[0]!.message}`).toMatch(expected[name]!);

      const preview = await timed(['preview', '--period', '2026-Q3', '--dir', dirs[name]!, '--lang', 'en']);
      expect(preview.code).toBe(1);
      expect(preview.stdout).toBe('');
      const line = preview.stderr.trim();
      expect(line.split('\n')).toHaveLength(1);
      expect(line.replace(/^income-watch: rule set \S+ is invalid: /, '')).toMatch(expected[name]!);

      // CPU time, not wall time: the work must be bounded however busy the machine is.
      for (const run of [lint, preview]) {
        expect(run.cpuSeconds).toBeLessThan(10);
        expect(run.seconds).toBeLessThan(60);
        expect(run.maxRssMb).toBeLessThan(300);
      }
    },
  );

  it('test and explain apply the same limits', async () => {
    for (const args of [
      ['test', '--dir', dirs.nested100000!],
      ['explain', '--household', 'A1', '--period', '2026-Q3', '--dir', dirs.notIn3M!],
    ]) {
      const run = await timed(args);
      expect(run.code).toBe(1);
      // Chinese by default: the file and pointer as they are, the rest in Chinese.
      expect(run.stderr.trim()).toMatch(/^income-watch: 规则集 \S+ 有错误：industry-income-drop\.json[ ：]/);
      expect(run.maxRssMb).toBeLessThan(300);
    }
  });
});

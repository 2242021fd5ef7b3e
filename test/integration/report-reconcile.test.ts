/**
 * `income-watch report --json` over a generated data set with a workflow history
 * (test/support/report-seed.ts) agrees with independent SQL written here for every figure, the
 * county report with the city report's rows of that county, and the XLSX file read back
 * (exceljs) with the JSON.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.types.js';
import { runCli } from '../support/cli.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { RULES_DIR } from '../support/queue.js';
import { AS_OF, CUTOFF, type ReportSeed, seedReportData } from '../support/report-seed.js';

let s: ReportSeed;
let dir: string;
let report: Report;
let county: Report;
let workbook: ExcelJS.Workbook;

const r2 = (n: number | null | undefined) => (n === null || n === undefined ? null : Math.round(Number(n) * 100) / 100);
/** Rounded the same way on both sides; allows the last digit to differ by one (float vs numeric rounding). */
function near(actual: number | null, expected: number | null, label: string) {
  if (expected === null) return expect(actual, label).toBeNull();
  expect(actual, label).not.toBeNull();
  expect(Math.abs(actual! - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(0.011);
}

async function rows<T>(query: ReturnType<typeof sql<T>>): Promise<T[]> {
  return (await query.execute(s.t.db)).rows;
}

async function cli(args: string[]): Promise<Report> {
  const res = await runCli(['report', '--period', '2026-Q3', '--as-of', AS_OF, '--json', ...args], {
    env: { DATABASE_URL: s.t.url, REDIS_URL: TEST_REDIS_URL, RULES_DIR, LOG_LEVEL: 'silent' },
    timeoutMs: 120_000,
  });
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as Report;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iw-report-'));
  s = await seedReportData('report_reconcile', dir);
  [report, county] = await Promise.all([cli(['--out', join(dir, 'city.xlsx')]), cli(['--county', '131022'])]);
  workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(join(dir, 'city.xlsx'));
}, 300_000);

afterAll(async () => {
  await s?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const figure = (r: Report, name: string, item: string | null = null) => r.overview.find((o) => o.figure === name && o.item === item);

describe('report --json agrees with independent SQL', () => {
  it('alerts: one row per county and rule with the count and those still open at the end of the as-of day', async () => {
    const expected = await rows<{ countyCode: string; ruleId: string; cause: string; severity: string; count: number; open: number }>(sql`
      select county_code::text as "countyCode", rule_id as "ruleId", cause, severity, count(*)::int as count,
        sum(case when resolved_at is not null and resolved_at < ${CUTOFF}::timestamptz then 0 else 1 end)::int as open
      from alerts where period = '2026-Q3' group by county_code, rule_id, cause, severity
      order by 1, 2, 3, 4`);
    expect(expected.length).toBeGreaterThan(10);
    expect(expected.some((e) => e.open < e.count)).toBe(true);
    expect(report.alerts).toEqual(expected);
    expect(Object.keys(report.alerts[0]!)).toEqual(['countyCode', 'ruleId', 'cause', 'severity', 'count', 'open']);
  });

  it('overview: households, categories, monitoring objects, alerts, tasks, leads and risk eliminated, beside the previous period', async () => {
    const one = async (q: ReturnType<typeof sql<{ n: number }>>) => (await rows(q))[0]!.n;
    expect(figure(report, 'households')!.current).toBe(await one(sql`select count(*)::int as n from households`));
    for (const c of await rows<{ category: string; n: number }>(sql`select category, count(*)::int as n from households group by 1`)) {
      expect(figure(report, 'householdsByCategory', c.category)!.current).toBe(c.n);
    }
    for (const [p, key] of [
      ['2026-Q3', 'current'],
      ['2026-Q2', 'previous'],
    ] as const) {
      const withIncome = await one(sql`select count(*)::int as n from incomes where period = ${p}`);
      expect(figure(report, 'householdsWithIncome')![key]).toBe(withIncome);
      const alerts = await rows<{ n: number; open: number }>(sql`
        select count(*)::int as n, count(*) filter (where not (resolved_at < ${CUTOFF}::timestamptz) or resolved_at is null)::int as open
        from alerts where period = ${p}`);
      expect(figure(report, 'alerts')![key]).toBe(alerts[0]!.n);
      expect(figure(report, 'alertsOpen')![key]).toBe(alerts[0]!.open);
      for (const c of await rows<{ cause: string; n: number }>(
        sql`select cause, count(*)::int as n from alerts where period = ${p} group by 1`,
      )) {
        expect(figure(report, 'alertsByCause', c.cause)![key], c.cause).toBe(c.n);
      }
      const tasks = await rows<{ opened: number; closed: number; open: number; overdue: number }>(sql`
        select count(*)::int as opened,
          count(*) filter (where closed_at <= ${CUTOFF}::timestamptz - interval '1 microsecond')::int as closed,
          count(*) filter (where closed_at is null or closed_at > ${CUTOFF}::timestamptz - interval '1 microsecond')::int as open,
          count(*) filter (where (closed_at is null or closed_at >= ${CUTOFF}::timestamptz) and due_date < ${AS_OF}::date)::int as overdue
        from tasks where period = ${p}`);
      expect(figure(report, 'tasksOpened')![key]).toBe(tasks[0]!.opened);
      expect(figure(report, 'tasksClosed')![key]).toBe(tasks[0]!.closed);
      expect(figure(report, 'tasksOpen')![key]).toBe(tasks[0]!.open);
      expect(figure(report, 'tasksOverdue')![key]).toBe(tasks[0]!.overdue);
      for (const o of await rows<{ outcome: string; n: number }>(sql`
        select outcome, count(*)::int as n from tasks where period = ${p} and closed_at < ${CUTOFF}::timestamptz group by 1`)) {
        expect(figure(report, 'tasksClosedByOutcome', o.outcome)![key], o.outcome).toBe(o.n);
      }
      const [start, end] = p === '2026-Q3' ? ['2026-07-01', '2026-09-30'] : ['2026-04-01', '2026-06-30'];
      for (const l of await rows<{ channel: string; n: number }>(sql`
        select channel, count(*)::int as n from leads where reported_on >= ${start}::date and reported_on <= ${end}::date group by 1`)) {
        expect(figure(report, 'leadsByChannel', l.channel)![key], l.channel).toBe(l.n);
      }
      expect(figure(report, 'riskEliminated')![key]).toBe(
        await one(sql`select count(distinct household_id)::int as n from monitoring_status_history
          where status = 'risk_eliminated' and since >= ${start}::date and since <= ${end}::date`),
      );
    }
    expect(figure(report, 'tasksClosed')!.current).toBeGreaterThan(0);
    expect(figure(report, 'leads')!.current).toBeGreaterThan(0);
    expect(figure(report, 'riskEliminated')!.current).toBe(7); // the November one is in no quarter of the report
    const objects = await rows<{ category: string; n: number }>(sql`
      select h.category, count(*)::int as n from households x
      cross join lateral (select status, category from monitoring_status_history m where m.household_id = x.household_id
                          and m.since <= '2026-09-30' order by since desc, id desc limit 1) h
      where h.status = 'monitored' group by 1`);
    expect(figure(report, 'monitoringObjects')!.current).toBe(objects.reduce((n, o) => n + o.n, 0));
    expect(figure(report, 'monitoringObjects')!.current).toBe(30 - 7);
    for (const o of objects) expect(figure(report, 'monitoringObjectsByCategory', o.category)!.current).toBe(o.n);
  });

  it('county dispatch: due, on time, overdue now and the oldest, median days to acknowledge and close, outcomes, rank', async () => {
    const expected = await rows<{
      county: string;
      tasks: number;
      due: number;
      on_time: number;
      ack: number | null;
      close: number | null;
    }>(sql`
      select t.county_code::text as county, count(*)::int as tasks,
        count(*) filter (where t.due_date <= ${AS_OF}::date)::int as due,
        count(*) filter (where t.due_date <= ${AS_OF}::date and t.closed_at < ${CUTOFF}::timestamptz
                           and t.closed_at < (t.due_date + 1)::timestamp at time zone 'Asia/Shanghai')::int as on_time,
        (select percentile_cont(0.5) within group (order by (extract(epoch from a.at) - extract(epoch from x.created_at)) / 86400.0)
         from tasks x join lateral (select min(at) as at from audit_log where entity = 'task' and entity_id = x.id and action = 'ack') a on a.at is not null
         where x.county_code = t.county_code and x.period = '2026-Q3' and a.at < ${CUTOFF}::timestamptz) as ack,
        (select percentile_cont(0.5) within group (order by (extract(epoch from x.closed_at) - extract(epoch from x.created_at)) / 86400.0)
         from tasks x where x.county_code = t.county_code and x.period = '2026-Q3' and x.closed_at < ${CUTOFF}::timestamptz) as close
      from tasks t where t.period = '2026-Q3' group by t.county_code`);
    const overdue = await rows<{ county: string; n: number; oldest: string }>(sql`
      select county_code::text as county, count(*)::int as n, to_char(min(due_date), 'YYYY-MM-DD') as oldest from tasks
      where due_date < ${AS_OF}::date and (closed_at is null or closed_at >= ${CUTOFF}::timestamptz) group by 1`);
    expect(expected.length).toBeGreaterThan(5);
    for (const e of expected) {
      const d = report.dispatch.find((x) => x.countyCode === e.county)!;
      expect(d, e.county).toMatchObject({ tasks: e.tasks, due: e.due, closedOnTime: e.on_time });
      near(d.onTimeRatePct, e.due > 0 ? r2((e.on_time / e.due) * 100) : null, `${e.county} on-time rate`);
      near(d.medianDaysToAck, r2(e.ack), `${e.county} ack`);
      near(d.medianDaysToClose, r2(e.close), `${e.county} close`);
      const o = overdue.find((x) => x.county === e.county);
      expect(d.overdueNow).toBe(o?.n ?? 0);
      expect(d.oldestOverdueDue).toBe(o?.oldest ?? null);
      const listed = report.overdueTasks.filter((x) => x.countyCode === e.county);
      expect(listed.length).toBe(Math.min(o?.n ?? 0, report.overdueListLimit));
      for (const x of listed) expect(x.headName === null || /^.\*+$/u.test(x.headName)).toBe(true);
    }
    for (const o of await rows<{ county: string; outcome: string; n: number }>(sql`
      select county_code::text as county, outcome, count(*)::int as n from tasks
      where period = '2026-Q3' and closed_at < ${CUTOFF}::timestamptz group by 1, 2`)) {
      expect(report.dispatch.find((x) => x.countyCode === o.county)!.outcomes[o.outcome]).toBe(o.n);
    }
    expect(report.dispatch.map((d) => d.rank)).toEqual(report.dispatch.map((_, i) => i + 1));
    const rates = report.dispatch.map((d) => d.onTimeRatePct ?? -1);
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
  });

  it('income: median industry-income change, drops over 20 %, bands of the 12-month per-capita net income against the line', async () => {
    const change = await rows<{ county: string | null; industry: string | null; n: number; median: number; drops: number }>(sql`
      with x as (
        select h.county_code::text as county, h.main_industry as industry, 100.0 * (c.industry_income / b.industry_income - 1) as pct
        from incomes c, incomes b, households h
        where c.period = '2026-Q3' and b.period = '2025-Q3' and b.household_id = c.household_id and h.household_id = c.household_id
          and b.industry_income > 0)
      select county, null as industry, count(*)::int as n, percentile_cont(0.5) within group (order by pct::float8) as median,
        count(*) filter (where pct < -20)::int as drops from x group by county
      union all
      select null, industry, count(*)::int, percentile_cont(0.5) within group (order by pct::float8), count(*) filter (where pct < -20)::int
      from x group by industry`);
    const bands = await rows<{ county: string; below: number; just: number; mid: number; high: number; none: number }>(sql`
      with net as (
        select household_id, sum(industry_income + wage_income + property_income + transfer_income - production_cost) as net
        from incomes where period in ('2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3') group by 1 having count(*) = 4)
      select h.county_code::text as county,
        count(*) filter (where net.net / h.members < 8300)::int as below,
        count(*) filter (where net.net / h.members >= 8300 and net.net / h.members < 9130)::int as just,
        count(*) filter (where net.net / h.members >= 9130 and net.net / h.members < 10790)::int as mid,
        count(*) filter (where net.net / h.members >= 10790)::int as high,
        count(*) filter (where net.net is null)::int as none
      from households h left join net using (household_id) group by 1`);
    for (const c of change) {
      const row = c.county
        ? report.income.byCounty.find((x) => x.countyCode === c.county)
        : report.income.byIndustry.find((x) => x.industry === c.industry);
      expect(row, `${c.county ?? c.industry}`).toMatchObject({ changeHouseholds: c.n, dropOver20: c.drops });
      near(row!.medianIndustryChangePct, r2(c.median), `${c.county ?? c.industry} median`);
      near(row!.dropOver20SharePct, r2((c.drops / c.n) * 100), `${c.county ?? c.industry} share`);
    }
    for (const b of bands) {
      expect(
        report.income.byCounty.find((x) => x.countyCode === b.county),
        b.county,
      ).toMatchObject({
        below: b.below,
        justAbove: b.just,
        above10to30: b.mid,
        higher: b.high,
        noData: b.none,
      });
    }
    expect(report.income.total.below).toBe(bands.reduce((n, b) => n + b.below, 0));
    expect(report.income.total.dropOver20).toBeGreaterThan(0);
  });

  it('income-growth target: per-capita net income growth of the same households against the county and province benchmarks', async () => {
    const growth = await rows<{ county: string | null; n: number; now: number; before: number }>(sql`
      with a as (select household_id, sum(industry_income + wage_income + property_income + transfer_income - production_cost) as net
                 from incomes where period in ('2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3') group by 1 having count(*) = 4),
           b as (select household_id, sum(industry_income + wage_income + property_income + transfer_income - production_cost) as net
                 from incomes where period in ('2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3') group by 1 having count(*) = 4)
      select h.county_code::text as county, count(*)::int as n, (sum(a.net) / sum(h.members))::float8 as now,
        (sum(b.net) / sum(h.members))::float8 as before
      from households h join a using (household_id) join b using (household_id) group by rollup (h.county_code)`);
    const bench = await rows<{ region: string; growth: number }>(sql`
      select y.region_code::text as region, (100 * (y.rural_income / x.rural_income - 1))::float8 as growth
      from benchmarks y join benchmarks x on x.region_code = y.region_code and x.year = 2025 - 1 where y.year = 2025`);
    const benchOf = (code: string) => bench.find((b) => b.region === code)!.growth;
    let missed = 0;
    for (const g of growth) {
      const row = report.target.rows.find((x) => x.countyCode === g.county)!;
      expect(row.households).toBe(g.n);
      near(row.perCapitaNetIncome, r2(g.now), 'per capita');
      near(row.perCapitaNetIncomeBefore, r2(g.before), 'before');
      const pct = (g.now / g.before - 1) * 100;
      near(row.growthPct, r2(pct), 'growth');
      near(row.local!.growthPct, r2(benchOf(g.county ?? '131000')), 'local');
      near(row.province!.growthPct, r2(benchOf('130000')), 'province');
      expect(row.meetsTarget).toBe(pct > benchOf(g.county ?? '131000') && pct > benchOf('130000'));
      if (!row.meetsTarget) missed++;
    }
    expect(growth.length).toBe(11);
    expect(missed).toBeGreaterThan(0);
  });

  it('market risk: latest price, month-on-month and year-on-year change, the series, households, touching hazards', async () => {
    const prices = await rows<{ commodity: string; now: number; mom: number; yoy: number; months: number }>(sql`
      select p.commodity, p.price::float8 as now, (100 * (p.price / m.price - 1))::float8 as mom, (100 * (p.price / y.price - 1))::float8 as yoy,
        (select count(*)::int from prices z where z.commodity = p.commodity and z.month between '2025-10' and '2026-09') as months
      from prices p join prices m on m.commodity = p.commodity and m.month = '2026-08'
      join prices y on y.commodity = p.commodity and y.month = '2025-09' where p.month = '2026-09'`);
    expect(prices.length).toBeGreaterThan(5);
    for (const p of prices) {
      const row = report.market.find((m) => m.commodity === p.commodity)!;
      expect(row.latestMonth).toBe('2026-09');
      near(row.price, r2(p.now), 'price');
      near(row.momPct, r2(p.mom), 'mom');
      near(row.yoyPct, r2(p.yoy), 'yoy');
      expect(row.series.filter((x) => x.price !== null).length).toBe(p.months);
      const n = await rows<{ n: number }>(sql`select count(*)::int as n from households where main_industry = ${p.commodity}`);
      expect(row.households).toBe(n[0]!.n);
      const touching = await rows<{ event_id: string }>(sql`
        select event_id from hazards where type in ('price_slump', 'unsalable') and (cardinality(industries) = 0 or ${p.commodity} = any(industries))
          and start_date <= '2026-09-30' and (end_date is null or end_date >= '2026-07-01') order by county_code, start_date, event_id`);
      expect(row.hazards.map((h) => h.eventId)).toEqual(touching.map((t) => t.event_id));
    }
  });

  it('hazards: every event active in the period with the households it reaches', async () => {
    const events = await rows<{ event_id: string; n: number }>(sql`
      select z.event_id, (select count(*)::int from households h where h.county_code = z.county_code
        and (coalesce(btrim(z.township), '') = '' or btrim(z.township) = btrim(coalesce(h.township, '')))
        and (cardinality(z.industries) = 0 or h.main_industry = any(z.industries))) as n
      from hazards z where z.start_date <= '2026-09-30' and (z.end_date is null or z.end_date >= '2026-07-01')
      order by z.county_code, z.start_date, z.event_id`);
    expect(events.length).toBeGreaterThan(2);
    expect(report.hazards.events.map((e) => [e.eventId, e.householdsExposed])).toEqual(events.map((e) => [e.event_id, e.n]));
    expect(report.hazards.events.some((e) => e.householdsExposed > 0)).toBe(true);
  });

  it('trend: the last 8 quarters of the headline figures', async () => {
    expect(report.trend.map((t) => t.period)).toEqual([
      '2024-Q4',
      '2025-Q1',
      '2025-Q2',
      '2025-Q3',
      '2025-Q4',
      '2026-Q1',
      '2026-Q2',
      '2026-Q3',
    ]);
    for (const t of report.trend) {
      const [a] = await rows<{ n: number }>(sql`select count(*)::int as n from alerts where period = ${t.period}`);
      const [k] = await rows<{ n: number; c: number }>(sql`
        select count(*)::int as n, count(*) filter (where closed_at < ${CUTOFF}::timestamptz)::int as c from tasks where period = ${t.period}`);
      const [i] = await rows<{ n: number }>(sql`select count(*)::int as n from incomes where period = ${t.period}`);
      expect(t, t.period).toMatchObject({ alerts: a!.n, tasksOpened: k!.n, tasksClosed: k!.c, householdsWithIncome: i!.n });
    }
    expect(report.trend.at(-1)!.medianIndustryChangePct).toBe(report.income.total.medianIndustryChangePct);
  });

  it('the county report holds the city report’s figures of that county and nothing of other counties', () => {
    expect(county.countyCode).toBe('131022');
    expect(county.counties).toEqual([{ countyCode: '131022', name: '固安县' }]);
    expect(county.alerts).toEqual(report.alerts.filter((a) => a.countyCode === '131022'));
    expect(county.dispatch).toEqual([{ ...report.dispatch.find((d) => d.countyCode === '131022')!, rank: 1 }]);
    expect(county.income.byCounty).toEqual(report.income.byCounty.filter((r) => r.countyCode === '131022'));
    expect(county.overdueTasks).toEqual(report.overdueTasks.filter((t) => t.countyCode === '131022'));
    expect(county.hazards.events.every((e) => e.countyCode === '131022')).toBe(true);
    expect(county.target.rows.map((r) => r.countyCode)).toEqual(['131022']);
    expect(figure(county, 'alerts')!.current).toBe(report.alerts.filter((a) => a.countyCode === '131022').reduce((n, a) => n + a.count, 0));
  });
});

describe('the XLSX read back', () => {
  /** The rows of a sheet as arrays of plain values (index 0 = column A). */
  const sheetRows = (name: string) => {
    const sheet = workbook.getWorksheet(name)!;
    expect(sheet, name).toBeTruthy();
    const out: unknown[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, n) => (out[n - 1] = Array.from((row.values as unknown[]).slice(1), (v) => v ?? null)));
    return out;
  };
  const pct = (v: unknown) => (v === null || v === undefined ? null : r2(Number(v) * 100));

  it('has the seven sheets in Chinese with the title and header rows frozen and number formats', () => {
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['总览', '区县调度', '收入分析', '增收目标', '市场风险', '灾害疫情', '趋势']);
    for (const sheet of workbook.worksheets) {
      expect(sheet.views[0], sheet.name).toMatchObject({ state: 'frozen', ySplit: 2 });
      expect(String(sheet.getCell(1, 1).value)).toContain('2026-Q3');
    }
    const dispatch = workbook.getWorksheet('区县调度')!;
    expect(dispatch.getCell(3, 7).numFmt).toBe('0.00%');
    expect(workbook.getWorksheet('增收目标')!.getCell(3, 4).numFmt).toBe('#,##0.00');
    expect(dispatch.getColumn(3).width).toBeGreaterThanOrEqual(10);
  });

  it('gives the same figures as the JSON', () => {
    const overview = sheetRows('总览');
    expect(overview[1]!.slice(0, 4)).toEqual(['指标', '分项', '本期 2026-Q3', '上期 2026-Q2']);
    expect(overview.slice(2).map((r) => [r[2] ?? null, r[3] ?? null])).toEqual(report.overview.map((o) => [o.current, o.previous]));

    const dispatch = sheetRows('区县调度');
    for (const d of report.dispatch) {
      const row = dispatch.find((r) => r[1] === d.countyCode)!;
      expect(row.slice(0, 8).map((v) => v ?? null)).toEqual([
        d.rank,
        d.countyCode,
        d.name,
        d.tasks,
        d.due,
        d.closedOnTime,
        row[6] ?? null,
        d.overdueNow,
      ]);
      expect(pct(row[6])).toBe(d.onTimeRatePct);
      expect(row[10] ?? null).toBe(d.medianDaysToAck);
    }
    const listed = dispatch.filter((r) => typeof r[1] === 'number' && typeof r[8] === 'number');
    expect(listed.map((r) => r[1])).toEqual(report.overdueTasks.map((t) => t.taskId));

    const income = sheetRows('收入分析');
    for (const c of report.income.byCounty) {
      const row = income.find((r) => r[0] === c.countyCode)!;
      expect(pct(row[3])).toBe(c.medianIndustryChangePct);
      expect(row.slice(8, 12)).toEqual([c.below, c.justAbove, c.above10to30, c.higher]);
    }
    const total = income.find((r) => r[1] === '合计')!;
    expect(total[4]).toBe(report.income.total.dropOver20);

    const target = sheetRows('增收目标');
    for (const t of report.target.rows) {
      const row = target.find((r) => (r[0] ?? null) === t.countyCode && r[1] !== undefined && r[1] !== '区县')!;
      expect(row[3]).toBe(t.perCapitaNetIncome);
      expect(pct(row[5])).toBe(t.growthPct);
      expect(row[12]).toBe(t.meetsTarget === null ? '数据不足' : t.meetsTarget ? '是' : '否（未达目标）');
    }

    const market = sheetRows('市场风险');
    expect(market.slice(2).map((r) => [r[3], pct(r[5])])).toEqual(report.market.map((m) => [m.price, m.yoyPct]));

    const hazards = sheetRows('灾害疫情');
    for (const e of report.hazards.events) expect(hazards.find((r) => r[0] === e.eventId)![10]).toBe(e.householdsExposed);

    const trend = sheetRows('趋势');
    expect(trend.slice(2).map((r) => [r[0], r[2], r[4]])).toEqual(report.trend.map((t) => [t.period, t.alerts, t.tasksOpened]));
  });
});

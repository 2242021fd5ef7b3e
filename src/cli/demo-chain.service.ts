/**
 * The demo's case chain (from warning to risk eliminated) on the synthetic data, so that a new
 * user sees every step of the mechanism the product serves, not only the cycle's warnings:
 *
 * 1. **Before the cycle — a replayed first half of the year.** For two households per county
 *    whose income stays well above the monitoring line, the demo replays what a county office
 *    did in early 2026: a lead (self-report, cadre visit or department screening, alternating)
 *    opened a task in January; the county acknowledged, verified and identified the household as
 *    a monitoring object (监测对象) a few days later; assistance measures followed in February and
 *    April. Every step goes through the real services with their clock set to those days, so
 *    the household's timeline and audit trail read in order.
 * 2. **The cycle** (demo.service.ts) then finds those of them that qualify for risk elimination
 *    (identified more than six months before the period's end, income above the line, no open
 *    alert) and opens a review task (风险消除审核) for each.
 * 3. **After the cycle.** The demo closes one review as `risk_eliminated` (today), and imports a
 *    leads file it writes beside the generated data (`leads.csv`, Chinese headers, through
 *    `import leads` like any county's file): each lead opens its household's task or joins the
 *    cycle's open one.
 *
 * Deterministic and re-runnable: the households are chosen from the data alone, leads have fixed
 * ids and dates, and every step is skipped when it was done before (a second demo adds nothing).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addLead, importLeads, type LeadImportReport } from '../cases/lead.service.js';
import { addMeasure } from '../cases/measure.service.js';
import { transitionTask } from '../cases/task.service.js';
import { loadFacts } from '../cycle/facts.repository.js';
import type { MonitoringContext } from '../cycle/monitoring.context.js';
import type { Db } from '../db/database.js';
import { beijingInstant } from '../domain/beijing-time.js';
import type { LeadChannel, MeasureType, MonitoringCategory, RiskCause } from '../domain/catalog.js';
import { LEAD_CHANNELS, RISK_CAUSES } from '../domain/catalog.js';
import { period as parsePeriod } from '../domain/period.js';
import {
  allHouseholdIds,
  chainFigures,
  firstEliminated,
  firstHouseholdsPerCounty,
  firstOpenReview,
} from '../views/demo-figures.repository.js';

/** The actor of the demo's county work in the audit trail. */
const ACTOR = 'demo';

/** Households per county that the replay identifies as monitoring objects. */
const IDENTIFIED_PER_COUNTY = 2;

/** Of these (the first by id in each county), those with income at least this many times the line are chosen. */
const CANDIDATES_PER_COUNTY = 60;
const INCOME_MARGIN = 1.3;

/** One replayed case: the lead that opened it, the identification, the measures. */
interface ReplayStory {
  channel: Exclude<LeadChannel, 'rule'>;
  causes: RiskCause[];
  category: MonitoringCategory;
  reporter: string;
  measures: Array<{ type: MeasureType; month: number; day: number; amountFen: number | null; provider: string }>;
}

const STORIES: readonly ReplayStory[] = [
  {
    channel: 'self_report',
    causes: ['illness'],
    category: 'marginal',
    reporter: '农户本人',
    measures: [
      { type: 'social_security', month: 2, day: 10, amountFen: 300_000, provider: '县医保局' },
      { type: 'public_welfare_job', month: 4, day: 1, amountFen: null, provider: '乡镇人民政府' },
    ],
  },
  {
    channel: 'cadre_visit',
    causes: ['industry_failure', 'disaster'],
    category: 'unstable',
    reporter: '村委会',
    measures: [
      { type: 'industry', month: 2, day: 20, amountFen: 500_000, provider: '县农业农村局' },
      { type: 'technical', month: 3, day: 15, amountFen: null, provider: '县农技推广站' },
    ],
  },
  {
    channel: 'department',
    causes: ['unstable_employment'],
    category: 'sudden_hardship',
    reporter: '县人社局',
    measures: [
      { type: 'employment', month: 2, day: 25, amountFen: null, provider: '县人社局' },
      { type: 'microcredit', month: 4, day: 8, amountFen: 5_000_000, provider: '县农商银行' },
    ],
  },
];

/** What the chain did, for the printout and `demo --json`. */
export interface DemoChain {
  /** Households identified by the replay (this run or an earlier one). */
  replayed: string[];
  /** Leads imported from the demo's leads file, and the file. */
  leads: Pick<LeadImportReport, 'inserted' | 'unchanged' | 'tasksOpened' | 'tasksJoined'> & { file: string };
  /** Leads stored, by channel code. */
  leadsByChannel: Record<string, number>;
  /** Department signals stored, and the 因病 alerts of the period. */
  signals: number;
  illnessAlerts: number;
  monitoringObjects: number;
  riskEliminated: number;
  measures: number;
  /** Review tasks (风险消除审核) of the period, and the household whose review the demo closed. */
  reviewTasks: number;
  eliminated: string | null;
}

/** Beijing 10:00 on a day of 2026: the replay's clock. */
const on = (month: number, day: number, hour = 10) => beijingInstant(2026, month, day, hour);
const day = (month: number, d: number) => `2026-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/**
 * Chooses the replay's households: per county, the first by id (of the first CANDIDATES_PER_COUNTY)
 * whose per-capita net income of the trailing 12 months is at least INCOME_MARGIN times the line —
 * the ones whose situation has since become stable, as the review needs.
 */
async function chooseHouseholds(ctx: MonitoringContext, periodText: string): Promise<string[]> {
  const period = parsePeriod(periodText)!;
  const parameters = (await ctx.rules.current()).parameters;
  const facts = await loadFacts(ctx.db, period, await firstHouseholdsPerCounty(ctx.db, CANDIDATES_PER_COUNTY), parameters);
  const chosen = new Map<string, string[]>();
  for (const f of facts) {
    const income = f.perCapitaNetIncome12m;
    if (income === null || income < f.monitoringLine * INCOME_MARGIN) continue;
    const list = chosen.get(f.household.countyCode) ?? [];
    if (list.length < IDENTIFIED_PER_COUNTY) chosen.set(f.household.countyCode, [...list, f.household.id]);
  }
  return [...chosen.values()].flat().sort();
}

/** Step 1: the replayed first half of 2026 (see the module comment). Returns the households. */
export async function replayCountyWork(ctx: MonitoringContext, periodText: string): Promise<string[]> {
  const households = await chooseHouseholds(ctx, periodText);
  for (const [i, householdId] of households.entries()) {
    const story = STORIES[i % STORIES.length]!;
    const reported = 5 + (i % 20);
    const { step } = await addLead(ctx.db, {
      leadId: `DEMO-2026-${householdId}`,
      householdId,
      channel: story.channel,
      reportedOn: day(1, reported),
      causes: story.causes,
      reporter: story.reporter,
      note: '演示：2026 年 1 月的线索',
      actor: ACTOR,
      now: on(1, reported),
    });
    // A lead stored by an earlier demo has its case already.
    if (step?.action === 'opened') {
      const taskId = step.taskId;
      await transitionTask(ctx.db, { taskId, action: 'ack', actor: ACTOR, now: on(1, reported + 1) });
      await transitionTask(ctx.db, { taskId, action: 'start', actor: ACTOR, now: on(1, reported + 2) });
      await transitionTask(ctx.db, {
        taskId,
        action: 'close',
        actor: ACTOR,
        outcome: 'identified',
        category: story.category,
        causes: story.causes,
        note: '演示：入户核实，风险属实，纳入监测对象',
        now: on(1, reported + 4),
      });
    }
    for (const m of story.measures) {
      await addMeasure(ctx.db, {
        householdId,
        type: m.type,
        date: day(m.month, m.day),
        amountFen: m.amountFen,
        provider: m.provider,
        note: '演示',
        actor: ACTOR,
        now: on(m.month, m.day, 16),
      });
    }
  }
  return households;
}

/**
 * Step 3: closes the first open review task of the period as risk eliminated — unless a replayed
 * household is eliminated already (an earlier demo did it). Returns the household, or null.
 */
async function eliminateOne(db: Db, periodText: string, replayed: readonly string[]): Promise<string | null> {
  const done = await firstEliminated(db, replayed);
  if (done) return done;
  const review = await firstOpenReview(db, periodText, replayed);
  if (!review) return null;
  for (const action of ['ack', 'start'] as const) await transitionTask(db, { taskId: review.id, action, actor: ACTOR });
  await transitionTask(db, {
    taskId: review.id,
    action: 'close',
    actor: ACTOR,
    outcome: 'risk_eliminated',
    note: '演示：近 12 个月收入稳定高于监测线，帮扶措施见效，经审核风险消除',
  });
  return review.householdId;
}

const LEAD_HEADER = ['线索编号', '户编码', '来源', '发现日期', '风险类型', '上报人', '情况说明'];
const FILE_CHANNELS: ReadonlyArray<Exclude<LeadChannel, 'rule'>> = ['self_report', 'cadre_visit', 'department'];
const FILE_CAUSES: readonly RiskCause[][] = [['illness'], ['disaster'], ['industry_failure'], ['unstable_employment', 'labour_shortage']];
const FILE_REPORTERS = ['农户本人', '村委会', '县民政局'];

/**
 * Writes the demo's leads file: one lead per hundred households (at least three), every 100th
 * household by id other than the replay's, reported in October 2026, channels and causes in turn.
 */
async function writeLeadsFile(db: Db, file: string, replayed: readonly string[]): Promise<void> {
  const ids = (await allHouseholdIds(db)).filter((id) => !replayed.includes(id));
  const count = Math.max(3, Math.floor(ids.length / 100));
  const step = Math.max(1, Math.floor(ids.length / count));
  const lines = [LEAD_HEADER.join(',')];
  for (let i = 0; i < count && i * step < ids.length; i++) {
    const channel = FILE_CHANNELS[i % FILE_CHANNELS.length]!;
    const causes = FILE_CAUSES[i % FILE_CAUSES.length]!.map((c) => RISK_CAUSES[c]).join('、');
    lines.push(
      [
        `DEMO-L${String(i + 1).padStart(4, '0')}`,
        ids[i * step],
        LEAD_CHANNELS[channel],
        day(10, 8 + (i % 20)),
        causes,
        FILE_REPORTERS[i % FILE_REPORTERS.length],
        '演示线索',
      ].join(','),
    );
  }
  await writeFile(file, `${lines.join('\n')}\n`);
}

/** Step 3 and the chain's figures: runs after the cycle of `periodText`. */
export async function finishChain(
  ctx: MonitoringContext,
  input: { periodText: string; replayed: string[]; outDir: string },
): Promise<DemoChain> {
  const eliminated = await eliminateOne(ctx.db, input.periodText, input.replayed);
  const file = join(input.outDir, 'leads.csv');
  await writeLeadsFile(ctx.db, file, input.replayed);
  const imported = await importLeads(ctx.db, file);
  const f = await chainFigures(ctx.db, input.periodText);
  return {
    replayed: input.replayed,
    leads: {
      file,
      inserted: imported.inserted,
      unchanged: imported.unchanged,
      tasksOpened: imported.tasksOpened,
      tasksJoined: imported.tasksJoined,
    },
    leadsByChannel: f.leadsByChannel,
    signals: f.signals,
    illnessAlerts: f.illness,
    monitoringObjects: f.monitored,
    riskEliminated: f.eliminated,
    measures: f.measures,
    reviewTasks: f.reviews,
    eliminated,
  };
}

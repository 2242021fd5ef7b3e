/**
 * What notifications read from the monitoring tables. Selects only what an e-mail may show:
 * never a household's head name, ID number or phone.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CountyAddresses } from './routing.policy.js';

type Q = Kysely<Database>;

/** One alert with what a digest shows of its household and task. */
export interface AlertInfo {
  alertId: number;
  householdId: string;
  countyCode: string;
  ruleId: string;
  severity: string;
  cause: string;
  period: string;
  cycleId: number;
  status: string;
  silenced: boolean;
  ruleSetVersion: string;
  township: string | null;
  village: string | null;
  mainIndustry: string;
  taskId: number | null;
  dueDate: string | null;
}

export interface CountyInfo extends CountyAddresses {
  code: string;
  name: string;
}

function alertQuery(db: Q) {
  return db
    .selectFrom('alerts as a')
    .innerJoin('households as h', 'h.household_id', 'a.household_id')
    .leftJoin('task_alerts as ta', 'ta.alert_id', 'a.id')
    .leftJoin('tasks as t', 't.id', 'ta.task_id')
    .select([
      'a.id as alertId',
      'a.household_id as householdId',
      'a.county_code as countyCode',
      'a.rule_id as ruleId',
      'a.severity',
      'a.cause',
      'a.period',
      'a.cycle_id as cycleId',
      'a.status',
      'a.silenced',
      'a.rule_set_version as ruleSetVersion',
      'h.township',
      'h.village',
      'h.main_industry as mainIndustry',
      't.id as taskId',
      't.due_date as dueDate',
    ])
    .orderBy('a.id');
}

function toInfo(
  rows: Array<Omit<AlertInfo, 'alertId' | 'cycleId' | 'taskId'> & { alertId: unknown; cycleId: unknown; taskId: unknown }>,
): AlertInfo[] {
  // An alert is linked to at most one task; keep the first row per alert all the same.
  const seen = new Set<number>();
  const out: AlertInfo[] = [];
  for (const r of rows) {
    const alertId = Number(r.alertId);
    if (seen.has(alertId)) continue;
    seen.add(alertId);
    out.push({ ...r, alertId, cycleId: Number(r.cycleId), taskId: r.taskId === null ? null : Number(r.taskId) });
  }
  return out;
}

/** Alerts by id (any status). */
export async function alertsByIds(db: Q, ids: readonly number[]): Promise<AlertInfo[]> {
  if (ids.length === 0) return [];
  return toInfo(
    await alertQuery(db)
      .where('a.id', '=', sql<number>`any(${sql.val([...ids])}::bigint[])`)
      .execute(),
  );
}

/** Sets `alerts.silenced` for the given ids (only rows whose flag differs are touched). */
export async function setAlertsSilenced(db: Q, ids: readonly number[], silenced: boolean): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('alerts')
    .set({ silenced, updated_at: sql`now()` })
    .where('id', '=', sql<number>`any(${sql.val([...ids])}::bigint[])`)
    .where('silenced', '=', !silenced)
    .execute();
}

/** Counties by code; every county when `codes` is omitted. */
export async function counties(db: Q, codes?: readonly string[]): Promise<Map<string, CountyInfo>> {
  let query = db.selectFrom('counties').select(['county_code', 'name', 'emails', 'escalation_emails']).orderBy('county_code');
  if (codes) {
    if (codes.length === 0) return new Map();
    query = query.where('county_code', 'in', [...codes]);
  }
  const rows = await query.execute();
  return new Map(
    rows.map((r) => [r.county_code, { code: r.county_code, name: r.name, emails: r.emails, escalationEmails: r.escalation_emails }]),
  );
}

/**
 * Chinese rule names by rule id, from the stored rule sets of the given versions (all stored
 * versions when omitted: the lists' rule filter and exports). A newer version's name wins.
 */
export async function ruleNames(db: Q, versions?: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (versions?.length === 0) return names;
  let query = db.selectFrom('rule_sets').select(['files']).orderBy('first_seen_at').orderBy('version');
  if (versions) query = query.where('version', 'in', [...new Set(versions)]);
  const rows = await query.execute();
  for (const row of rows) {
    for (const file of Object.values(row.files ?? {})) {
      const rule = file as { id?: unknown; name?: unknown };
      if (typeof rule?.id === 'string' && typeof rule.name === 'string') names.set(rule.id, rule.name);
    }
  }
  return names;
}

/** The period of a cycle. */
export async function cyclePeriod(db: Q, cycleId: number): Promise<string | null> {
  const row = await db.selectFrom('cycles').select('period').where('id', '=', cycleId).executeTakeFirst();
  return row?.period ?? null;
}

/** An open task with what a reminder or escalation shows. */
export interface TaskInfo {
  taskId: number;
  householdId: string;
  countyCode: string;
  period: string;
  status: string;
  dueDate: string;
  township: string | null;
  village: string | null;
  mainIndustry: string;
  /** Rules of the task's open alerts. */
  ruleIds: string[];
  ruleSetVersions: string[];
}

/**
 * Tasks not closed whose due date lies in [fromDay, toDay] (either bound optional), minus those
 * that already have a notice of `kind` on or after `noticeSince` (null: any notice at all).
 */
export async function tasksForNotice(
  db: Q,
  input: { fromDay?: string; toDay?: string; kind: 'reminder' | 'escalation'; noticeSince: string | null },
): Promise<TaskInfo[]> {
  let query = db
    .selectFrom('tasks as t')
    .innerJoin('households as h', 'h.household_id', 't.household_id')
    .select([
      't.id as taskId',
      't.household_id as householdId',
      't.county_code as countyCode',
      't.period',
      't.status',
      't.due_date as dueDate',
      'h.township',
      'h.village',
      'h.main_industry as mainIndustry',
      sql<string[]>`coalesce((select array_agg(distinct a.rule_id) from task_alerts ta join alerts a on a.id = ta.alert_id
        where ta.task_id = t.id and a.status in ('open','acknowledged')), '{}')`.as('ruleIds'),
      sql<string[]>`coalesce((select array_agg(distinct a.rule_set_version) from task_alerts ta join alerts a on a.id = ta.alert_id
        where ta.task_id = t.id), '{}')`.as('ruleSetVersions'),
    ])
    .where('t.status', '!=', 'closed')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('task_notices as n')
            .select('n.task_id')
            .whereRef('n.task_id', '=', 't.id')
            .where('n.kind', '=', input.kind)
            .$if(input.noticeSince !== null, (q) => q.where('n.day', '>', input.noticeSince!)),
        ),
      ),
    )
    .orderBy('t.county_code')
    .orderBy('t.due_date')
    .orderBy('t.id');
  if (input.fromDay) query = query.where('t.due_date', '>=', input.fromDay);
  if (input.toDay) query = query.where('t.due_date', '<=', input.toDay);
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, taskId: Number(r.taskId) }));
}

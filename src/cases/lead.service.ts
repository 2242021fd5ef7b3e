/**
 * Leads (线索): a risk reported by a household, found by a village cadre, flagged by a department
 * or found by the rules. A lead opens the household's follow-up task, or joins the one not closed,
 * exactly like a rule finding (one task not closed per household):
 *
 * - no task not closed: a check (核实任务, origin `lead`) is created for the month of the report,
 *   keyed by the lead (`opened_by_lead`), due LEAD_SLA_DAYS (15) days after the report;
 * - a task not closed: the lead joins it; the due date moves earlier if the lead's is sooner,
 *   never later; a review task (风险消除审核) becomes a check — a new risk must be verified.
 *
 * Each step is audited on the task, in the transaction that stores the lead (an import's, for
 * `import leads`). A lead with a task never joins another: re-importing or re-entering it adds
 * nothing. Entering a lead sends no mail: the task is in the county's inbox at once, and reminders
 * and escalations apply to it like to any task.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { LEAD_CHANNEL_NAMES, nameOf, namesOf, RISK_CAUSE_NAMES } from '../domain/case-names.js';
import { LEAD_CHANNELS, type LeadChannel, RISK_CAUSES } from '../domain/catalog.js';
import { ConflictError } from '../errors.js';
import { importFile, type ImportOptions, type ImportReport } from '../ingest/import.js';
import { type AuditEntry, insertAudit } from './audit.repository.js';
import { checkCode, checkDay, checkText, FieldInputError, householdNotFound } from './case-input.js';
import { leadDueDate } from './due-date.js';
import {
  findLead,
  insertLead,
  insertLeadTask,
  type LeadRecord,
  leadsWithoutTask,
  setLeadTask,
  updateTaskForLead,
} from './lead.repository.js';
import { findHouseholdStatus } from './monitoring-status.repository.js';
import { lockActiveTasksOf, lockCountyCases } from './task.repository.js';

/** A lead as entered on the web, by `leads add` or the API. */
export interface LeadInput {
  /** The lead's id; default: derived from household, channel, date and causes (leadIdOf). */
  leadId?: string;
  householdId: string;
  /** A code of LEAD_CHANNELS. */
  channel: string;
  /** `YYYY-MM-DD`, not after today. */
  reportedOn: string;
  /** Codes of RISK_CAUSES, at least one. */
  causes: readonly string[];
  reporter?: string | null;
  note?: string | null;
}

/** What a lead did to the tasks: opened one, or joined the one not closed. */
export interface LeadTaskStep {
  leadId: string;
  taskId: number;
  action: 'opened' | 'joined';
}

export interface AddLeadResult {
  lead: LeadRecord;
  /** False when a lead with this id was stored already (nothing was added). */
  created: boolean;
  /** The task step this call made; null when the lead had its task already. */
  step: LeadTaskStep | null;
}

/**
 * The id of a lead entered without one: `L-` and 16 hex digits of a hash of household, channel,
 * date and causes (sorted), so that entering the same lead twice records one.
 */
export function leadIdOf(input: Pick<LeadInput, 'householdId' | 'channel' | 'reportedOn' | 'causes'>): string {
  const causes = [...new Set(input.causes)].sort().join(',');
  const digest = createHash('sha256').update([input.householdId, input.channel, input.reportedOn, causes].join('\u001f')).digest('hex');
  return `L-${digest.slice(0, 16)}`;
}

const LABELS = {
  leadId: ['线索编号', 'lead id'],
  channel: ['发现渠道', 'channel'],
  reportedOn: ['发现日期', 'date'],
  causes: ['风险类型', 'risk causes'],
  reporter: ['上报人', 'reporter'],
  note: ['情况说明', 'note'],
} as const satisfies Record<string, [string, string]>;

/** The lead's fields checked (causes in the catalogue's order). Throws FieldInputError naming the field. */
function checkLead(input: LeadInput, now: Date) {
  const channel = checkCode('channel', [...LABELS.channel], LEAD_CHANNELS, input.channel) as LeadChannel;
  const reportedOn = checkDay('reportedOn', [...LABELS.reportedOn], input.reportedOn, now);
  const unknown = input.causes.filter((c) => !Object.hasOwn(RISK_CAUSES, c));
  if (unknown.length > 0) checkCode('causes', [...LABELS.causes], RISK_CAUSES, unknown[0]);
  const causes = Object.keys(RISK_CAUSES).filter((c) => input.causes.includes(c));
  if (causes.length === 0) {
    throw new FieldInputError('causes', '请至少选择一种风险类型', 'give at least one risk cause');
  }
  const leadId = checkText('leadId', [...LABELS.leadId], input.leadId, 64);
  if (leadId !== null && !/^[\p{L}\p{N}_.:/-]+$/u.test(leadId)) {
    throw new FieldInputError('leadId', '线索编号只能包含字母、数字和 - _ . : /', 'a lead id holds letters, digits and - _ . : / only');
  }
  return {
    leadId,
    channel,
    reportedOn,
    causes,
    reporter: checkText('reporter', [...LABELS.reporter], input.reporter, 100),
    note: checkText('note', [...LABELS.note], input.note, 2000),
  };
}

/**
 * Records a lead and opens or joins the household's task, in one transaction. Idempotent: a
 * lead id already stored for the same household changes nothing (`created: false`); for
 * another household it is refused (ConflictError). Throws NotFoundError for a household that
 * is unknown or outside `countyCode`, FieldInputError for a bad field.
 */
export async function addLead(db: Db, input: LeadInput & { actor: string; countyCode?: string; now?: Date }): Promise<AddLeadResult> {
  const now = input.now ?? new Date();
  const fields = checkLead(input, now);
  const household = await findHouseholdStatus(db, input.householdId.trim(), { countyCode: input.countyCode });
  if (!household) {
    throw householdNotFound(input.householdId);
  }
  const leadId = fields.leadId ?? leadIdOf({ ...fields, householdId: household.householdId });
  return db.transaction().execute(async (trx) => {
    await lockCountyCases(trx, household.countyCode);
    const created = await insertLead(
      trx,
      {
        leadId,
        householdId: household.householdId,
        countyCode: household.countyCode,
        channel: fields.channel,
        reportedOn: fields.reportedOn,
        causes: fields.causes,
        reporter: fields.reporter,
        note: fields.note,
        enteredBy: input.actor,
      },
      now,
    );
    const stored = (await findLead(trx, leadId))!;
    if (stored.householdId !== household.householdId) {
      throw new ConflictError({
        zh: `线索编号 ${leadId} 已用于户 ${stored.householdId}，不能再用于户 ${household.householdId}`,
        en: `lead ${leadId} belongs to household ${stored.householdId}, not ${household.householdId}`,
      });
    }
    const [step] = await attachLeads(trx, { leadIds: [leadId], actor: input.actor, at: now });
    return { lead: (await findLead(trx, leadId))!, created, step: step ?? null };
  });
}

/**
 * Gives each of these leads that has no task yet its task (see the file comment), oldest report
 * first, in the caller's transaction. Takes the case locks of the leads' counties (in code order)
 * before any task row lock, as cycle batches and closings do. Returns what each lead did.
 */
export async function attachLeads(
  trx: Transaction<Database>,
  input: { leadIds: readonly string[]; actor: string; at: Date },
): Promise<LeadTaskStep[]> {
  const pending = await leadsWithoutTask(trx, input.leadIds, { lock: false });
  if (pending.length === 0) return [];
  for (const county of [...new Set(pending.map((l) => l.countyCode))].sort()) await lockCountyCases(trx, county);
  const leads = await leadsWithoutTask(
    trx,
    pending.map((l) => l.leadId),
    { lock: true },
  );
  const steps: LeadTaskStep[] = [];
  for (const lead of leads) {
    const due = leadDueDate(lead.reportedOn);
    const what = `线索 ${lead.leadId}（${nameOf(LEAD_CHANNEL_NAMES, lead.channel)}，${namesOf(RISK_CAUSE_NAMES, lead.causes)}，发现日期 ${lead.reportedOn}）`;
    const audit: AuditEntry[] = [];
    const [task] = await lockActiveTasksOf(trx, [lead.householdId]);
    let taskId: number;
    if (!task) {
      const created = await insertLeadTask(trx, {
        householdId: lead.householdId,
        countyCode: lead.countyCode,
        period: lead.reportedOn.slice(0, 7),
        dueDate: due,
        leadId: lead.leadId,
        at: input.at,
      });
      if (created === undefined)
        throw new ConflictError({
          zh: `户 ${lead.householdId} 的任务刚被他人改动，请重试`,
          en: `the tasks of household ${lead.householdId} changed meanwhile; try again`,
        });
      taskId = created;
      audit.push({
        entity: 'task',
        entityId: taskId,
        action: 'lead_created',
        fromStatus: null,
        toStatus: 'open',
        actor: input.actor,
        note: `${what}；截止日期 ${due}`,
        at: input.at,
      });
      steps.push({ leadId: lead.leadId, taskId, action: 'opened' });
    } else {
      taskId = task.id;
      const dueDate = due < task.dueDate ? due : task.dueDate;
      const kind = task.kind === 'review' ? 'check' : task.kind;
      await updateTaskForLead(trx, task.id, { dueDate, kind, at: input.at });
      const changes = [`新增${what}`];
      if (dueDate !== task.dueDate) changes.push(`截止日期 ${task.dueDate} → ${dueDate}`);
      audit.push({
        entity: 'task',
        entityId: task.id,
        action: 'lead_added',
        fromStatus: task.status,
        toStatus: task.status,
        actor: input.actor,
        note: changes.join('；'),
        at: input.at,
      });
      if (kind !== task.kind) {
        audit.push({
          entity: 'task',
          entityId: task.id,
          action: 'kind_changed',
          fromStatus: task.status,
          toStatus: task.status,
          actor: input.actor,
          note: '风险消除审核 → 核实任务：新线索需先核实风险',
          at: input.at,
        });
      }
      steps.push({ leadId: lead.leadId, taskId, action: 'joined' });
    }
    await setLeadTask(trx, lead.leadId, taskId, input.at);
    await insertAudit(trx, audit);
  }
  return steps;
}

/** What `import leads` did: the import's report and the task steps of its new leads. */
export interface LeadImportReport extends ImportReport {
  tasksOpened: number;
  tasksJoined: number;
}

/**
 * `import leads`: the importer's contract (encodings, row errors, `--strict`, idempotent
 * re-import), and in the same transaction each new lead opens or joins its household's task,
 * audited as `import:<file name>`.
 */
export async function importLeads(
  db: Db,
  file: string,
  options: Omit<ImportOptions, 'afterBatch'> & { now?: Date } = {},
): Promise<LeadImportReport> {
  let opened = 0;
  let joined = 0;
  const at = options.now ?? new Date();
  const label = file.split(/[\\/]/).pop() ?? file;
  const report = await importFile(db, 'leads', file, {
    ...options,
    afterBatch: async (trx, keys) => {
      for (const step of await attachLeads(trx, { leadIds: keys, actor: `import:${label}`, at })) {
        if (step.action === 'opened') opened++;
        else joined++;
      }
    },
  });
  // A --strict import that rejected rows wrote nothing: no task was opened either.
  const rolledBack = options.strict === true && report.rejectedRows > 0;
  return { ...report, tasksOpened: rolledBack ? 0 : opened, tasksJoined: rolledBack ? 0 : joined };
}

/**
 * SQL of leads (线索) and of the tasks they open: inserting a lead (natural key `lead_id`), the
 * leads still without a task, linking a lead to its task, the lead task itself (keyed by the lead
 * that opened it), and the lists the faces show. Decisions live in lead.service.ts.
 */
import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { LeadChannel, TaskKind } from '../domain/catalog.js';

/** A lead as stored. */
export interface LeadRecord {
  leadId: string;
  householdId: string;
  countyCode: string;
  channel: LeadChannel;
  /** `YYYY-MM-DD`. */
  reportedOn: string;
  causes: string[];
  reporter: string | null;
  note: string | null;
  /** The task it opened or joined; null until then. */
  taskId: number | null;
  enteredBy: string;
  createdAt: Date;
}

/** A lead to store (county taken from its household by the service). */
export type NewLead = Omit<LeadRecord, 'taskId' | 'createdAt'>;

export interface LeadFilters {
  countyCode?: string;
  channel?: string;
  householdId?: string;
  taskId?: number;
  /** Reported on or after (`YYYY-MM-DD`). */
  from?: string;
  /** Reported on or before (`YYYY-MM-DD`). */
  to?: string;
  limit?: number;
  offset?: number;
}

function toLead(r: Record<string, any>): LeadRecord {
  return {
    leadId: r.lead_id,
    householdId: r.household_id,
    countyCode: String(r.county_code).trim(),
    channel: r.channel,
    reportedOn: r.reported_on,
    causes: r.causes,
    reporter: r.reporter,
    note: r.note,
    taskId: r.task_id === null ? null : Number(r.task_id),
    enteredBy: r.entered_by,
    createdAt: r.created_at,
  };
}

function filtered(db: Executor, f: Omit<LeadFilters, 'limit' | 'offset'>) {
  let query = db.selectFrom('leads').selectAll();
  if (f.countyCode) query = query.where('county_code', '=', f.countyCode);
  if (f.channel) query = query.where('channel', '=', f.channel as LeadChannel);
  if (f.householdId) query = query.where('household_id', '=', f.householdId);
  if (f.taskId !== undefined) query = query.where('task_id', '=', f.taskId);
  if (f.from) query = query.where('reported_on', '>=', f.from);
  if (f.to) query = query.where('reported_on', '<=', f.to);
  return query;
}

/** Leads matching the filters, newest report first (then by id). */
export async function listLeads(db: Executor, filters: LeadFilters = {}): Promise<LeadRecord[]> {
  let query = filtered(db, filters).orderBy('reported_on', 'desc').orderBy('lead_id');
  if (filters.limit !== undefined) query = query.limit(filters.limit);
  if (filters.offset) query = query.offset(filters.offset);
  return (await query.execute()).map(toLead);
}

/** How many leads match the filters (a list's total). */
export async function countLeads(db: Executor, filters: LeadFilters = {}): Promise<number> {
  const r = await filtered(db, filters)
    .clearSelect()
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return r.n;
}

/** The leads of a task, oldest report first. */
export async function leadsOfTask(db: Executor, taskId: number): Promise<LeadRecord[]> {
  const rows = await db.selectFrom('leads').selectAll().where('task_id', '=', taskId).orderBy('reported_on').orderBy('lead_id').execute();
  return rows.map(toLead);
}

/** One lead, or undefined. */
export async function findLead(db: Executor, leadId: string): Promise<LeadRecord | undefined> {
  const r = await db.selectFrom('leads').selectAll().where('lead_id', '=', leadId).executeTakeFirst();
  return r ? toLead(r) : undefined;
}

/** Inserts a lead unless its id is taken. Returns true when it was inserted. */
export async function insertLead(trx: Executor, lead: NewLead, at: Date): Promise<boolean> {
  const r = await trx
    .insertInto('leads')
    .values({
      lead_id: lead.leadId,
      household_id: lead.householdId,
      county_code: lead.countyCode,
      channel: lead.channel,
      reported_on: lead.reportedOn,
      causes: lead.causes,
      reporter: lead.reporter,
      note: lead.note,
      entered_by: lead.enteredBy,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('lead_id').doNothing())
    .returning('lead_id')
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * These leads (by id) that have no task yet, oldest report first; with `lock`, locked until the
 * transaction ends (take the county case locks first).
 */
export async function leadsWithoutTask(trx: Executor, leadIds: readonly string[], options: { lock: boolean }): Promise<LeadRecord[]> {
  if (leadIds.length === 0) return [];
  const query = trx
    .selectFrom('leads')
    .selectAll()
    .where('lead_id', '=', sql<string>`any(${[...new Set(leadIds)]}::text[])`)
    .where('task_id', 'is', null)
    .orderBy('reported_on')
    .orderBy('lead_id');
  const rows = await (options.lock ? query.forUpdate() : query).execute();
  return rows.map(toLead);
}

/** Links a lead to the task it opened or joined. */
export async function setLeadTask(trx: Executor, leadId: string, taskId: number, at: Date): Promise<void> {
  await trx.updateTable('leads').set({ task_id: taskId, updated_at: at }).where('lead_id', '=', leadId).execute();
}

/**
 * Creates the open check a lead opens (origin `lead`, no cycle). Returns its id, or undefined when
 * the household already has a task not closed or the lead already opened one.
 */
export async function insertLeadTask(
  trx: Executor,
  input: { householdId: string; countyCode: string; period: string; dueDate: string; leadId: string; at: Date },
): Promise<number | undefined> {
  const r = await sql<{ id: number }>`
    insert into tasks (household_id, county_code, period, due_date, cycle_id, kind, origin, opened_by_lead, created_at, updated_at)
    values (${input.householdId}, ${input.countyCode}, ${input.period}, ${input.dueDate}, null, 'check', 'lead', ${input.leadId}, ${input.at}, ${input.at})
    on conflict do nothing
    returning id`.execute(trx);
  const id = r.rows[0]?.id;
  return id === undefined ? undefined : Number(id);
}

/** Sets a task's due date and kind as a joining lead decides. */
export async function updateTaskForLead(
  trx: Executor,
  taskId: number,
  change: { dueDate: string; kind: TaskKind; at: Date },
): Promise<void> {
  await trx
    .updateTable('tasks')
    .set({ due_date: change.dueDate, kind: change.kind, updated_at: change.at })
    .where('id', '=', taskId)
    .execute();
}

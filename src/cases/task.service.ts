/**
 * Follow-up tasks (核实任务): how a batch's new alerts become tasks, and the workflow county
 * offices drive: open → acknowledged → in_progress → closed (with an outcome and a note).
 * Every change is written to the audit trail in the same transaction.
 *
 * Due-date policy: a task is due `min(slaDays)` calendar days (Asia/Shanghai) after the date of
 * the cycle that created it. When a later cycle adds alerts to an existing task, the due date
 * may move EARLIER (a stricter rule fired: the new alerts' due date counted from that cycle's
 * date, if sooner) but never later. A household has at most one task not closed: findings of
 * any period join it (attachAlertsToTasks). A closed task that receives new alerts is reopened
 * (its previous outcome stays in the audit trail): a new risk must be verified again.
 *
 * Closing a task resolves its open and acknowledged alerts with the task's outcome, in the same
 * transaction, each audited. Reopening does not reopen them: they record what was verified then.
 * Closing also decides the household's monitoring status (decideMonitoringStatus): `identified`
 * (纳入监测对象, with category and risk causes) makes it a monitoring object, `risk_eliminated`
 * ends a monitoring spell. Review tasks (风险消除审核) close only with `risk_eliminated` or
 * `assisted` (继续监测帮扶). Leads open and join tasks in lead.service.ts.
 */
import type { Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { beijingDay } from '../domain/beijing-time.js';
import { nameOf, namesOf, outcomeName, RISK_CAUSE_NAMES, TASK_STATUS_NAMES } from '../domain/case-names.js';
import { MONITORING_CATEGORIES, type MonitoringCategory, REVIEW_OUTCOMES, RISK_CAUSES, TASK_OUTCOMES } from '../domain/catalog.js';
import { ConflictError, NotFoundError, type Texts, UsageError } from '../errors.js';
import { type AuditEntry, insertAudit } from './audit.repository.js';
import { closeAlertsOfTask } from './alert.repository.js';
import { lockMonitoringState, recordMonitoringChange } from './monitoring-status.repository.js';
import {
  findTask,
  getTask,
  insertTasks,
  linkAlerts,
  lockActiveTasksOf,
  lockCountyCases,
  lockTask,
  lockTasksOf,
  type TaskDetail,
  taskNotFound,
  type TaskOutcomeCode,
  type TaskState,
  type TaskStatus,
  updateTasksForNewAlerts,
  updateTaskState,
} from './task.repository.js';

/** The workflow steps, in order. */
export const TASK_ACTIONS = ['ack', 'start', 'close'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/** Which status each action requires and leads to. */
const TRANSITIONS: Record<TaskAction, { from: TaskStatus; to: TaskStatus; verb: string }> = {
  ack: { from: 'open', to: 'acknowledged', verb: 'acknowledge' },
  start: { from: 'acknowledged', to: 'in_progress', verb: 'start' },
  close: { from: 'in_progress', to: 'closed', verb: 'close' },
};

/** The steps a task in this status allows, in workflow order (the task page shows only these). */
export function allowedActions(status: TaskStatus): TaskAction[] {
  return TASK_ACTIONS.filter((action) => TRANSITIONS[action].from === status);
}

/** A step the task's current status does not allow (a stale page: someone else moved the task on). */
export class StepNotAllowedError extends ConflictError {
  constructor(
    message: Texts,
    readonly action: TaskAction,
    /** The task's status when the step was refused. */
    readonly status: TaskStatus,
  ) {
    super(message);
    this.name = 'StepNotAllowedError';
  }
}

/**
 * A closing step without what it needs: the field to fill in (`review_outcome`: an outcome a
 * review task does not take).
 */
export class StepInputError extends UsageError {
  constructor(
    message: Texts,
    readonly field: 'outcome' | 'note' | 'category' | 'causes' | 'review_outcome',
  ) {
    super(message);
    this.name = 'StepInputError';
  }
}

/** The action that moves a task on from each status (for error messages). */
const NEXT_ACTION: Record<TaskStatus, string> = {
  open: 'ack',
  acknowledged: 'start',
  in_progress: 'close',
  closed: 'none (the task is closed)',
};

/** The same, in Chinese. */
const NEXT_ACTION_ZH: Record<TaskStatus, string> = {
  open: 'ack（签收）',
  acknowledged: 'start（开始核实）',
  in_progress: 'close（办结）',
  closed: '无（任务已办结）',
};

export interface TransitionInput {
  taskId: number;
  action: TaskAction;
  /** Who: the account acting (web session, API token or the CLI's --user), recorded in the audit trail. */
  actor: string;
  /** Required for `close`: `identified`, `assisted`, `risk_eliminated` or `not_at_risk`. */
  outcome?: string;
  /** Required with outcome `identified`: the monitoring category (`unstable`, `marginal`, `sudden_hardship`). */
  category?: string;
  /** Required with outcome `identified`: at least one risk cause code (RISK_CAUSES). */
  causes?: readonly string[];
  /** Required for `close`; optional otherwise (kept in the audit trail). */
  note?: string;
  /** Scope: when set and the task belongs to another county, NotFoundError (a county sees only its own). */
  countyCode?: string;
  /** The clock; default the current time. */
  now?: Date;
}

/**
 * Moves a task one step along its workflow and records the change in the audit trail, in one
 * transaction. Throws NotFoundError (unknown id or other county), UsageError (bad or missing
 * outcome/note) or ConflictError (the task is not in the status the action needs).
 * Returns the task afterwards, with its alerts and audit trail.
 */
export async function transitionTask(db: Db, input: TransitionInput): Promise<TaskDetail> {
  const rule = TRANSITIONS[input.action];
  if (!rule)
    throw new UsageError({
      zh: `未知的任务操作 "${input.action}"（可选：ack、start、close）`,
      en: `unknown task action "${input.action}" (use ack, start or close)`,
    });
  const note = input.note?.trim() || null;
  let outcome: TaskOutcomeCode | null = null;
  let identified: Identification | null = null;
  if (input.action === 'close') {
    if (!input.outcome)
      throw new StepInputError(
        {
          zh: `办结任务 ${input.taskId} 需要核实结果：${Object.keys(TASK_OUTCOMES).join('、')}`,
          en: `closing task ${input.taskId} needs an outcome: ${Object.keys(TASK_OUTCOMES).join(', ')}`,
        },
        'outcome',
      );
    if (!(input.outcome in TASK_OUTCOMES)) {
      throw new StepInputError(
        {
          zh: `未知的核实结果 "${input.outcome}"（可选：${Object.keys(TASK_OUTCOMES).join('、')}）`,
          en: `unknown outcome "${input.outcome}" (use ${Object.keys(TASK_OUTCOMES).join(', ')})`,
        },
        'outcome',
      );
    }
    outcome = input.outcome as TaskOutcomeCode;
    identified = identificationOf(input, outcome);
    if (!note)
      throw new StepInputError(
        {
          zh: `办结任务 ${input.taskId} 需要办结说明（核实情况、已落实的帮扶措施）`,
          en: `closing task ${input.taskId} needs a note saying what was verified or done`,
        },
        'note',
      );
  } else if (input.outcome || input.category || input.causes?.length) {
    throw new UsageError({
      zh: '只有办结任务时才填写核实结果（以及监测对象类别和风险类型）',
      en: 'an outcome (and a category and causes) is given only when closing a task',
    });
  }
  const now = input.now ?? new Date();

  await db.transaction().execute(async (trx) => {
    if (input.action === 'close') {
      // Closing resolves the task's alerts: take the county's case lock first, as batches do.
      const county = (await findTask(trx, input.taskId))?.countyCode;
      if (county !== undefined) await lockCountyCases(trx, county);
    }
    const task = await lockTask(trx, input.taskId);
    if (!task || (input.countyCode !== undefined && task.countyCode !== input.countyCode)) {
      throw taskNotFound(input.taskId);
    }
    if (task.status !== rule.from) {
      const already = task.status === rule.to ? ` it is already ${rule.to}` : ` it is ${task.status}`;
      const status = (code: TaskStatus) => nameOf(TASK_STATUS_NAMES, code);
      throw new StepNotAllowedError(
        {
          zh: `不能对任务 ${task.id} 执行 ${input.action}：它${task.status === rule.to ? '已经是' : '当前是'}“${status(task.status)}”；只有“${status(rule.from)}”的任务才能执行（下一步：${NEXT_ACTION_ZH[task.status]}）`,
          en: `cannot ${rule.verb} task ${task.id}:${already}; only a task that is ${rule.from} can be ${rule.verb === 'acknowledge' ? 'acknowledged' : rule.verb === 'start' ? 'started' : 'closed'} (next step: ${NEXT_ACTION[task.status]})`,
        },
        input.action,
        task.status,
      );
    }
    if (outcome && task.kind === 'review' && !REVIEW_OUTCOMES.includes(outcome)) {
      throw new StepInputError(
        {
          zh: `任务 ${task.id} 是风险消除审核任务，只能以“风险消除”或“继续监测帮扶”办结，不能以“${TASK_OUTCOMES[outcome]}”办结`,
          en: `task ${task.id} is a risk-elimination review: close it with risk_eliminated or assisted, not ${outcome}`,
        },
        'review_outcome',
      );
    }
    await updateTaskState(trx, task.id, {
      status: rule.to,
      at: now,
      ...(input.action === 'close' ? { outcome, note, closedAt: now, identified } : {}),
    });
    const what = outcome
      ? `${outcomeName(outcome, task.kind)}${identified ? `（${MONITORING_CATEGORIES[identified.category]}；${namesOf(RISK_CAUSE_NAMES, identified.causes)}）` : ''}`
      : null;
    await insertAudit(trx, [
      {
        entity: 'task',
        entityId: task.id,
        action: input.action,
        fromStatus: task.status,
        toStatus: rule.to,
        actor: input.actor,
        note: what ? `${what}：${note}` : note,
        at: now,
      },
    ]);
    // The task's open alerts are closed with its outcome (each audited); the dashboard's open
    // alerts fall as counties work.
    if (outcome) await closeAlertsOfTask(trx, { taskId: task.id, outcome, actor: input.actor, at: now });
    if (outcome) await decideMonitoringStatus(trx, { task, outcome, identified, actor: input.actor, note, at: now });
  });
  return getTask(db, input.taskId, { now });
}

/** The category and risk causes a task closed as `identified` decides. */
interface Identification {
  category: MonitoringCategory;
  causes: string[];
}

/** Checks the category and causes of a close: required with `identified`, refused with any other outcome. */
function identificationOf(input: TransitionInput, outcome: TaskOutcomeCode): Identification | null {
  const causes = [...new Set(input.causes ?? [])];
  if (outcome !== 'identified') {
    if (input.category || causes.length > 0) {
      throw new UsageError({
        zh: '只有核实结果为“纳入监测对象”时才填写监测对象类别和风险类型',
        en: 'a category and risk causes are given only with the outcome identified (纳入监测对象)',
      });
    }
    return null;
  }
  const categories = Object.keys(MONITORING_CATEGORIES).join(', ');
  if (!input.category)
    throw new StepInputError(
      {
        zh: `以“纳入监测对象”办结任务 ${input.taskId} 需要监测对象类别：${Object.values(MONITORING_CATEGORIES).join('、')}`,
        en: `closing task ${input.taskId} as identified needs a category: ${categories}`,
      },
      'category',
    );
  if (!Object.hasOwn(MONITORING_CATEGORIES, input.category)) {
    throw new StepInputError(
      {
        zh: `未知的监测对象类别“${input.category}”（可选：${Object.values(MONITORING_CATEGORIES).join('、')}）`,
        en: `unknown monitoring category "${input.category}" (use ${categories})`,
      },
      'category',
    );
  }
  if (causes.length === 0) {
    throw new StepInputError(
      {
        zh: `以“纳入监测对象”办结任务 ${input.taskId} 至少需要一项风险类型：${Object.values(RISK_CAUSES).join('、')}`,
        en: `closing task ${input.taskId} as identified needs at least one risk cause: ${Object.keys(RISK_CAUSES).join(', ')}`,
      },
      'causes',
    );
  }
  const unknown = causes.filter((c) => !Object.hasOwn(RISK_CAUSES, c));
  if (unknown.length > 0) {
    throw new StepInputError(
      {
        zh: `未知的风险类型“${unknown[0]}”（可选：${Object.values(RISK_CAUSES).join('、')}）`,
        en: `unknown risk cause "${unknown[0]}" (use ${Object.keys(RISK_CAUSES).join(', ')})`,
      },
      'causes',
    );
  }
  // In the catalogue's order, so that the same causes always read the same.
  return { category: input.category as MonitoringCategory, causes: Object.keys(RISK_CAUSES).filter((c) => causes.includes(c)) };
}

/**
 * The household's monitoring status after a close, in the close's transaction:
 * - `identified`: a monitoring object (监测对象) with the category and causes, since the closing
 *   day (Beijing) — also when it was one already or its risk had been eliminated (a new
 *   identification starts a new spell);
 * - `risk_eliminated` while it is a monitoring object: risk eliminated (风险已消除), since the
 *   closing day, keeping the category and causes it was monitored for;
 * - otherwise unchanged (a review task closed `assisted` keeps monitoring).
 * A history row records each change, keyed by the task (a task decides once).
 */
async function decideMonitoringStatus(
  trx: Transaction<Database>,
  input: { task: TaskState; outcome: TaskOutcomeCode; identified: Identification | null; actor: string; note: string | null; at: Date },
): Promise<void> {
  if (input.outcome !== 'identified' && input.outcome !== 'risk_eliminated') return;
  const state = await lockMonitoringState(trx, input.task.householdId);
  if (!state) return;
  const since = beijingDay(input.at);
  const common = { householdId: state.householdId, since, taskId: input.task.id, actor: input.actor, note: input.note, at: input.at };
  if (input.identified) {
    await recordMonitoringChange(trx, { ...common, status: 'monitored', ...input.identified });
  } else if (state.status === 'monitored') {
    await recordMonitoringChange(trx, { ...common, status: 'risk_eliminated', category: state.category, causes: state.causes });
  }
}

/** What a bulk acknowledge did with each task it was given. */
export interface BulkAckResult {
  acknowledged: number[];
  /** Tasks not open any more (already acknowledged, in progress or closed), with their status. */
  refused: Array<{ id: number; status: TaskStatus }>;
  /** Unknown ids, or tasks of another county (a county sees only its own). */
  notFound: number[];
}

/**
 * Acknowledges each task as one `ack` would (transitionTask: its own transaction and audit
 * entry), in the order given, each id once. A task that cannot be acknowledged is reported
 * with its status, never silently skipped; the others are still acknowledged.
 */
export async function acknowledgeTasks(
  db: Db,
  input: { taskIds: readonly number[]; actor: string; countyCode?: string; now?: Date },
): Promise<BulkAckResult> {
  const result: BulkAckResult = { acknowledged: [], refused: [], notFound: [] };
  for (const taskId of new Set(input.taskIds)) {
    try {
      await transitionTask(db, { taskId, action: 'ack', actor: input.actor, countyCode: input.countyCode, now: input.now });
      result.acknowledged.push(taskId);
    } catch (error) {
      if (error instanceof NotFoundError) result.notFound.push(taskId);
      else if (error instanceof ConflictError) {
        const task = await findTask(db, taskId, { countyCode: input.countyCode });
        if (task) result.refused.push({ id: taskId, status: task.status });
        else result.notFound.push(taskId);
      } else throw error;
    }
  }
  return result;
}

/** New alerts of one household in one batch, with the due date their rules ask for. */
export interface HouseholdNewAlerts {
  householdId: string;
  countyCode: string;
  /** Due date from the smallest slaDays of these alerts, counted from the cycle's date. */
  dueDate: string;
  alertIds: number[];
  ruleIds: string[];
}

/**
 * Gives every household with new alerts its task. A household has at most one task that is not
 * closed, whatever the period (enforced by `tasks_one_active_per_household`):
 *
 * 1. it has one: the alerts join it (due date earlier if stricter, never later);
 * 2. otherwise, it has a closed task of this period: that task is reopened with the alerts (its
 *    earlier alerts stay resolved with the outcome they were closed with);
 * 3. otherwise a task is created for (household, period), the period whose findings opened it.
 *
 * Runs inside the batch's transaction, which holds the county's case lock (lockCountyCases), so
 * concurrent cycles of any period decide one after the other. Returns the number of tasks created.
 */
export async function attachAlertsToTasks(
  trx: Transaction<Database>,
  input: { cycleId: number; period: string; actor: string; at: Date; households: HouseholdNewAlerts[] },
): Promise<number> {
  if (input.households.length === 0) return 0;
  const byHousehold = new Map(input.households.map((h) => [h.householdId, h]));
  const existing = new Map<string, TaskState>();
  const findExisting = async (householdIds: string[]) => {
    for (const t of await lockActiveTasksOf(trx, householdIds)) existing.set(t.householdId, t);
    const rest = householdIds.filter((id) => !existing.has(id));
    for (const t of await lockTasksOf(trx, input.period, rest)) existing.set(t.householdId, t);
  };
  await findExisting([...byHousehold.keys()]);

  const toCreate = input.households.filter((h) => !existing.has(h.householdId));
  const created = await insertTasks(trx, {
    cycleId: input.cycleId,
    period: input.period,
    at: input.at,
    tasks: toCreate.map((h) => ({ householdId: h.householdId, countyCode: h.countyCode, dueDate: h.dueDate })),
  });
  if (created.length < toCreate.length) {
    // Another transaction created some of them meanwhile (possible only without the county
    // lock, e.g. a household that moved county): treat those as existing.
    const createdIds = new Set(created.map((c) => c.householdId));
    const raced = toCreate.filter((h) => !createdIds.has(h.householdId)).map((h) => h.householdId);
    await findExisting(raced);
    const lost = raced.filter((id) => !existing.has(id));
    if (lost.length > 0)
      throw new ConflictError({
        zh: `批处理期间有 ${lost.length} 户的任务被改动，该批将重试`,
        en: `tasks of ${lost.length} households changed during the batch; the batch is retried`,
      });
  }

  const audit: AuditEntry[] = [];
  const links: Array<{ taskId: number; alertId: number }> = [];
  for (const c of created) {
    const h = byHousehold.get(c.householdId)!;
    for (const alertId of h.alertIds) links.push({ taskId: c.id, alertId });
    audit.push({
      entity: 'task',
      entityId: c.id,
      action: 'create',
      fromStatus: null,
      toStatus: 'open',
      actor: input.actor,
      note: `预警规则：${h.ruleIds.join('、')}；截止日期 ${h.dueDate}`,
      at: input.at,
    });
  }
  const updates: Array<{ id: number; dueDate: string; reopen: boolean }> = [];
  for (const task of existing.values()) {
    const h = byHousehold.get(task.householdId)!;
    for (const alertId of h.alertIds) links.push({ taskId: task.id, alertId });
    const dueDate = h.dueDate < task.dueDate ? h.dueDate : task.dueDate;
    const reopen = task.status === 'closed';
    updates.push({ id: task.id, dueDate, reopen });
    const otherPeriod = task.period === input.period ? '' : `（统计期 ${input.period}）`;
    const changes = [`新增预警${otherPeriod}：${h.ruleIds.join('、')}`];
    if (dueDate !== task.dueDate) changes.push(`截止日期 ${task.dueDate} → ${dueDate}`);
    if (reopen) changes.push(`重新打开（原办结结果：${task.outcome ? outcomeName(task.outcome, task.kind) : '无'}）`);
    audit.push({
      entity: 'task',
      entityId: task.id,
      action: reopen ? 'reopen' : 'alerts_added',
      fromStatus: task.status,
      toStatus: reopen ? 'open' : task.status,
      actor: input.actor,
      note: changes.join('；'),
      at: input.at,
    });
  }
  await updateTasksForNewAlerts(trx, input.at, updates);
  await linkAlerts(trx, links);
  await insertAudit(trx, audit);
  return created.length;
}

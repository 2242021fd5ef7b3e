/**
 * Gathers what the task page and the task API show, within the user's county scope. Reads
 * only; the workflow itself is transitionTask (src/monitoring/task.service.ts).
 */
import { getHouseholdView, revealHousehold, type HouseholdView } from '../../accounts/personal-data.service.js';
import { can, countyScope, type Principal } from '../../accounts/roles.js';
import type { Db } from '../../db/database.js';
import { NotFoundError } from '../../errors.js';
import { shanghaiDate } from '../../monitoring/due-date.js';
import {
  findTask,
  latestMonitoringLines,
  listHouseholdHazards,
  listIncomeHistory,
  listTaskAlerts,
  listTaskAudit,
} from '../../monitoring/household-view.repository.js';
import type { TaskPageData } from '../pages/task.page.js';

export interface TaskViewOptions {
  /** Show personal data unmasked (logged; only for roles allowed to). */
  reveal?: { context: string; ip: string | null };
  now?: Date;
}

/** The task page's data; NotFoundError for an unknown task or one of another county. */
export async function loadTaskView(db: Db, user: Principal, taskId: number, options: TaskViewOptions = {}): Promise<TaskPageData> {
  const task = await findTask(db, taskId, { countyCode: countyScope(user) });
  if (!task) throw new NotFoundError(`task ${taskId} not found`);
  const household: HouseholdView = options.reveal
    ? await revealHousehold(db, user, task.householdId, options.reveal)
    : await getHouseholdView(db, user, task.householdId);
  const [alerts, audit, incomes, hazards, monitoringLines] = await Promise.all([
    listTaskAlerts(db, task.id),
    listTaskAudit(db, task.id),
    listIncomeHistory(db, task.householdId),
    listHouseholdHazards(db, household),
    latestMonitoringLines(db),
  ]);
  const today = shanghaiDate(options.now ?? new Date());
  return {
    task,
    overdue: task.status !== 'closed' && task.dueDate < today,
    household,
    alerts,
    audit,
    incomes,
    hazards,
    monitoringLines,
    canWrite: can(user, 'tasks:write'),
  };
}

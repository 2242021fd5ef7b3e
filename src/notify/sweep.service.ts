/**
 * Reminders and escalations, decided on an injected clock. Run hourly by the `notify.sweep` job;
 * any number of runs a day is safe.
 *
 * - Reminder: once per task, when its due date is at most `reminders.daysBefore` days ahead
 *   (Asia/Shanghai calendar days), to the county (routing `reminders.to`).
 * - Escalation: when a task not closed is past its due date, to the county's escalation
 *   addresses (`escalation.to`), again every `escalation.everyDays` days until it is closed.
 *
 * One mail per county, kind and day lists every task due for it (key
 * `reminder:<county>:<day>` / `escalation:<county>:<day>`, `…:<n>` for a later run of the same
 * day that finds new tasks). `task_notices` (primary key task, kind, day) records each task's
 * notice in the same transaction: never more than one of each kind per task per day.
 * A task a silence covers gets no notice while the silence lasts; the first sweep after it ends
 * catches up (tasks still open only).
 */
import type { Kysely } from 'kysely';
import { lockForTransaction } from '../db/advisory-locks.repository.js';
import type { Database } from '../db/schema.js';
import { logger } from '../logger.js';
import { renderTaskNotice } from './notice.template.js';
import { counties as loadCounties, ruleNames as loadRuleNames, type TaskInfo, tasksForNotice } from './notify-source.repository.js';
import { freeKey, insertNotifications, insertTaskNotices, type NewNotification } from './outbox.repository.js';
import { expandRecipients } from './routing.policy.js';
import type { RoutingPolicy } from './routing.schema.js';
import { activeSilences } from './silence.repository.js';
import { addDays, beijingDay } from '../domain/beijing-time.js';
import { matchSilence } from './silence.policy.js';

export interface SweepDeps {
  db: Kysely<Database>;
  routing: RoutingPolicy;
  publicUrl: string;
}

export interface SweepResult {
  /** Asia/Shanghai day the sweep ran for. */
  day: string;
  /** Tasks reminded / escalated by this run. */
  reminders: number;
  escalations: number;
  /** Tasks skipped because a silence covers them. */
  held: number;
  /** Outbox rows written. */
  notifications: number;
}

/** Writes the day's reminders and escalations to the outbox. Sends nothing; idempotent per day. */
export async function sweepReminders(deps: SweepDeps, now: Date): Promise<SweepResult> {
  const day = beijingDay(now);
  return deps.db.transaction().execute(async (trx) => {
    await lockForTransaction(trx, 'notifySweep');
    const result: SweepResult = { day, reminders: 0, escalations: 0, held: 0, notifications: 0 };
    const silences = await activeSilences(trx, now);
    const countyMap = await loadCounties(trx);
    const { reminders, escalation } = deps.routing;

    const passes: Array<{ kind: 'reminder' | 'escalation'; tasks: TaskInfo[]; to: typeof reminders.to }> = [];
    if (reminders.enabled) {
      passes.push({
        kind: 'reminder',
        tasks: await tasksForNotice(trx, { fromDay: day, toDay: addDays(day, reminders.daysBefore), kind: 'reminder', noticeSince: null }),
        to: reminders.to,
      });
    }
    if (escalation.enabled) {
      passes.push({
        kind: 'escalation',
        tasks: await tasksForNotice(trx, { toDay: addDays(day, -1), kind: 'escalation', noticeSince: addDays(day, -escalation.everyDays) }),
        to: escalation.to,
      });
    }
    const names = await loadRuleNames(trx, [...new Set(passes.flatMap((p) => p.tasks.flatMap((t) => t.ruleSetVersions)))]);

    for (const pass of passes) {
      const byCounty = new Map<string, TaskInfo[]>();
      for (const t of pass.tasks) {
        if (matchSilence(silences, { countyCode: t.countyCode, householdId: t.householdId, ruleIds: t.ruleIds }) !== null) {
          result.held++;
          continue;
        }
        const list = byCounty.get(t.countyCode);
        if (list) list.push(t);
        else byCounty.set(t.countyCode, [t]);
      }
      for (const [code, tasks] of byCounty) {
        const county = countyMap.get(code);
        const recipients = county ? expandRecipients(pass.to, county) : [];
        if (!county || recipients.length === 0) {
          logger().warn({ countyCode: code, kind: pass.kind, tasks: tasks.length }, 'no recipient for task notices of this county');
          continue;
        }
        const key = await freeKey(trx, `${pass.kind}:${code}:${day}`);
        const content = renderTaskNotice({
          kind: pass.kind,
          day,
          county,
          publicUrl: deps.publicUrl,
          tasks: tasks.map((t) => ({ ...t, ruleNames: t.ruleIds.map((id) => names.get(id) ?? id) })),
        });
        const taskIds = tasks.map((t) => t.taskId);
        await insertTaskNotices(trx, { taskIds, kind: pass.kind, day, notificationKey: key });
        const rows: NewNotification[] = recipients.map((recipient) => ({
          key,
          recipient,
          kind: pass.kind,
          countyCode: code,
          cycleId: null,
          taskIds,
          content,
          now,
        }));
        result.notifications += await insertNotifications(trx, rows);
        if (pass.kind === 'reminder') result.reminders += tasks.length;
        else result.escalations += tasks.length;
      }
    }
    if (result.notifications > 0 || result.held > 0) logger().info(result, 'reminders and escalations written to the outbox');
    return result;
  });
}

/**
 * Cases stay coherent (issue 9):
 *
 * - An alert records the outcome of the task that closed it (`outcome`, `resolved_task_id`);
 *   alerts of tasks closed before this migration are resolved with their task's outcome.
 * - A household has at most one task that is not closed (`tasks_one_active_per_household`).
 *   Households that already have several (an older period run after a newer one) get them
 *   merged first: the task furthest along the workflow (then the earliest due date, then the
 *   oldest) keeps every alert and the earliest due date; the others are removed, each merge
 *   written to the kept task's audit trail (the removed tasks' own trail stays in audit_log).
 */
import { type Kysely, sql } from 'kysely';

const ACTOR = 'system:migration-0005';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table alerts
    add column outcome text check (outcome is null or outcome in ('assisted','risk_eliminated','not_at_risk')),
    add column resolved_task_id bigint references tasks(id)`.execute(db);

  // Merge the active tasks of households that have several.
  await sql`create temporary table task_merge as
    with ranked as (
      select t.id, t.household_id, t.period, t.status, t.due_date,
             row_number() over (partition by t.household_id
               order by case t.status when 'in_progress' then 0 when 'acknowledged' then 1 else 2 end, t.due_date, t.id) as rn,
             min(t.due_date) over (partition by t.household_id) as min_due
      from tasks t where t.status <> 'closed'
    )
    select r.id as extra_id, k.id as keep_id, r.period, r.status, r.due_date, k.min_due
    from ranked r join ranked k on k.household_id = r.household_id and k.rn = 1
    where r.rn > 1`.execute(db);
  await sql`insert into task_alerts (task_id, alert_id)
    select m.keep_id, ta.alert_id from task_alerts ta join task_merge m on m.extra_id = ta.task_id
    on conflict do nothing`.execute(db);
  await sql`delete from task_alerts ta using task_merge m where ta.task_id = m.extra_id`.execute(db);
  await sql`insert into task_notices (task_id, kind, day, notification_key, created_at)
    select m.keep_id, n.kind, n.day, n.notification_key, n.created_at from task_notices n join task_merge m on m.extra_id = n.task_id
    on conflict do nothing`.execute(db);
  await sql`delete from task_notices n using task_merge m where n.task_id = m.extra_id`.execute(db);
  await sql`insert into audit_log (entity, entity_id, action, from_status, to_status, actor, note, at)
    select 'task', m.keep_id, 'merge', t.status, t.status, ${ACTOR},
           '并入任务 ' || m.extra_id || '（统计期 ' || m.period || '，状态 ' || m.status || '，截止日期 ' || m.due_date || '）的预警；截止日期 ' || m.min_due, now()
    from task_merge m join tasks t on t.id = m.keep_id
    union all
    select 'task', m.extra_id, 'merge', m.status, null, ${ACTOR}, '一户只保留一个未办结任务：预警并入任务 ' || m.keep_id || '，本任务删除', now()
    from task_merge m`.execute(db);
  await sql`update tasks t set due_date = m.min_due, updated_at = now()
    from (select distinct keep_id, min_due from task_merge) m where t.id = m.keep_id and t.due_date <> m.min_due`.execute(db);
  await sql`delete from tasks t using task_merge m where t.id = m.extra_id`.execute(db);
  await sql`drop table task_merge`.execute(db);

  await sql`create unique index tasks_one_active_per_household on tasks (household_id) where status <> 'closed'`.execute(db);
  await sql`create index alerts_resolved_task_idx on alerts (resolved_task_id) where resolved_task_id is not null`.execute(db);

  // Alerts still open on tasks closed before this migration: resolved with the task's outcome.
  await sql`
    with target as (
      select distinct on (a.id) a.id, a.status, t.id as task_id, t.outcome, t.closed_at
      from alerts a
      join task_alerts ta on ta.alert_id = a.id
      join tasks t on t.id = ta.task_id and t.status = 'closed'
      where a.status in ('open','acknowledged')
        and not exists (select 1 from task_alerts o join tasks ot on ot.id = o.task_id where o.alert_id = a.id and ot.status <> 'closed')
      order by a.id, t.closed_at desc nulls last, t.id desc
    ),
    resolved as (
      update alerts a set status = 'resolved', outcome = x.outcome, resolved_task_id = x.task_id,
        status_reason = 'task ' || x.task_id || ' closed: ' || x.outcome, resolved_at = coalesce(x.closed_at, now()), updated_at = now()
      from target x where a.id = x.id
      returning a.id, x.status as from_status, x.task_id, x.outcome
    )
    insert into audit_log (entity, entity_id, action, from_status, to_status, actor, note, at)
    select 'alert', id, 'task_closed', from_status, 'resolved', ${ACTOR}, 'task ' || task_id || ' closed: ' || outcome, now() from resolved`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists alerts_resolved_task_idx`.execute(db);
  await sql`drop index if exists tasks_one_active_per_household`.execute(db);
  await sql`alter table alerts drop column resolved_task_id, drop column outcome`.execute(db);
}

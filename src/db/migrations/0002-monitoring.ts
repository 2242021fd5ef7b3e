/** Monitoring: rule-set versions, cycles, alerts, follow-up tasks and the audit trail. */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rule_sets')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('files', 'jsonb', (c) => c.notNull())
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('cycles')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('rule_set_version', 'text', (c) => c.notNull().references('rule_sets.version'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('queued')
        .check(sql`status in ('queued','running','completed','failed')`),
    )
    .addColumn('trigger', 'text', (c) => c.notNull())
    /** Idempotency key of whatever started the cycle (e.g. the scheduler's job id); unique when set. */
    .addColumn('trigger_key', 'text', (c) => c.unique())
    .addColumn('started_by', 'text')
    .addColumn('batch_size', 'integer', (c) => c.notNull().defaultTo(5000))
    /** The cycle's clock: task due dates count from this instant's Asia/Shanghai calendar date. */
    .addColumn('as_of', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('households', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('batches_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('batches_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alerts_new', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alerts_resolved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tasks_new', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('cycles_period_idx').on('cycles').columns(['period', 'id']).execute();

  // The plan of a cycle (one row per batch, household ids fixed at planning) and, once the batch
  // committed, its results. A batch's results and its `done` mark are written in one transaction,
  // so a redelivered batch finds itself done and the cycle's counts (sums of these rows) never double.
  await db.schema
    .createTable('cycle_batches')
    .addColumn('cycle_id', 'bigint', (c) => c.notNull().references('cycles.id'))
    .addColumn('batch_no', 'integer', (c) => c.notNull())
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('household_ids', sql`text[]`, (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending','done')`),
    )
    .addColumn('alerts_new', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alerts_resolved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tasks_new', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed_by', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('finished_at', 'timestamptz')
    .addPrimaryKeyConstraint('cycle_batches_pk', ['cycle_id', 'batch_no'])
    .execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.household_id'))
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('info','warning','critical')`))
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open','acknowledged','resolved','dismissed')`),
    )
    .addColumn('rule_set_version', 'text', (c) => c.notNull())
    .addColumn('cycle_id', 'bigint', (c) => c.notNull().references('cycles.id'))
    .addColumn('facts', 'jsonb', (c) => c.notNull())
    .addColumn('silenced', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('status_reason', 'text')
    .addColumn('resolved_cycle_id', 'bigint', (c) => c.references('cycles.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addUniqueConstraint('alerts_natural_key', ['household_id', 'rule_id', 'period'])
    .execute();
  await db.schema.createIndex('alerts_county_idx').on('alerts').columns(['county_code', 'period', 'status']).execute();
  await db.schema.createIndex('alerts_period_idx').on('alerts').columns(['period', 'household_id']).execute();
  await db.schema.createIndex('alerts_cycle_idx').on('alerts').columns(['cycle_id']).execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.household_id'))
    .addColumn('county_code', 'char(6)', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open','acknowledged','in_progress','closed')`),
    )
    /** Calendar due date in Asia/Shanghai. */
    .addColumn('due_date', 'date', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome is null or outcome in ('assisted','risk_eliminated','not_at_risk')`))
    .addColumn('note', 'text')
    .addColumn('cycle_id', 'bigint', (c) => c.notNull().references('cycles.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .addUniqueConstraint('tasks_natural_key', ['household_id', 'period'])
    .addCheckConstraint('tasks_closed_has_outcome', sql`(status = 'closed') = (outcome is not null)`)
    .execute();
  await db.schema.createIndex('tasks_county_idx').on('tasks').columns(['county_code', 'status', 'due_date']).execute();
  await db.schema.createIndex('tasks_status_due_idx').on('tasks').columns(['status', 'due_date']).execute();

  await db.schema
    .createTable('task_alerts')
    .addColumn('task_id', 'bigint', (c) => c.notNull().references('tasks.id'))
    .addColumn('alert_id', 'bigint', (c) => c.notNull().references('alerts.id'))
    .addPrimaryKeyConstraint('task_alerts_pk', ['task_id', 'alert_id'])
    .execute();
  await db.schema.createIndex('task_alerts_alert_idx').on('task_alerts').column('alert_id').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'bigint', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('audit_log_entity_idx').on('audit_log').columns(['entity', 'entity_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['audit_log', 'task_alerts', 'tasks', 'alerts', 'cycle_batches', 'cycles', 'rule_sets']) {
    await db.schema.dropTable(table).execute();
  }
}

/**
 * Notifications: the outbox of e-mails to send (one row per recipient and key), the digests a
 * completed cycle still has to render (one row per cycle and county, plus the city summary),
 * silences that hold notifications back, and the per-task record of reminders and escalations.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('silences')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('county','rule','household')`))
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('until', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expired_at', 'timestamptz')
    .addColumn('expired_by', 'text')
    .execute();
  await db.schema
    .createIndex('silences_active_idx')
    .on('silences')
    .columns(['scope', 'value'])
    .where(sql.ref('expired_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('digest','city-summary','immediate','reminder','escalation')`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending','held','sending','sent','dead','unknown','cancelled')`),
    )
    .addColumn('county_code', 'char(6)')
    .addColumn('cycle_id', 'bigint', (c) => c.references('cycles.id'))
    .addColumn('alert_ids', sql`bigint[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('task_ids', sql`bigint[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('silence_id', 'bigint', (c) => c.references('silences.id'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('text_body', 'text')
    .addColumn('html_body', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sending_since', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('smtp_response', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('notifications_recipient_key', ['recipient', 'key'])
    // A row that can be sent has its content; a held one gets it when released.
    .addCheckConstraint(
      'notifications_content',
      sql`status in ('held','cancelled') or (subject is not null and text_body is not null and html_body is not null)`,
    )
    .addCheckConstraint('notifications_held_silence', sql`(status = 'held') = (silence_id is not null)`)
    .execute();
  await db.schema
    .createIndex('notifications_due_idx')
    .on('notifications')
    .columns(['next_attempt_at', 'id'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema.createIndex('notifications_status_idx').on('notifications').columns(['status', 'id']).execute();
  await db.schema.createIndex('notifications_cycle_idx').on('notifications').columns(['cycle_id']).execute();

  // Written by the transaction that completes a cycle (one row per county with new alerts and one
  // for the city summary; the key is the digest's outbox key), rendered into `notifications` by
  // the notifier after commit. Keeps the completing transaction O(counties).
  await db.schema
    .createTable('pending_digests')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('digest','city-summary')`))
    .addColumn('cycle_id', 'bigint', (c) => c.notNull().references('cycles.id'))
    .addColumn('county_code', 'char(6)')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending','rendered')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_error', 'text')
    /** Outbox rows the rendering wrote (held parts included). */
    .addColumn('notifications', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('rendered_at', 'timestamptz')
    .addCheckConstraint('pending_digests_county', sql`(kind = 'digest') = (county_code is not null)`)
    .execute();
  await db.schema
    .createIndex('pending_digests_due_idx')
    .on('pending_digests')
    .columns(['next_attempt_at', 'key'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  // The counties of a cycle's alerts by a loose index scan (O(counties), whatever the number of
  // alerts), and each county's alerts of a cycle when its digest is rendered.
  await db.schema.createIndex('alerts_cycle_county_idx').on('alerts').columns(['cycle_id', 'county_code']).execute();

  await db.schema
    .createTable('task_notices')
    .addColumn('task_id', 'bigint', (c) => c.notNull().references('tasks.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('reminder','escalation')`))
    /** Calendar day in Asia/Shanghai. */
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('notification_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('task_notices_pk', ['task_id', 'kind', 'day'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('alerts_cycle_county_idx').execute();
  for (const table of ['task_notices', 'pending_digests', 'notifications', 'silences']) {
    await db.schema.dropTable(table).execute();
  }
}

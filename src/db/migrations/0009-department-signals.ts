/**
 * Department signals (部门筛查预警): per household a kind, a date and an amount in integer fen.
 * One row per household, kind and date (the import's idempotency key); the cycle sums them over
 * the trailing 12 months, so the key's index serves its range scan by household and date.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('department_signals')
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.household_id'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('medical_expense','disaster_loss','unemployment','disability','minimum_living','other')`),
    )
    .addColumn('signal_date', 'date', (c) => c.notNull())
    .addColumn('amount_cents', 'bigint', (c) => c.check(sql`amount_cents >= 0`))
    .addColumn('source', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('department_signals_pk', ['household_id', 'kind', 'signal_date'])
    .addCheckConstraint(
      'department_signals_amount_required',
      sql`amount_cents is not null or kind not in ('medical_expense','disaster_loss')`,
    )
    .execute();
  await db.schema
    .createIndex('department_signals_household_date_idx')
    .on('department_signals')
    .columns(['household_id', 'signal_date'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('department_signals').execute();
}

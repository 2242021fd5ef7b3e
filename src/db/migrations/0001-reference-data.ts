/** Reference and measurement data: counties, households, incomes, hazards, prices, import log. */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('counties')
    .addColumn('county_code', 'char(6)', (c) => c.primaryKey().check(sql`county_code ~ '^[0-9]{6}$'`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('emails', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('escalation_emails', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('households')
    .addColumn('household_id', 'text', (c) => c.primaryKey())
    .addColumn('county_code', 'char(6)', (c) => c.notNull().references('counties.county_code'))
    .addColumn('township', 'text')
    .addColumn('village', 'text')
    .addColumn('category', 'text', (c) =>
      c.notNull().check(sql`category in ('poverty_alleviated','unstable','marginal','sudden_hardship')`),
    )
    .addColumn('members', 'integer', (c) => c.notNull().check(sql`members >= 1`))
    .addColumn('main_industry', 'text', (c) => c.notNull())
    .addColumn('head_name', 'text')
    .addColumn('id_number', 'text')
    .addColumn('phone', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('households_county_idx').on('households').columns(['county_code', 'household_id']).execute();

  await db.schema
    .createTable('incomes')
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.household_id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('period_kind', 'text', (c) => c.notNull().check(sql`period_kind in ('year','quarter','month')`))
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('period_end', 'date', (c) => c.notNull())
    .addColumn('industry_income', 'numeric(14, 2)', (c) => c.notNull().check(sql`industry_income >= 0`))
    .addColumn('wage_income', 'numeric(14, 2)', (c) => c.notNull().defaultTo(0))
    .addColumn('property_income', 'numeric(14, 2)', (c) => c.notNull().defaultTo(0))
    .addColumn('transfer_income', 'numeric(14, 2)', (c) => c.notNull().defaultTo(0))
    .addColumn('production_cost', 'numeric(14, 2)', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('incomes_pk', ['household_id', 'period'])
    .execute();
  await db.schema.createIndex('incomes_period_idx').on('incomes').columns(['period', 'household_id']).execute();

  await db.schema
    .createTable('hazards')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type in ('natural_disaster','animal_epidemic','crop_pest','unsalable','price_slump')`),
    )
    .addColumn('county_code', 'char(6)', (c) => c.notNull().references('counties.county_code'))
    .addColumn('township', 'text')
    .addColumn('industries', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('severity', 'smallint', (c) => c.notNull().check(sql`severity between 1 and 4`))
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('end_date', 'date', (c) => c.check(sql`end_date is null or end_date >= start_date`))
    .addColumn('name', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('hazards_county_idx').on('hazards').columns(['county_code', 'start_date']).execute();

  await db.schema
    .createTable('prices')
    .addColumn('commodity', 'text', (c) => c.notNull())
    .addColumn('month', 'char(7)', (c) => c.notNull().check(sql`month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`))
    .addColumn('price', 'numeric(14, 4)', (c) => c.notNull().check(sql`price > 0`))
    .addColumn('unit', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('prices_pk', ['commodity', 'month'])
    .execute();

  await db.schema
    .createTable('import_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('checksum', 'text', (c) => c.notNull())
    .addColumn('strict', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('inserted', 'integer', (c) => c.notNull())
    .addColumn('updated', 'integer', (c) => c.notNull())
    .addColumn('unchanged', 'integer', (c) => c.notNull())
    .addColumn('rejected', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['import_log', 'prices', 'hazards', 'incomes', 'households', 'counties']) {
    await db.schema.dropTable(table).execute();
  }
}
